/*
 * init.c — the whole userspace of the Linux that hands memory over to Baton:
 * PID 1 in an initramfs that tools/linux packs. It loads the kernel in
 * /kexec/kernel with kexec_file_load(2) — with /kexec/initrd as its initrd
 * when there is one, and /kexec/cmdline as its command line — and reboots
 * into it with reboot(LINUX_REBOOT_CMD_KEXEC). KHO needs nothing more from
 * userspace in Linux 7.3: the kernel finalizes the handover itself at the
 * kexec, and lib/test_kho.c has already preserved its folios at boot.
 *
 * With no /kexec/kernel it says so and ends the machine: a Linux that
 * received a handover ends here. Every failure is a line on the console
 * and the same end, so a boot test never waits for a timeout. The end is
 * a poweroff on arm64 (PSCI); on x86-64 this Linux has no ACPI, which a PC
 * needs to power off, so it restarts instead, and QEMU's -no-reboot makes
 * that the end.
 *
 * Freestanding: no libc (arm64 has none installed here), a raw system call
 * per arch, static, no relocations.
 */
typedef unsigned long ulong;

#if defined(__aarch64__)
enum {
	SYS_openat = 56,
	SYS_close = 57,
	SYS_read = 63,
	SYS_write = 64,
	SYS_reboot = 142,
	SYS_kexec_file_load = 294
};

static long syscall5(long n, long a, long b, long c, long d, long e)
{
	register long x8 __asm__("x8") = n;
	register long x0 __asm__("x0") = a;
	register long x1 __asm__("x1") = b;
	register long x2 __asm__("x2") = c;
	register long x3 __asm__("x3") = d;
	register long x4 __asm__("x4") = e;

	__asm__ volatile("svc #0"
			 : "+r"(x0)
			 : "r"(x8), "r"(x1), "r"(x2), "r"(x3), "r"(x4)
			 : "memory");
	return x0;
}

__asm__(".globl _start\n_start:\n\tbl init_main\n\tb .\n");
#elif defined(__x86_64__)
enum {
	SYS_read = 0,
	SYS_write = 1,
	SYS_close = 3,
	SYS_reboot = 169,
	SYS_openat = 257,
	SYS_kexec_file_load = 320
};

static long syscall5(long n, long a, long b, long c, long d, long e)
{
	register long r10 __asm__("r10") = d;
	register long r8 __asm__("r8") = e;
	long ret;

	__asm__ volatile("syscall"
			 : "=a"(ret)
			 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10), "r"(r8)
			 : "rcx", "r11", "memory");
	return ret;
}

__asm__(".globl _start\n_start:\n\tand $-16, %rsp\n\tcall init_main\n\tjmp .\n");
#else
#error "init.c: unknown arch"
#endif

#define AT_FDCWD (-100)
#define O_RDONLY 0
#define KEXEC_FILE_NO_INITRAMFS 4
#define REBOOT_MAGIC1 0xfee1dead
#define REBOOT_MAGIC2 672274793
#define REBOOT_CMD_KEXEC 0x45584543
#define REBOOT_CMD_POWER_OFF 0x4321fedc
#define REBOOT_CMD_RESTART 0x01234567

#if defined(__x86_64__)
#define END_CMD REBOOT_CMD_RESTART
#define END_WORDS "restarting"
#else
#define END_CMD REBOOT_CMD_POWER_OFF
#define END_WORDS "powering off"
#endif

static ulong len(const char *s)
{
	ulong n = 0;

	while (s[n])
		n++;
	return n;
}

static void say(const char *s)
{
	syscall5(SYS_write, 1, (long)s, (long)len(s), 0, 0);
}

static void say_num(long v)
{
	char buf[24], *p = buf + sizeof(buf) - 1;
	ulong u = v < 0 ? (ulong)-v : (ulong)v;

	*p = 0;
	do
		*--p = (char)('0' + u % 10);
	while (u /= 10);
	if (v < 0)
		*--p = '-';
	say(p);
}

static long open_ro(const char *path)
{
	return syscall5(SYS_openat, AT_FDCWD, (long)path, O_RDONLY, 0, 0);
}

static __attribute__((noreturn)) void end(void)
{
	syscall5(SYS_reboot, (long)REBOOT_MAGIC1, REBOOT_MAGIC2, END_CMD, 0, 0);
	for (;;)
		;
}

static __attribute__((noreturn)) void fail(const char *what, long err)
{
	say("init: ");
	say(what);
	say(" failed: errno ");
	say_num(-err);
	say("; " END_WORDS "\n");
	end();
}

/* /kexec/cmdline without its trailing newline; "" when there is none. */
static char cmdline[4096];

static void read_cmdline(void)
{
	long fd = open_ro("/kexec/cmdline"), n = 0, r;

	if (fd < 0)
		return;
	while (n < (long)sizeof(cmdline) - 1 &&
	       (r = syscall5(SYS_read, fd, (long)cmdline + n, (long)sizeof(cmdline) - 1 - n, 0,
			     0)) > 0)
		n += r;
	syscall5(SYS_close, fd, 0, 0, 0, 0);
	while (n > 0 && (cmdline[n - 1] == '\n' || cmdline[n - 1] == '\r'))
		n--;
	cmdline[n] = 0;
}

void init_main(void)
{
	long kernel, initrd, err;
	ulong flags = 0;

	kernel = open_ro("/kexec/kernel");
	if (kernel < 0) {
		say("init: no /kexec/kernel: nothing to kexec; " END_WORDS "\n");
		end();
	}
	initrd = open_ro("/kexec/initrd");
	if (initrd < 0)
		flags |= KEXEC_FILE_NO_INITRAMFS;
	read_cmdline();
	say("init: kexec_file_load /kexec/kernel");
	say(initrd >= 0 ? " with /kexec/initrd" : " without an initrd");
	say(", command line \"");
	say(cmdline);
	say("\"\n");
	err = syscall5(SYS_kexec_file_load, kernel, initrd, (long)len(cmdline) + 1, (long)cmdline,
		       (long)flags);
	if (err < 0)
		fail("kexec_file_load", err);
	say("init: loaded; rebooting into it (LINUX_REBOOT_CMD_KEXEC)\n");
	err = syscall5(SYS_reboot, (long)REBOOT_MAGIC1, REBOOT_MAGIC2, REBOOT_CMD_KEXEC, 0, 0);
	fail("reboot(LINUX_REBOOT_CMD_KEXEC)", err);
}

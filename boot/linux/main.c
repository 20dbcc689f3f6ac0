/*
 * main.c — the bzImage front end's steps, in order (lb_main, called by
 * entry.S from either entry with our stack and bss ready):
 *
 *   1. the CPU: our relocations, the canary, SSE, fault vectors (cpu.c);
 *   2. our identity map: 0..4 GiB, our window, more on demand (idmap.c);
 *   3. the kernel payload (lib/elf_load.c checks it as kexec does);
 *   4. the boot_params, read whole before anything is written
 *      (bootparams.c, e820.c, rsdp.c);
 *   5. where the kernel and its FDT go (place.c);
 *   6. the boot FDT (fdt.c), the kernel's segments copied into place;
 *   7. the jump: cli, rdi = FDT, rsi = 0, to _start (docs/design.md section 3),
 *      under our identity map, which covers the kernel, its FDT and us.
 *
 * A boot_params that cannot be used (no e820 map, no setup header, no room
 * below 4 GiB; or bzimage.unusable on the command line, for the boot
 * tests) is said on COM1 at once; then the kernel is entered anyway,
 * in our window, with the reason in /chosen/baton,loader-error: it says it
 * again in its log and powers the machine off through ACPI, the one
 * poweroff x86 Baton has. Only when even that is impossible (5-level
 * paging, a damaged payload) does the front end halt after its line.
 */
#include "linuxboot.h"
#include "elf64.h"
#include "elf_load.h"
#include "compiler.h"

extern const char startup_32[], _file_end[], lb_boot_pml4[], _init_size[];
extern const char payload_start[], payload_end[];

__noreturn void lb_main(u64 bp_pa, u64 base, u32 entry_bits);

/* What the kernel reads in its setup header (boot.rst, protocol 2.15). */
__attribute__((section(".rodata.kernel_info"), used, aligned(4)))
const struct kernel_info lb_kernel_info = {
	KERNEL_INFO_MAGIC,
	sizeof(struct kernel_info),
	sizeof(struct kernel_info),
	SETUP_TYPE_MAX,
};

static const char *loader_name(u8 type)
{
	switch (type >> 4) {
	case 0x7:
		return "GRUB";
	case 0xb:
		return "QEMU";
	case 0xd:
		return "kexec";
	case 0x1:
		return "Loadlin";
	case 0x3:
		return "SYSLINUX";
	case 0x4:
		return "Etherboot/gPXE/iPXE";
	case 0x8:
		return "U-Boot";
	case 0xe:
		return "extended";
	}
	return "unknown";
}

void lb_main(u64 bp_pa, u64 base, u32 entry_bits)
{
	static struct lb_info info;
	u64 win_file = (u64)(_file_end - startup_32), win_work = (u64)(lb_boot_pml4 - startup_32);
	u64 win_size = (u64)(_init_size - startup_32), dest = 0, fdt;
	struct lb_range image = { base + (u64)(payload_start - startup_32),
				  (u64)(payload_end - payload_start) };
	struct elf_layout el;
	char bad[ERR_WHY_MAX];
	const char *why;

	lb_cpu_init(base); /* 1 */
	lb_name = "bzimage";
	why = lb_idmap_init(base, win_size); /* 2 */
	if (why)
		lb_stop(why);
	if (elf_layout(payload_start, image.size, EM_X86_64, &el, bad, sizeof(bad))) /* 3 */
		lb_stop(bad);

	lb_note("Baton's bzImage, entered at the %u-bit entry, loaded at 0x%llx, boot_params at "
		"0x%llx",
		entry_bits, (unsigned long long)base, (unsigned long long)bp_pa);
	why = bootparams_read(bp_pa, &info); /* 4 */
	/* Fault injection for the boot tests, as the kernel's panic.now: a
	 * sound boot_params taken as one the front end cannot use, to show in
	 * a real boot the line and the poweroff that follow. */
	if (!why && lb_cmdline_has(info.cmdline, "bzimage.unusable"))
		why = "bzimage.unusable is on the command line: this boot_params is taken as "
		      "unusable, on purpose";
	if (!why) { /* 5 */
		dest = place_kernel(&info, base, win_file, win_work, win_size, el.span);
		if (!dest)
			why = "there is no 2 MiB-aligned room below 4 GiB for the kernel";
	}
	if (why) {
		lb_note("cannot boot: %s; the kernel is entered only to say so and power off", why);
		dest = ALIGN_UP(base + win_file, 0x200000ULL);
		if (dest + ALIGN_UP(el.span, 0x1000ULL) + LB_FDT_SIZE > MIN(base + win_work, LB_4G))
			lb_stop("and the kernel cannot even be entered to say so: our window is "
				"above 4 GiB");
	}
	fdt = dest + ALIGN_UP(el.span, 0x1000ULL); /* 6 */
	if (lb_fdt_write((void *)(uintptr_t)fdt, &info, image, why) < 0)
		lb_stop("the boot FDT cannot be written");
	elf_copy(payload_start, (void *)(uintptr_t)dest, &el);
	lb_note("loader %s (type 0x%02x); kernel at 0x%llx, boot FDT at 0x%llx%s; entering the kernel",
		loader_name(info.loader_type), info.loader_type, (unsigned long long)dest,
		(unsigned long long)fdt, info.kho ? ", a KHO handover" : "");
	lb_enter(dest + el.entry_off, fdt); /* 7 */
}

/*
 * main.c — the multiboot2 front end's steps, in order (mb_main, called by
 * entry.S with our stack and bss ready, in long mode under the identity
 * map longmode.S made):
 *
 *   1. the CPU: our relocations, the canary, SSE, fault vectors (cpu.c);
 *   2. our identity map: 0..4 GiB, more on demand (idmap.c);
 *   3. the multiboot2 information, read whole before anything is written
 *      (info.c, e820.c, rsdp.c, cmdline.c);
 *   4. the boot FDT (fdt.c), in our work area (front-end.ld): memory GRUB
 *      loaded for us with baton.elf, past the kernel's last byte, so the
 *      kernel's entry does not clear it, and it reserves it as the FDT;
 *   5. the jump: cli, rdi = FDT, rsi = 0, to _start (docs/design.md section 3)
 *      where GRUB put the kernel (at its ELF's physical addresses, which
 *      nothing has written since but GRUB, and us in our own part).
 *
 * Information that cannot be used (eax not multiboot2's, no memory map, no
 * RAM in it; or multiboot2.unusable on the command line, for the boot
 * tests) is said on COM1 at once; then the kernel is entered anyway with
 * the reason in /chosen/baton,loader-error: it says it again in its log and
 * powers the machine off through ACPI, the one poweroff x86 Baton has. Only
 * what cannot reach the kernel at all (a CPU without long mode, a kernel
 * off its 2 MiB boundary, a fault in the front end) ends in a line and a
 * halt.
 */
#include "mb2boot.h"
#include "compiler.h"

extern const char startup_mb2[], _init_size[], mb_fdt[];

__noreturn void mb_main(u64 magic, u64 mbi, u64 base, u64 kernel, u64 entry, u64 kernel_end);

void mb_main(u64 magic, u64 mbi, u64 base, u64 kernel, u64 entry, u64 kernel_end)
{
	static struct lb_info info;
	static struct mb2_extra x;
	u64 fdt = base + (u64)(mb_fdt - startup_mb2);
	const char *why;

	lb_cpu_init(base); /* 1 */
	lb_name = "multiboot2";
	why = lb_idmap_init(base, (u64)(_init_size - startup_mb2)); /* 2 */
	if (why)
		lb_stop(why);
	lb_note("Baton's multiboot2 entry, eax 0x%llx, information at 0x%llx; kernel at 0x%llx-0x%llx, "
		"front end at 0x%llx",
		(unsigned long long)magic, (unsigned long long)mbi, (unsigned long long)kernel,
		(unsigned long long)kernel_end, (unsigned long long)base);
	if (!IS_ALIGNED(kernel, 0x200000ULL))
		lb_stop("the kernel is not on a 2 MiB boundary (GRUB places baton.elf at its "
			"physical addresses; were they changed?)");

	why = mb2_info_read((u32)magic, mbi, &info, &x); /* 3 */
	/* Fault injection for the boot tests, as bzimage.unusable: sound
	 * information taken as information the front end cannot use, to show
	 * in a real boot the line and the poweroff that follow. */
	if (!why && lb_cmdline_has(info.cmdline, "multiboot2.unusable"))
		why = "multiboot2.unusable is on the command line: this information is taken as "
		      "unusable, on purpose";
	if (why)
		lb_note("cannot boot: %s; the kernel is entered only to say so and power off", why);

	if (lb_fdt_write((void *)(uintptr_t)fdt, &info, x.image, why) < 0) /* 4 */
		lb_stop("the boot FDT cannot be written");
	lb_note("loader \"%s\"; kernel at 0x%llx, boot FDT at 0x%llx; entering the kernel",
		x.loader[0] ? x.loader : "unknown", (unsigned long long)kernel,
		(unsigned long long)fdt);
	lb_enter(entry, fdt); /* 5 */
}

/*
 * main.c — the kernel's init list. Read it top to bottom: this is the order
 * in which Baton comes up, each step depending only on the ones above it.
 *
 * The arch entry code (arch/<arch>/entry) has already set up a stack, the
 * stack-protector canary and a mapping of the image at its link address.
 */
#include "kernel.h"
#include "bootfdt.h"
#include "bootmem.h"
#include "buddy.h"
#include "folio.h"
#include "kexec.h"
#include "kexec_chain.h"
#include "kexec_timing.h"
#include "kho.h"
#include "kerrno.h"
#include "slab.h"
#include "cmdline.h"
#include "console.h"
#include "ktest.h"
#include "panic.h"
#include "uart.h"
#include "vmalloc.h"
#include "printk.h"
#include "random.h"
#include "arch/counter.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include "kho/handover.h"
#include <libfdt.h>

/* Reach the FDT the loader handed over and validate it whole. Any problem
 * stops the boot here, with a sentence, before anything trusts the blob. */
static const void *boot_fdt_map(phys_addr_t phys)
{
	char why[ERR_WHY_MAX];
	void *fdt;
	u64 size, used;

	if (!phys)
		panic("boot: no device tree was passed (register was 0); cannot boot");
	/* The header first, then as much as it claims, up to the limit. */
	if (!arch_map_early(phys, sizeof(struct fdt_header)))
		panic("boot: device tree at 0x%llx cannot be mapped; cannot boot",
		      (unsigned long long)phys);
	fdt = phys_to_virt(phys);
	size = fdt_totalsize(fdt);
	/* A blob grown in place is padded with free space (QEMU doubles a
	 * -dtb file, so 1.5 MiB arrives as 3 MiB): when only the padding is
	 * over the limit, drop it. The blob is the kernel's from here on. */
	used = fdt_magic(fdt) == FDT_MAGIC ? bootfdt_content_size(fdt) : 0;
	if (size > BOOTFDT_MAX_SIZE && used >= sizeof(struct fdt_header) && used <= BOOTFDT_MAX_SIZE &&
	    arch_map_early(phys, used)) {
		pr_info("boot: device tree totalsize %llu, of which %llu used: the free space after is dropped",
			(unsigned long long)size, (unsigned long long)used);
		fdt_set_totalsize(fdt, (u32)used);
		size = used;
	}
	size = MIN(size, (u64)BOOTFDT_MAX_SIZE);
	if (!arch_map_early(phys, MAX(size, (u64)sizeof(struct fdt_header))))
		panic("boot: device tree at 0x%llx (%llu bytes) cannot be mapped; cannot boot",
		      (unsigned long long)phys, (unsigned long long)size);
	if (bootfdt_check(fdt, MAX(size, (u64)sizeof(struct fdt_header)), why, sizeof(why)))
		panic("boot: device tree at 0x%llx is unusable: %s", (unsigned long long)phys, why);
	return fdt;
}

/*
 * The early steps, in order; each needs only the ones above it.
 *   1. the arch's own state (vectors, FPU for libfdt)
 *   2. the boot FDT, validated whole: nothing reads it before; from here a
 *      panic brings the console up itself (uart_console_standby); then the
 *      entropy pool, from it and the CPU, and a fresh stack canary
 *   3. the counter's frequency (x86-64: the TSC, measured or carried)
 *   4. how to turn the machine off (PSCI, or the board's way), so that
 *      from here every panic ends in a poweroff, never a silent hang; then
 *      a loader's /chosen/baton,loader-error, if any, stops the boot
 *   5. the command line (earlycon=, loglevel=, ...)
 *   6. the console: earlycon, then stdout-path, else the first UART the
 *      tree has; it is shown the whole log so far
 *   7. memory: RAM and reservations into memblock, the direct map
 * Until step 6, lines only go to the log (and x86-64's COM1 in a panic).
 *
 * Each step says which phase of the handover's timeline it is
 * (kexec_timing.h): from the first line on, every stretch of the boot is
 * in one, up to the chain's next kexec call or the end of the chain.
 */
/* No canary check here: random_init changes the canary under this frame. */
__no_stack_protector void kernel_main(phys_addr_t fdt_phys, u64 entry_counter)
{
	int err;

	/* First: the jump ended at the image's entry, where the entry code
	 * read the counter; the entry phase ends here. */
	kexec_timing_enter_at(KT_ENTRY, entry_counter);
	kexec_timing_enter(KT_EARLY);
	arch_early_init();						/* 1 */
	boot_fdt = boot_fdt_map(fdt_phys);				/* 2 */
	bootfdt_remember_chosen(boot_fdt);
	random_init((void *)boot_fdt);		/* entropy, a fresh canary */
	uart_console_standby(boot_fdt);
	kexec_timing_enter(KT_COUNTER);
	arch_counter_init(boot_fdt);					/* 3 */
	kexec_timing_enter(KT_EARLY);
	pr_info("Baton %s (%s), image at 0x%llx, device tree at 0x%llx", BATON_VERSION,
		arch_name, (unsigned long long)arch_image_phys_base(),
		(unsigned long long)fdt_phys);
	arch_init(boot_fdt);						/* 4 */
	/* A loader that could not use what it was given (the bzImage front
	 * end, boot/linux/) still enters the kernel, so that the reason is
	 * in the log and the machine is powered off the kernel's way. */
	if (bootfdt_chosen_string(boot_fdt, BATON_CHOSEN_LOADER_ERROR))
		panic("boot: the loader could not boot this machine: %s",
		      bootfdt_chosen_string(boot_fdt, BATON_CHOSEN_LOADER_ERROR));
	pr_info("command line: %s", bootfdt_bootargs(boot_fdt));	/* 5 */
	cmdline_parse(bootfdt_bootargs(boot_fdt));
	uart_console_init(boot_fdt);					/* 6 */
	kexec_timing_enter(KT_BOOTMEM);
	bootmem_init(boot_fdt, fdt_phys);				/* 7 */
	kexec_timing_enter(KT_VALIDATE);
	kho_boot(boot_fdt);
	kexec_timing_enter(KT_BUDDY);
	err = buddy_init();
	if (err)
		panic("mm: the page allocator could not start (%s)", err_name(err));
	kexec_timing_enter(KT_MARK);
	kho_mark_preserved();
	kexec_timing_enter(KT_MM);
	slab_init();
	folio_init();
	vmalloc_init();
	buddy_dump();
	slab_dump();
	kexec_timing_enter(KT_RESTORE);
	kexec_init(boot_fdt);
	kexec_chain_restore();
	kexec_timing_enter(KT_KTESTS);
	ktest_run(boot_fdt);
	kexec_chain_step();

	pr_info("baton: nothing left to do, powering off");
	console_flush();
	arch_poweroff();
}

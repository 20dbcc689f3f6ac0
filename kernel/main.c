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
#include "kho.h"
#include "slab.h"
#include "cmdline.h"
#include "console.h"
#include "ktest.h"
#include "panic.h"
#include "uart.h"
#include "vmalloc.h"
#include "printk.h"
#include "arch/counter.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include <libfdt.h>

const void *boot_fdt;

/* Reach the FDT the loader handed over and validate it whole. Any problem
 * stops the boot here, with a sentence, before anything trusts the blob. */
static const void *boot_fdt_map(phys_addr_t phys)
{
	const char *why;
	const void *fdt;
	u64 size;

	if (!phys)
		panic("boot: no device tree was passed (register was 0); cannot boot");
	/* The header first, then as much as it claims, up to the limit. */
	if (!arch_map_early(phys, sizeof(struct fdt_header)))
		panic("boot: device tree at 0x%llx cannot be mapped; cannot boot",
		      (unsigned long long)phys);
	fdt = phys_to_virt(phys);
	size = MIN((u64)fdt_totalsize(fdt), (u64)BOOTFDT_MAX_SIZE);
	if (!arch_map_early(phys, MAX(size, (u64)sizeof(struct fdt_header))))
		panic("boot: device tree at 0x%llx (%llu bytes) cannot be mapped; cannot boot",
		      (unsigned long long)phys, (unsigned long long)size);
	why = bootfdt_check(fdt, MAX(size, (u64)sizeof(struct fdt_header)));
	if (why)
		panic("boot: device tree at 0x%llx is unusable: %s", (unsigned long long)phys, why);
	return fdt;
}

u64 boot_counter_start;

void kernel_main(phys_addr_t fdt_phys)
{
	boot_counter_start = arch_counter_read(); /* the TSC runs before calibration */
	arch_early_init();
	pr_info("Baton %s (%s), image at 0x%llx, device tree at 0x%llx", BATON_VERSION,
		arch_name, (unsigned long long)arch_image_phys_base(),
		(unsigned long long)fdt_phys);

	boot_fdt = boot_fdt_map(fdt_phys);
	pr_info("command line: %s", bootfdt_bootargs(boot_fdt));
	cmdline_parse(bootfdt_bootargs(boot_fdt));
	uart_console_init(boot_fdt);
	arch_init(boot_fdt);
	bootmem_init(boot_fdt, fdt_phys);
	kho_boot(boot_fdt);
	if (!buddy_init())
		panic("mm: the page allocator could not start");
	kho_mark_preserved();
	slab_init();
	folio_init();
	vmalloc_init();
	buddy_dump();
	slab_dump();
	kexec_init(boot_fdt);
	kexec_chain_restore();
	ktest_run(boot_fdt);
	kexec_chain_step();

	pr_info("baton: nothing left to do, powering off");
	arch_poweroff();
}

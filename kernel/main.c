/*
 * main.c — the kernel's init list. Read it top to bottom: this is the order
 * in which Baton comes up, each step depending only on the ones above it.
 *
 * The arch entry code (arch/<arch>/entry) has already set up a stack, the
 * stack-protector canary and a mapping of the image at its link address.
 */
#include "kernel.h"
#include "bootfdt.h"
#include "cmdline.h"
#include "console.h"
#include "ktest.h"
#include "panic.h"
#include "uart.h"
#include "printk.h"
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

	if (!phys)
		panic("boot: no device tree was passed (register was 0); cannot boot");
	if (!arch_map_early(phys, BOOTFDT_MAX_SIZE))
		panic("boot: device tree at 0x%llx cannot be mapped; cannot boot",
		      (unsigned long long)phys);
	fdt = phys_to_virt(phys);
	why = bootfdt_check(fdt, BOOTFDT_MAX_SIZE);
	if (why)
		panic("boot: device tree at 0x%llx is unusable: %s", (unsigned long long)phys, why);
	return fdt;
}

static void print_size(const char *what, u64 base, u64 size)
{
	pr_info("  %-9s 0x%016llx-0x%016llx %8llu KiB", what, (unsigned long long)base,
		(unsigned long long)(base + size - 1), (unsigned long long)((size + 1023) >> 10));
}

/* The memory map as the kernel sees it, from the boot FDT alone. */
static void memory_report(const void *fdt, phys_addr_t fdt_phys)
{
	struct mem_range r[64];
	u64 total = 0;
	int n;

	n = bootfdt_memory(fdt, r, ARRAY_SIZE(r));
	if (n <= 0)
		panic("boot: the device tree describes no usable memory");
	pr_info("memory map (%d ranges):", n);
	for (int i = 0; i < n; i++) {
		print_size("ram", r[i].base, r[i].size);
		total += r[i].size;
		/* The direct map: all RAM reachable through phys_to_virt. */
		if (!arch_map_early(r[i].base, r[i].size))
			pr_warn("memory: 0x%llx-0x%llx cannot be mapped yet; left out",
				(unsigned long long)r[i].base,
				(unsigned long long)(r[i].base + r[i].size - 1));
	}
	n = bootfdt_reserved(fdt, r, ARRAY_SIZE(r));
	for (int i = 0; i < n; i++)
		print_size("reserved", r[i].base, r[i].size);
	print_size("kernel", arch_image_phys_base(), (u64)(_kernel_end - _kernel_start));
	print_size("fdt", fdt_phys, fdt_totalsize(fdt));
	pr_info("memory: %llu MiB of RAM", (unsigned long long)(total >> 20));
}

void kernel_main(phys_addr_t fdt_phys)
{
	arch_early_init();
	pr_info("Baton %s (%s), image at 0x%llx, device tree at 0x%llx", BATON_VERSION,
		arch_name, (unsigned long long)arch_image_phys_base(),
		(unsigned long long)fdt_phys);

	boot_fdt = boot_fdt_map(fdt_phys);
	pr_info("command line: %s", bootfdt_bootargs(boot_fdt));
	cmdline_parse(bootfdt_bootargs(boot_fdt));
	uart_console_init(boot_fdt);
	arch_init(boot_fdt);
	memory_report(boot_fdt, fdt_phys);
	ktest_run(boot_fdt);

	pr_info("baton: nothing left to do, powering off");
	arch_poweroff();
}

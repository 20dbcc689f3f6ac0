/*
 * bootmem.c — the memory map at boot: from the boot FDT into memblock
 * (mm/memblock.c). Called once from kernel_main, after the console, before
 * any allocation.
 */
#include "bootmem.h"
#include "bootfdt.h"
#include "kernel.h"
#include "memblock.h"
#include "panic.h"
#include "printk.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include <libfdt.h>

#define MAX_RANGES 64

static void reserve(const char *what, phys_addr_t base, u64 size)
{
	if (memblock_reserve(base, size) < 0)
		panic("bootmem: cannot reserve %s at 0x%llx (+0x%llx)", what,
		      (unsigned long long)base, (unsigned long long)size);
}

void bootmem_init(const void *fdt, phys_addr_t fdt_phys)
{
	struct mem_range r[MAX_RANGES], image;
	int n;

	memblock_reset();
	n = bootfdt_memory(fdt, r, MAX_RANGES);
	if (n <= 0)
		panic("boot: the device tree describes no usable memory");
	for (int i = 0; i < n; i++) {
		/* The direct map: all RAM reachable through phys_to_virt. RAM the
		 * arch cannot map yet is left out rather than handed out. */
		if (!arch_map_early(r[i].base, r[i].size)) {
			pr_warn("bootmem: 0x%llx-0x%llx cannot be mapped yet; left out",
				(unsigned long long)r[i].base,
				(unsigned long long)(r[i].base + r[i].size - 1));
			continue;
		}
		if (memblock_add(r[i].base, r[i].size) < 0)
			panic("bootmem: too many memory ranges");
	}

	n = bootfdt_reserved(fdt, r, MAX_RANGES);
	for (int i = 0; i < n; i++)
		reserve("a firmware reservation", r[i].base, r[i].size);
	arch_reserve_firmware(fdt);
	reserve("the kernel image", arch_image_phys_base(), (u64)(_kernel_end - _kernel_start));
	reserve("the boot FDT", fdt_phys, fdt_totalsize(fdt));
	/* The loader's image copy. After a kexec it is preserved memory
	 * instead, which KHO reserves once it has checked the handover. */
	if (!bootfdt_chosen_range(fdt, "linux,kho-fdt", &image) &&
	    bootfdt_chosen_range(fdt, "baton,image", &image))
		reserve("the image copy", image.base, image.size);
	memblock_check();
	memblock_dump();
}

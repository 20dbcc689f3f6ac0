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
#include "kstring.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include "kho/handover.h"
#include <libfdt.h>

#define MAX_RANGES 64
#define MAX_RESV 64

static void reserve(const char *what, phys_addr_t base, u64 size)
{
	int err = memblock_reserve(base, size);

	/* One debug line each: memblock's list below merges them, and
	 * tools/memmap names each range of its picture after these. */
	pr_debug("bootmem: reserve 0x%llx-0x%llx (%s)", (unsigned long long)base,
		 (unsigned long long)(base + size - 1), what);
	if (err < 0)
		panic("bootmem: cannot reserve %s at 0x%llx (+0x%llx): %s", what,
		      (unsigned long long)base, (unsigned long long)size,
		      err == -ENOSPC ? "memblock's table of reserved ranges is full"
				     : "the range wraps around");
}

static bool overlaps(u64 a, u64 an, u64 b, u64 bn)
{
	return a < b + bn && b < a + an;
}

/*
 * no-map regions and the direct map. The direct map is made of 2 MiB
 * blocks (arch/arm64/mmu.c), so a no-map region is kept out of it by
 * leaving out every 2 MiB block it touches, and the RAM around it in those
 * blocks is lost (reported). The alternative, 4 KiB pages at the edges,
 * needs level-3 tables for the direct map before any allocator exists and
 * breaks the rule that a mapping is never split; real no-map regions
 * (secure firmware, co-processor carve-outs) are large and 2 MiB aligned
 * more often than not, so the loss is small where it happens at all.
 *
 * Holes, sorted and merged: hole[i].base + hole[i].size < hole[i + 1].base.
 * The blocks of the running kernel and the boot FDT are in use and mapped
 * already, so a hole never covers them (the overlap is reported instead).
 */
static struct mem_range holes[MAX_RESV];
static int nr_holes;

static void add_hole(phys_addr_t base, u64 size)
{
	int i = 0;

	while (i < nr_holes && holes[i].base + holes[i].size < base)
		i++;
	if (i < nr_holes && holes[i].base <= base + size) { /* merge with holes[i..] */
		phys_addr_t end = MAX(base + size, holes[i].base + holes[i].size);
		int j;

		holes[i].base = MIN(base, holes[i].base);
		for (j = i + 1; j < nr_holes && holes[j].base <= end; j++)
			end = MAX(end, holes[j].base + holes[j].size);
		holes[i].size = end - holes[i].base;
		memmove(&holes[i + 1], &holes[j], (size_t)(nr_holes - j) * sizeof(holes[0]));
		nr_holes -= j - i - 1;
		return;
	}
	memmove(&holes[i + 1], &holes[i], (size_t)(nr_holes - i) * sizeof(holes[0]));
	holes[i] = (struct mem_range){ base, size };
	nr_holes++;
}

static void add_ram(phys_addr_t base, u64 size)
{
	/* The direct map: all RAM reachable through phys_to_virt. RAM the
	 * arch cannot map yet is left out rather than handed out. */
	if (!arch_map_early(base, size)) {
		pr_warn("bootmem: RAM 0x%llx-0x%llx cannot be put in the direct map: not used",
			(unsigned long long)base, (unsigned long long)(base + size - 1));
		return;
	}
	if (memblock_add(base, size) < 0)
		panic("bootmem: RAM 0x%llx-0x%llx is one range more than memblock's %d",
		      (unsigned long long)base, (unsigned long long)(base + size - 1),
		      MEMBLOCK_MAX_REGIONS);
}

/* Add RAM [base, base + size) minus the holes. */
static void add_ram_around_holes(phys_addr_t base, u64 size)
{
	phys_addr_t end = base + size;

	for (int i = 0; i < nr_holes && base < end; i++) {
		phys_addr_t hb = holes[i].base, he = holes[i].base + holes[i].size;

		if (he <= base || hb >= end)
			continue;
		if (hb > base)
			add_ram(base, hb - base);
		base = he;
	}
	if (base < end)
		add_ram(base, end - base);
}

static void report(const struct bootfdt_resv *r, const char *what, phys_addr_t base, u64 size)
{
	if (overlaps(r->base, r->size, base, size))
		pr_err("bootmem: %s%s%s 0x%llx-0x%llx covers %s (0x%llx-0x%llx): "
		       "the loader put it in reserved memory; booting on, but its owner may overwrite it",
		       r->source, *r->name ? " " : "", r->name, (unsigned long long)r->base,
		       (unsigned long long)(r->base + r->size - 1), what, (unsigned long long)base,
		       (unsigned long long)(base + size - 1));
}

void bootmem_init(const void *fdt, phys_addr_t fdt_phys)
{
	static struct bootfdt_resv resv[MAX_RESV];
	struct mem_range r[MAX_RANGES], image;
	phys_addr_t kbase = arch_image_phys_base();
	u64 ksize = kernel_image_size(), fdt_size = fdt_totalsize(fdt);
	int n, nr, nr_no_map = 0;
	u64 resv_bytes = 0;

	memblock_reset();
	n = bootfdt_memory(fdt, r, MAX_RANGES);
	if (n < 0)
		panic("boot: the device tree's memory nodes cannot be read; cannot boot safely");
	if (n == 0)
		panic("boot: the device tree describes no memory (no enabled /memory node with "
		      "a range)");
	nr = bootfdt_reserved(fdt, resv, MAX_RESV);
	if (nr < 0)
		panic("boot: the device tree's reserved memory cannot be read; cannot boot safely");

	for (int i = 0; i < nr; i++) {
		resv_bytes += resv[i].size;
		nr_no_map += resv[i].no_map;
	}
	if (nr) { /* one line; each range is a debug line below */
		char no_map[24] = "";

		if (nr_no_map)
			snprintf(no_map, sizeof(no_map), " (%d no-map)", nr_no_map);
		pr_info("bootmem: the firmware reserves %d range%s, %llu KiB%s", nr,
			nr == 1 ? "" : "s", (unsigned long long)(resv_bytes >> 10), no_map);
	}

	nr_holes = 0;
	for (int i = 0; i < nr; i++) {
		const struct bootfdt_resv *v = &resv[i];
		phys_addr_t hb = ALIGN_DOWN(v->base, MiB(2));
		phys_addr_t he = ALIGN_UP(v->base + v->size, MiB(2));

		pr_debug("bootmem: reserved 0x%llx-0x%llx (%s%s%s%s)", (unsigned long long)v->base,
			 (unsigned long long)(v->base + v->size - 1), v->source,
			 *v->name ? " " : "", v->name, v->no_map ? ", no-map" : "");
		report(v, "the running kernel", kbase, ksize);
		report(v, "the boot FDT", fdt_phys, fdt_size);
		if (!v->no_map)
			continue;
		if (overlaps(hb, he - hb, kbase, ksize) ||
		    overlaps(hb, he - hb, fdt_phys, fdt_size)) {
			pr_err("bootmem: no-map %s shares a 2 MiB block with the kernel or the boot FDT: "
			       "that block stays mapped (the region is still never allocated)",
			       v->name);
			continue;
		}
		if (he - hb != v->size)
			pr_info("bootmem: no-map %s: its 2 MiB blocks 0x%llx-0x%llx are left out of the "
				"direct map and the allocator (%llu KiB of RAM around it lost)",
				v->name, (unsigned long long)hb, (unsigned long long)(he - 1),
				(unsigned long long)((he - hb - v->size) >> 10));
		add_hole(hb, he - hb);
	}
	for (int i = 0; i < n; i++)
		add_ram_around_holes(r[i].base, r[i].size);

	for (int i = 0; i < nr; i++)
		reserve("a firmware reservation", resv[i].base, resv[i].size);
	arch_reserve_firmware(fdt);
	reserve("the kernel image", kbase, ksize);
	reserve("the boot FDT", fdt_phys, fdt_size);
	/* The loader's image copy. After a kexec it is preserved memory
	 * instead, which KHO reserves once it has checked the handover. */
	if (!bootfdt_chosen_range(fdt, KHO_CHOSEN_FDT, &image) &&
	    bootfdt_chosen_range(fdt, BATON_CHOSEN_IMAGE, &image))
		reserve("the image copy", image.base, image.size);
	/* The kernel file a loader placed for a boot that carries a handover
	 * from another kernel (Linux's kexec, through the bzImage). */
	if (bootfdt_chosen_range(fdt, BATON_CHOSEN_LOADER_IMAGE, &image))
		reserve("the loader's image copy", image.base, image.size);
	/* The initrd: kexec.then may keep it (kernel/kexec.c). */
	if (bootfdt_initrd(fdt, &image))
		reserve("the initrd", image.base, image.size);
	memblock_check();
	memblock_dump();
}

/*
 * selftest.c (mm) — boot self-tests of the allocators on the real machine:
 * memblock's record of the boot, the buddy allocator at every order, slab
 * and kmalloc, vmalloc through the real page tables, and running out of
 * memory on purpose. `ktest=all` (or the suite names) runs them.
 */
#include "kernel.h"
#include "ktest.h"
#include "kstring.h"
#include "buddy.h"
#include "folio.h"
#include "memblock.h"
#include "slab.h"
#include "vmalloc.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include <libfdt.h>

/* memblock knows what the kernel occupies; once the buddy allocator has
 * taken over, memblock hands out nothing more. */
KTEST(memblock, boot_layout)
{
	phys_addr_t image = arch_image_phys_base();

	KT_EXPECT(t, memblock_memory_size() > 0);
	KT_EXPECT(t, memblock_is_reserved(image, (u64)(_kernel_end - _kernel_start)));
	KT_EXPECT(t, memblock_is_reserved(virt_to_phys(t->fdt), fdt_totalsize(t->fdt)));
	KT_EXPECT(t, memblock_alloc(PAGE_SIZE, PAGE_SIZE) == 0);
	memblock_check();
}

/* The page allocator on the real machine: blocks of every order are
 * aligned, writable, never the kernel's or the FDT's, and all of it goes
 * back, merged, to exactly the free counts it started with. */
KTEST(buddy, every_order_and_back)
{
	struct buddy_stats before, after;
	struct page *p[MAX_ORDER + 1];

	buddy_drain(); /* compare the lists alone: the per-CPU cache is empty */
	buddy_check();
	buddy_stats(&before);
	KT_EXPECT(t, before.free_pages > 0 && before.free_pages <= before.managed_pages);
	for (unsigned k = 0; k <= MAX_ORDER; k++) {
		p[k] = alloc_pages(k % 2 ? __GFP_ZERO : GFP_KERNEL, k);
		KT_EXPECT(t, p[k] != NULL);
		if (!p[k])
			continue;
		KT_EXPECT(t, page_to_pfn(p[k]) % (1UL << k) == 0);
		/* Never the kernel's or the boot FDT's memory. */
		KT_EXPECT(t, page_to_phys(p[k]) + (PAGE_SIZE << k) <= arch_image_phys_base() ||
			     page_to_phys(p[k]) >= arch_image_phys_base() +
						   (u64)(_kernel_end - _kernel_start));
		KT_EXPECT(t, page_to_phys(p[k]) + (PAGE_SIZE << k) <= virt_to_phys(t->fdt) ||
			     page_to_phys(p[k]) >= virt_to_phys(t->fdt) + fdt_totalsize(t->fdt));
		memset(page_address(p[k]), 0xa5, PAGE_SIZE << k);
	}
	KT_EXPECT(t, free_page_desc(p[0], 1) == -EINVAL); /* wrong order: refused */
	for (unsigned k = 0; k <= MAX_ORDER; k++) {
		if (p[k])
			__free_pages(p[k], k);
	}
	KT_EXPECT(t, p[0] == NULL || free_page_desc(p[0], 0) == -EINVAL); /* double free: refused */
	buddy_check();
	buddy_stats(&after);
	KT_EXPECT(t, after.free_pages == before.free_pages); /* counting the cached pages */
	buddy_drain();
	buddy_check();
	buddy_stats(&after);
	KT_EXPECT(t, after.free_pages == before.free_pages);
	for (unsigned k = 0; k <= MAX_ORDER; k++)
		KT_EXPECT(t, after.nr_free[k] == before.nr_free[k]);
}

/* kmalloc of every size class and a large one, kfree through the memdesc,
 * folios with references, on the real machine. */
KTEST(slab, kmalloc_and_folios)
{
	static const size_t sizes[] = { 8, 24, 96, 200, 512, 4096, 3 * 4096 + 1 };
	void *p[ARRAY_SIZE(sizes)];
	struct folio *f;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i], GFP_KERNEL);
		KT_EXPECT(t, p[i] != NULL && ksize(p[i]) >= sizes[i]);
		if (p[i])
			memset(p[i], (int)i, sizes[i]);
	}
	KT_EXPECT(t, virt_to_folio(p[ARRAY_SIZE(sizes) - 1]) != NULL);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		kfree(p[i]);
	f = folio_alloc(GFP_KERNEL, 4);
	KT_EXPECT(t, f && page_folio(f->page + 15) == f && folio_size(f) == 16 * PAGE_SIZE);
	if (f)
		folio_put(f);
}

/* vmalloc through the real page tables: contiguous, aliased to its pages,
 * a guard page after it, and nothing left behind by vfree. */
KTEST(vmalloc, map_alias_guard)
{
	struct vmalloc_stats before, st;
	phys_addr_t pa;
	u8 *p;

	vmalloc_stats(&before); /* areas others hold (a handed-over list) */
	p = vmalloc(3 * PAGE_SIZE);

	KT_EXPECT(t, p && is_vmalloc_addr(p));
	if (!p)
		return;
	memset(p, 0x6b, 3 * PAGE_SIZE);
	for (int i = 0; i < 3; i++) {
		struct page *pg = vmalloc_to_page(p + i * PAGE_SIZE);

		KT_EXPECT(t, pg && ((u8 *)page_address(pg))[100] == 0x6b);
		KT_EXPECT(t, arch_kernel_page_phys((unsigned long)p + i * PAGE_SIZE, &pa) &&
			     pg && pa == page_to_phys(pg));
	}
	KT_EXPECT(t, !arch_kernel_page_phys((unsigned long)p + 3 * PAGE_SIZE, &pa));
	vfree(p);
	KT_EXPECT(t, !arch_kernel_page_phys((unsigned long)p, &pa));
	vmalloc_stats(&st);
	KT_EXPECT(t, st.areas == before.areas && st.pages == before.pages);
}

/* Run the machine out of memory on purpose: every allocator says NULL,
 * nothing breaks, and freeing it all gives back exactly what there was.
 * The blocks taken are chained through their own first words. */
KTEST(mm, out_of_memory_and_back)
{
	struct buddy_stats before, after;
	void *chain = NULL;
	u64 taken = 0;

	buddy_drain(); /* compare the lists alone: the per-CPU cache is empty */
	buddy_stats(&before);
	for (int k = MAX_ORDER; k >= 0; k--) {
		struct page *p;

		while ((p = alloc_pages(GFP_KERNEL, k)) != NULL) {
			*(void **)page_address(p) = chain;
			*((u64 *)page_address(p) + 1) = (u64)k;
			chain = page_address(p);
			taken += 1UL << k;
		}
	}
	buddy_stats(&after);
	KT_EXPECT(t, after.free_pages == 0 && taken == before.free_pages);
	KT_EXPECT(t, kmalloc(PAGE_SIZE * 2, GFP_KERNEL) == NULL); /* needs a new folio */
	KT_EXPECT(t, vmalloc(PAGE_SIZE * 2) == NULL);
	while (chain) {
		void *next = *(void **)chain;
		unsigned k = (unsigned)*((u64 *)chain + 1);

		__free_pages(virt_to_page(chain), k);
		chain = next;
	}
	buddy_check();
	buddy_stats(&after);
	KT_EXPECT(t, after.free_pages == before.free_pages); /* counting the cached pages */
	buddy_drain();
	buddy_check();
	buddy_stats(&after);
	KT_EXPECT(t, after.free_pages == before.free_pages);
	for (int k = 0; k <= MAX_ORDER; k++)
		KT_EXPECT(t, after.nr_free[k] == before.nr_free[k]);
}

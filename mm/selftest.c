/*
 * selftest.c (mm) — boot self-tests of the allocators on the real machine:
 * memblock's record of the boot, the buddy allocator at every order, slab
 * and kmalloc, vmalloc through the real page tables, running out of
 * memory on purpose, and each allocator's checker and misuse reports
 * (double frees, writes after free, ...). `ktest=all` (or the suite names)
 * runs them.
 */
#include "kernel.h"
#include "ktest.h"
#include "kstring.h"
#include "buddy.h"
#include "folio.h"
#include "memblock.h"
#include "slab.h"
#include "vmalloc.h"
#include "mm/misuse.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include <libfdt.h>

/* memblock knows what the kernel occupies; once the buddy allocator has
 * taken over, memblock hands out nothing more. */
KTEST(memblock, boot_layout)
{
	phys_addr_t image = arch_image_phys_base();

	KT_EXPECT(t, memblock_memory_size() > 0);
	KT_EXPECT(t, memblock_is_reserved(image, kernel_image_size()));
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
				     page_to_phys(p[k]) >=
					     arch_image_phys_base() + kernel_image_size());
		KT_EXPECT(t, page_to_phys(p[k]) + (PAGE_SIZE << k) <= virt_to_phys(t->fdt) ||
				     page_to_phys(p[k]) >=
					     virt_to_phys(t->fdt) + fdt_totalsize(t->fdt));
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
		KT_EXPECT(t, arch_kernel_page_phys((unsigned long)p + i * PAGE_SIZE, &pa) && pg &&
				     pa == page_to_phys(pg));
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

/*
 * The allocators against their callers' mistakes (mm/misuse.h), on the
 * real machine: each test breaks a rule on memory it owns, expects the
 * report's count to go up by exactly what it provoked, the checkers to
 * pass afterwards, and puts back everything it took, so that the memory
 * accounting of the tests after it (and of a kexec chain) is untouched.
 * The report lines these provoke are in the log on purpose; each test
 * says so first.
 */

/* The three checkers pass; a failure names the checker's why. */
static void checkers_pass(struct ktest_ctx *t, int line)
{
	char why[ERR_WHY_MAX];

	if (buddy_verify(why, sizeof(why)) || slab_check(why, sizeof(why)) ||
	    vmalloc_check(why, sizeof(why)))
		ktest_fail(t, "mm/selftest.c:%d: %s", line, why);
}
#define KT_CHECKERS_PASS(t) checkers_pass((t), __LINE__)

/* Every allocator's structures as the boot left them. */
KTEST(mm, checkers_pass)
{
	KT_CHECKERS_PASS(t);
	/* And a checker can fail: a slab's freelist pointed into an object. */
	{
		char why[ERR_WHY_MAX];
		struct kmem_cache *c = kmem_cache_create("ktest-check", 64, 0);
		void *o = c ? kmem_cache_alloc(c, GFP_KERNEL) : NULL;
		struct slab *s = o ? slab_of_page(o) : NULL;
		void *head;

		KT_EXPECT(t, s && s->freelist);
		if (!s || !s->freelist)
			return;
		head = s->freelist;
		s->freelist = (u8 *)head + 8;
		KT_EXPECT(t, slab_check(why, sizeof(why)) == -EINVAL);
		s->freelist = head;
		kmem_cache_free(c, o);
		KT_EXPECT(t, kmem_cache_destroy(c) == 0);
	}
	KT_CHECKERS_PASS(t);
}

/* Allocate from c until the count moves (at most n objects into got);
 * returns how many were taken. None of them is avoid. */
static int kt_take_until(struct ktest_ctx *t, struct kmem_cache *c, void **got, int n,
			 const void *avoid, const u64 *count)
{
	u64 before = *count;
	int i;

	for (i = 0; i < n && *count == before; i++) {
		got[i] = kmem_cache_alloc(c, GFP_KERNEL);
		KT_EXPECT(t, got[i] && got[i] != avoid);
		if (!got[i])
			break;
	}
	return i;
}

/* A free slab object zeroed after free; one in a magazine written over;
 * a write after free with poisoning switched on; a folio put once too
 * often and one with no reference left. */
KTEST(slab, misuse_caught)
{
	u64 before[MISUSE_KINDS], total = misuse_total();
	struct kmem_cache *c = kmem_cache_create("ktest-misuse", 64, 0);
	void *o, *victim, *got[80];
	struct folio *f;
	struct slab *s;
	bool was;
	int n;

	memcpy(before, misuse_count, sizeof(before));
	KT_EXPECT(t, c != NULL);
	if (!c)
		return;
	pr_info("mm: slab.misuse_caught provokes 5 misuses on purpose; their reports follow");

	/* The freelist word of a free object, zeroed. */
	o = kmem_cache_alloc(c, GFP_KERNEL);
	s = o ? slab_of_page(o) : NULL;
	KT_EXPECT(t, s && s->freelist);
	if (!s || !s->freelist)
		return;
	victim = s->freelist;
	memset(victim, 0, 64);
	n = kt_take_until(t, c, got, 80, victim, &misuse_count[MISUSE_SLAB_FREELIST]);
	KT_EXPECT(t, misuse_count[MISUSE_SLAB_FREELIST] == before[MISUSE_SLAB_FREELIST] + 1);
	KT_CHECKERS_PASS(t);
	while (n)
		kmem_cache_free(c, got[--n]);
	kmem_cache_free(c, victim); /* out of use until its holder gives it back */

	/* An object in the magazine, written over (poisoning off: with it
	 * on there are no magazines). */
	was = slab_poison(false);
	kmem_cache_free(c, o);
	*(u64 *)o = 0x6b74657374;
	got[0] = kmem_cache_alloc(c, GFP_KERNEL);
	KT_EXPECT(t, got[0] && got[0] != o);
	KT_EXPECT(t, misuse_count[MISUSE_SLAB_MAGAZINE] == before[MISUSE_SLAB_MAGAZINE] + 1);
	KT_CHECKERS_PASS(t);
	kmem_cache_free(c, got[0]);
	kmem_cache_free(c, o);

	/* A write after free, with poisoning switched on for it. */
	slab_poison(true);
	KT_CHECKERS_PASS(t); /* every free object poisoned, and intact */
	o = kmem_cache_alloc(c, GFP_KERNEL);
	KT_EXPECT(t, o != NULL);
	if (o) {
		kmem_cache_free(c, o);
		((u8 *)o)[40] = 0x11;
		n = kt_take_until(t, c, got, 80, o, &misuse_count[MISUSE_SLAB_POISON]);
		KT_EXPECT(t, misuse_count[MISUSE_SLAB_POISON] == before[MISUSE_SLAB_POISON] + 1);
		KT_CHECKERS_PASS(t);
		while (n)
			kmem_cache_free(c, got[--n]);
		kmem_cache_free(c, o);
	}

	/* A folio put after its last put (poisoning still on, and then off). */
	f = folio_alloc(GFP_KERNEL, 1);
	KT_EXPECT(t, f != NULL);
	if (f) {
		folio_put(f);
		folio_put(f);
	}
	slab_poison(was);
	f = folio_alloc(GFP_KERNEL, 2);
	KT_EXPECT(t, f != NULL);
	if (f) {
		f->refcount = 0;
		folio_put(f);
		f->refcount = 1;
		folio_put(f);
	}
	KT_EXPECT(t, misuse_count[MISUSE_FOLIO_REFCOUNT] == before[MISUSE_FOLIO_REFCOUNT] + 2);
	KT_EXPECT(t, kmem_cache_destroy(c) == 0);  /* every object back */
	KT_EXPECT(t, misuse_total() == total + 5); /* and nothing else reported */
	KT_CHECKERS_PASS(t);
}

/* A double free; a free of what is not a block's head; of a page made to
 * look reserved and preserved-not-restored; a free block's list node
 * overwritten; a write after free with page poisoning switched on. */
KTEST(buddy, misuse_caught)
{
	u64 before[MISUSE_KINDS], total = misuse_total();
	struct buddy_stats start, now;
	struct page *p, *a, *b, *got[64];
	unsigned long md;
	bool was;
	int n;

	memcpy(before, misuse_count, sizeof(before));
	buddy_drain();
	buddy_stats(&start);
	pr_info("mm: buddy.misuse_caught provokes 7 misuses on purpose; their reports follow");

	p = alloc_pages(GFP_KERNEL, 2);
	KT_EXPECT(t, p != NULL);
	if (!p)
		return;
	KT_EXPECT(t, free_page_desc(p + 1, 0) == -EINVAL); /* inside the block */
	KT_EXPECT(t, free_page_desc(p, 3) == -EINVAL);     /* more than the block */
	md = p->memdesc;
	memdesc_set(p, 2, memdesc_make(MEMDESC_PRESERVED, 0));
	KT_EXPECT(t, free_page_desc(p, 2) == -EINVAL); /* as KHO leaves it */
	memdesc_set(p, 2, memdesc_make(MEMDESC_RESERVED, 0));
	__free_pages(p, 2); /* as firmware's */
	memdesc_set(p, 2, md);
	__free_pages(p, 2);
	__free_pages(p, 2); /* twice */
	KT_EXPECT(t, misuse_count[MISUSE_BUDDY_BAD_FREE] == before[MISUSE_BUDDY_BAD_FREE] + 2);
	KT_EXPECT(t, misuse_count[MISUSE_BUDDY_NOT_OURS] == before[MISUSE_BUDDY_NOT_OURS] + 2);
	KT_EXPECT(t,
		  misuse_count[MISUSE_BUDDY_DOUBLE_FREE] == before[MISUSE_BUDDY_DOUBLE_FREE] + 1);
	KT_CHECKERS_PASS(t);

	/* A free block alone on its list (its buddy taken), its node zeroed. */
	a = alloc_pages(GFP_KERNEL, 3);
	b = alloc_pages(GFP_KERNEL, 3);
	KT_EXPECT(t, a && b);
	if (!a || !b)
		return;
	__free_pages(a, 3);
	memset(page_address(a), 0, 16);
	for (n = 0; n < 4; n++)
		got[n] = alloc_pages(GFP_KERNEL, 3);
	KT_EXPECT(t, misuse_count[MISUSE_BUDDY_LIST] == before[MISUSE_BUDDY_LIST] + 1);
	KT_CHECKERS_PASS(t);
	while (n--) {
		if (got[n])
			__free_pages(got[n], 3);
	}
	__free_pages(b, 3);

	/* Page poisoning, switched on for it: a byte written after free. */
	was = buddy_page_poison(true);
	a = alloc_pages(GFP_KERNEL, 0);
	b = alloc_pages(GFP_KERNEL, 0);
	KT_EXPECT(t, a && b);
	if (a && b) {
		__free_pages(a, 0);
		((u8 *)page_address(a))[0x800] = 0;
		for (n = 0;
		     n < 64 && misuse_count[MISUSE_PAGE_POISON] == before[MISUSE_PAGE_POISON];
		     n++) {
			got[n] = alloc_pages(GFP_KERNEL, 0);
			KT_EXPECT(t, got[n] && got[n] != a);
		}
		KT_EXPECT(t, misuse_count[MISUSE_PAGE_POISON] == before[MISUSE_PAGE_POISON] + 1);
		KT_CHECKERS_PASS(t);
		while (n--) {
			if (got[n])
				__free_pages(got[n], 0);
		}
		__free_pages(a, 0); /* kept out of use: its holder gives it back */
		__free_pages(b, 0);
	}
	buddy_page_poison(was);
	KT_EXPECT(t, misuse_total() == total + 7);
	KT_CHECKERS_PASS(t);
	buddy_drain();
	buddy_stats(&now);
	KT_EXPECT(t, now.free_pages == start.free_pages);
}

/* A vfree of an area freed already, and of no area's start; and the
 * checker finding a page unmapped behind vmalloc's back. */
KTEST(vmalloc, misuse_caught)
{
	u64 before = misuse_count[MISUSE_VMALLOC_BAD_FREE], total = misuse_total();
	char why[ERR_WHY_MAX];
	phys_addr_t pa;
	u8 *p, *q;

	pr_info("mm: vmalloc.misuse_caught provokes 2 misuses on purpose; their reports follow");
	p = vmalloc(2 * PAGE_SIZE);
	q = vmalloc(PAGE_SIZE);
	KT_EXPECT(t, p && q);
	if (!p || !q)
		return;
	KT_CHECKERS_PASS(t);
	KT_EXPECT(t, arch_kernel_page_phys((unsigned long)p + PAGE_SIZE, &pa));
	arch_unmap_kernel_page((unsigned long)p + PAGE_SIZE);
	KT_EXPECT(t, vmalloc_check(why, sizeof(why)) == -EINVAL);
	KT_EXPECT(t, arch_map_kernel_page((unsigned long)p + PAGE_SIZE, pa));
	KT_CHECKERS_PASS(t);
	vfree(q);
	vfree(q);
	vfree(p + PAGE_SIZE);
	KT_EXPECT(t, misuse_count[MISUSE_VMALLOC_BAD_FREE] == before + 2);
	KT_EXPECT(t, misuse_total() == total + 2);
	vfree(p);
	KT_CHECKERS_PASS(t);
}

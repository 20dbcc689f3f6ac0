/*
 * preserve.c — the outgoing side of KHO: the preserve and unpreserve
 * calls, which set and clear bits in the radix tree (kho/radix.c), and
 * kho_preserved, which asks. Nothing is copied: preserved memory stays
 * where it is. A call that fails (-ENOMEM: no page for a radix node)
 * leaves nothing of itself set.
 */
#include "kho.h"
#include "kho_internal.h"
#include "buddy.h"
#include "folio.h"
#include "memblock.h"
#include "kstring.h"
#include "printk.h"

/* One aligned block, already checked to be the allocator's. */
static int preserve_block(u64 pfn, unsigned order)
{
	phys_addr_t pa = pfn << PAGE_SHIFT;

	if (kho_in_scratch(pa, PAGE_SIZE << order)) {
		pr_err("kho: refused to preserve 0x%llx order %u: it is inside scratch; not preserved",
		       (unsigned long long)pa, order);
		return -EINVAL;
	}
	return kho_radix_set(&kho.tree, pa, order);
}

int kho_preserve_folio(struct folio *f)
{
	if (!f || page_folio(f->page) != f)
		return -EINVAL;
	return preserve_block(folio_pfn(f), folio_order(f));
}

int kho_unpreserve_folio(struct folio *f)
{
	return kho_radix_clear(&kho.tree, folio_pfn(f) << PAGE_SHIFT, folio_order(f));
}

static bool allocated(u64 pfn, u64 nr)
{
	for (u64 i = 0; i < nr; i++) {
		enum memdesc_type t;

		if (!pfn_valid(pfn + i))
			return false;
		t = memdesc_type(pfn_to_page(pfn + i)->memdesc);
		if (t == MEMDESC_FREE || t == MEMDESC_FREE_TAIL || t == MEMDESC_RESERVED ||
		    t == MEMDESC_PRESERVED)
			return false;
	}
	return true;
}

int kho_preserve_pages(struct page *page, u64 nr_pages)
{
	u64 pfn, end, done;
	int err = 0;

	if (!page || !nr_pages || !allocated(page_to_pfn(page), nr_pages)) {
		pr_err("kho: refused to preserve pages that are not allocated; not preserved");
		return -EINVAL;
	}
	pfn = page_to_pfn(page);
	end = pfn + nr_pages;
	for (done = pfn; done < end; done += 1UL << kho_run_order(done, end)) {
		err = preserve_block(done, kho_run_order(done, end));
		if (err)
			break;
	}
	if (err) /* undo what was set: all or nothing */
		for (u64 p = pfn; p < done; p += 1UL << kho_run_order(p, end))
			kho_radix_clear(&kho.tree, p << PAGE_SHIFT, kho_run_order(p, end));
	return err;
}

int kho_unpreserve_pages(struct page *page, u64 nr_pages)
{
	u64 pfn = page_to_pfn(page), end = pfn + nr_pages;
	int err = 0;

	for (u64 p = pfn; p < end; p += 1UL << kho_run_order(p, end)) {
		if (kho_radix_clear(&kho.tree, p << PAGE_SHIFT, kho_run_order(p, end)) < 0)
			err = -ENOENT;
	}
	return err;
}

bool kho_preserved(phys_addr_t pa, unsigned int order)
{
	return kho_radix_test(&kho.tree, pa, order);
}

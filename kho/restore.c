/*
 * restore.c — the incoming side of KHO after kho_scan (validate.c) has
 * accepted a handover: the preserved blocks are marked in the memmap, and
 * the restore calls hand them back to the allocator, each exactly once,
 * with the memdesc word their new owner wants.
 */
#include "kho.h"
#include "kho_internal.h"
#include "bootfdt.h"
#include "buddy.h"
#include "folio.h"
#include "kstring.h"
#include "memblock.h"
#include "printk.h"
#include <libfdt.h>

#define KHO_MAGIC 0x4b484f50UL /* "KHOP", as Linux marks a preserved head */
#define KHO_MD_HEAD(order) memdesc_make(MEMDESC_PRESERVED, (KHO_MAGIC << 8) | (order))
#define KHO_MD_TAIL memdesc_make(MEMDESC_PRESERVED, 0xff)

void kho_mark_preserved(void)
{
	for (u64 i = 0; i < kho.nr_blocks; i++) {
		struct page *p = pfn_to_page(kho.blocks[i].pa >> PAGE_SHIFT);

		memdesc_set(p, kho.blocks[i].order, KHO_MD_TAIL);
		p->memdesc = KHO_MD_HEAD(kho.blocks[i].order);
	}
}

bool kho_is_kho_boot(void)
{
	return kho.in_fdt != 0;
}

/* After kho_mark_preserved the memmap is the record of what still waits:
 * the head word of a block not yet restored says PRESERVED, with the magic
 * and its order. A restore changes it, so nothing is restored twice. */
static int waiting_order(phys_addr_t phys)
{
	u64 pfn = phys >> PAGE_SHIFT;
	unsigned long md;

	if ((phys & (PAGE_SIZE - 1)) || !pfn_valid(pfn))
		return -1;
	md = pfn_to_page(pfn)->memdesc;
	if (memdesc_type(md) != MEMDESC_PRESERVED || (memdesc_data(md) >> 8) != KHO_MAGIC)
		return -1;
	return (int)(memdesc_data(md) & 0xff);
}

u64 kho_unclaimed_pages(void)
{
	u64 n = 0;

	for (u64 i = 0; i < kho.nr_blocks; i++) {
		if (waiting_order(kho.blocks[i].pa) >= 0)
			n += 1UL << kho.blocks[i].order;
	}
	return n;
}

bool kho_block_waits(phys_addr_t phys, unsigned order)
{
	return waiting_order(phys) == (int)order;
}

bool kho_waiting(phys_addr_t phys, unsigned order)
{
	if (waiting_order(phys) != (int)order) {
		pr_err("kho: nothing of order %u waits at 0x%llx (never preserved, or restored "
		       "already)", order, (unsigned long long)phys);
		return false;
	}
	return true;
}

/* Hand a block known to be waiting to the allocator, tagged md. */
static struct page *restore_block(phys_addr_t phys, unsigned order, unsigned long md)
{
	struct page *page = pfn_to_page(phys >> PAGE_SHIFT);

	memdesc_set(page, order, md);
	buddy_adopt(page, order);
	return page;
}

struct page *kho_restore_page_desc(phys_addr_t phys, unsigned int order, unsigned long md)
{
	return kho_waiting(phys, order) ? restore_block(phys, order, md) : NULL;
}

struct folio *kho_restore_folio(phys_addr_t phys)
{
	int order = waiting_order(phys);
	struct folio *f;
	struct page *page;

	if (order < 0) {
		pr_err("kho: no folio waits at 0x%llx (never preserved, or restored already)",
		       (unsigned long long)phys);
		return NULL;
	}
	f = folio_desc_alloc();
	if (!f)
		return NULL;
	page = kho_restore_page_desc(phys, (unsigned)order, memdesc_ptr(MEMDESC_FOLIO, f));
	if (!page) {
		folio_desc_free(f);
		return NULL;
	}
	*f = (struct folio){ .page = page, .order = (u32)order, .refcount = 1 };
	return f;
}

/* Same split as kho_preserve_pages. */
static unsigned run_order(u64 pfn, u64 end)
{
	unsigned order = 0;

	while (order < MAX_ORDER && !(pfn & (1UL << order)) && pfn + (2UL << order) <= end)
		order++;
	return order;
}

struct page *kho_restore_pages(phys_addr_t phys, u64 nr_pages)
{
	u64 pfn = phys >> PAGE_SHIFT, end = pfn + nr_pages;

	if (!nr_pages || (phys & (PAGE_SIZE - 1)))
		return NULL;
	if (!(nr_pages & (nr_pages - 1)) && !(pfn & (nr_pages - 1)) &&
	    nr_pages <= (1UL << MAX_ORDER)) {
		/* One aligned block (an alloc_pages block): the common case. */
		unsigned o = (unsigned)__builtin_ctzll(nr_pages);

		return kho_waiting(phys, o) ? restore_block(phys, o, MEMDESC_PAGES_OF(o)) : NULL;
	}
	for (u64 p = pfn, o; p < end; p += 1UL << o) { /* all there, first */
		o = run_order(p, end);
		if (!kho_waiting(p << PAGE_SHIFT, (unsigned)o))
			return NULL;
	}
	for (u64 p = pfn, o; p < end; p += 1UL << o) {
		o = run_order(p, end);
		restore_block(p << PAGE_SHIFT, (unsigned)o, MEMDESC_PAGES_OF(o));
	}
	return pfn_to_page(pfn);
}

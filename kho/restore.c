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

/*
 * A preserved block waiting in the memmap. Its head page's word is
 *
 *     PRESERVED | data = KHO_MAGIC << 16 | owner << 8 | order
 *
 * and every other page of it says PRESERVED with data 0xff (a tail), e.g.
 * an order-2 block of the slab records at pfn 0x40100: 0x40100 holds the
 * head (owner SLAB, order 2), 0x40101..0x40103 tails. The owner says who
 * may take it (rule 17 of validate.c, kept after the scan):
 *
 *     ANY     any restore call: folio, pages, vmalloc, page_desc
 *     CORE    nobody: the root FDT and the scratch array, which stay
 *             preserved until the next handover replaces them
 *     SLAB    kho/slab_in.c only: the slab records' chunks and their slabs
 *     TAKING  claimed by a restore that proves a whole structure first
 *             (kho_restore_vmalloc) and takes it next
 *
 * A restore rewrites the head word, so nothing is restored twice, and one
 * that asks for another owner's block is refused with a message.
 */
#define KHO_MAGIC 0x4b484f50UL /* "KHOP", as Linux marks a preserved head */
#define KHO_MD_HEAD(owner, order) \
	memdesc_make(MEMDESC_PRESERVED, (KHO_MAGIC << 16) | ((owner) << 8) | (order))
#define KHO_MD_TAIL memdesc_make(MEMDESC_PRESERVED, 0xff)
/* A head word with its order bits cleared: a restore's fast path compares
 * the word with what it expects once, and looks no further when it
 * matches (a word that does not goes the slow way, which says why). */
#define KHO_MD_ORDER_BITS memdesc_make(0, 0xff)

static const char *const owner_names[] = {
	[KHO_OWNER_ANY] = "any restore",
	[KHO_OWNER_CORE] = "the handover itself",
	[KHO_OWNER_SLAB] = "the slab records",
	[KHO_OWNER_TAKING] = "the restore in progress (named twice?)",
};

/* A run of blocks at a time (kho_internal.h): order-0 blocks are all
 * heads, one fill; bigger ones are tails with a head every 2^order pages. */
void kho_mark_preserved(void)
{
	for (u64 i = 0; i < kho.nr_block_runs; i++) {
		const struct kho_block_run *r = &kho.blocks[i];
		struct page *p = pfn_to_page(r->pa >> PAGE_SHIFT);
		u64 pages = (r->end - r->pa) >> PAGE_SHIFT, step = 1ULL << r->order;

		if (pages == 1) { /* one order-0 block alone */
			p->memdesc = KHO_MD_HEAD(KHO_OWNER_ANY, 0);
			continue;
		}
		if (!r->order) {
			memdesc_fill(p, KHO_MD_HEAD(KHO_OWNER_ANY, 0), pages);
			continue;
		}
		memdesc_fill(p, KHO_MD_TAIL, pages);
		for (u64 k = 0; k < pages; k += step)
			p[k].memdesc = KHO_MD_HEAD(KHO_OWNER_ANY, r->order);
	}
	for (u64 i = 0; i < kho.nr_owned; i++) {
		struct page *p = pfn_to_page(kho.owned[i].pa >> PAGE_SHIFT);

		p->memdesc = KHO_MD_HEAD(kho.owned[i].owner, memdesc_data(p->memdesc) & 0xff);
	}
}

/* The order of the block waiting at phys and its owner; -1 if none. */
static int waiting_order(phys_addr_t phys, unsigned *owner)
{
	u64 pfn = phys >> PAGE_SHIFT;
	unsigned long md;

	if ((phys & (PAGE_SIZE - 1)) || !pfn_valid(pfn))
		return -ENOENT;
	md = pfn_to_page(pfn)->memdesc;
	if (memdesc_type(md) != MEMDESC_PRESERVED || (memdesc_data(md) >> 16) != KHO_MAGIC)
		return -ENOENT;
	*owner = (memdesc_data(md) >> 8) & 0xff;
	return (int)(memdesc_data(md) & 0xff);
}

u64 kho_unclaimed_pages(void)
{
	unsigned owner;
	u64 n = 0;

	for (u64 i = 0; i < kho.nr_block_runs; i++) {
		const struct kho_block_run *r = &kho.blocks[i];

		for (phys_addr_t pa = r->pa; pa < r->end; pa += PAGE_SIZE << r->order)
			if (waiting_order(pa, &owner) >= 0)
				n += 1UL << r->order;
	}
	return n;
}

bool kho_block_waits_for(phys_addr_t phys, unsigned order, unsigned owner)
{
	unsigned o = 0;

	return waiting_order(phys, &o) == (int)order && o == owner;
}

bool kho_waiting_for(phys_addr_t phys, unsigned order, unsigned owner)
{
	unsigned o = 0;
	int got = waiting_order(phys, &o);

	if (got != (int)order) {
		pr_err("kho: nothing of order %u waits at 0x%llx (never preserved, or restored "
		       "already); not restored",
		       order, (unsigned long long)phys);
		return false;
	}
	if (o != owner) {
		pr_err("kho: the block at 0x%llx belongs to %s; not restored",
		       (unsigned long long)phys,
		       o < ARRAY_SIZE(owner_names) ? owner_names[o] : "?");
		return false;
	}
	return true;
}

bool kho_waiting(phys_addr_t phys, unsigned order)
{
	return kho_waiting_for(phys, order, KHO_OWNER_ANY);
}

int kho_take(phys_addr_t phys, unsigned order)
{
	if (!kho_waiting_for(phys, order, KHO_OWNER_ANY))
		return -ENOENT;
	pfn_to_page(phys >> PAGE_SHIFT)->memdesc = KHO_MD_HEAD(KHO_OWNER_TAKING, order);
	return 0;
}

void kho_untake(phys_addr_t phys, unsigned order)
{
	if (kho_block_waits_for(phys, order, KHO_OWNER_TAKING))
		pfn_to_page(phys >> PAGE_SHIFT)->memdesc = KHO_MD_HEAD(KHO_OWNER_ANY, order);
}

/* Hand a block known to be waiting to the allocator, tagged md. */
static struct page *restore_block(phys_addr_t phys, unsigned order, unsigned long md)
{
	struct page *page = pfn_to_page(phys >> PAGE_SHIFT);

	if (order)
		memdesc_set(page, order, md);
	else
		page->memdesc = md;
	buddy_adopt(page, order);
	return page;
}

/* The page allocator's blocks go up to MAX_ORDER; a preserved block may be
 * bigger (kho.h, KHO_MAX_BLOCK_ORDER). Only a run of pages can take it. */
static bool fits_allocator(phys_addr_t phys, unsigned order, const char *as)
{
	if (order <= MAX_ORDER)
		return true;
	pr_err("kho: the block at 0x%llx is of order %u, above the page allocator's %u: it "
	       "cannot come back as %s (kho_restore_pages takes it); not restored",
	       (unsigned long long)phys, order, MAX_ORDER, as);
	return false;
}

struct page *kho_restore_owned(phys_addr_t phys, unsigned order, unsigned owner, unsigned long md)
{
	u64 pfn = phys >> PAGE_SHIFT;

	if (!(phys & (PAGE_SIZE - 1)) && pfn_valid(pfn) && order <= MAX_ORDER &&
	    pfn_to_page(pfn)->memdesc == KHO_MD_HEAD(owner, order))
		return restore_block(phys, order, md);
	if (!fits_allocator(phys, order, "one block") || !kho_waiting_for(phys, order, owner))
		return NULL;
	return restore_block(phys, order, md);
}

struct page *kho_restore_page_desc(phys_addr_t phys, unsigned int order, unsigned long md)
{
	return kho_restore_owned(phys, order, KHO_OWNER_ANY, md);
}

/* kho_restore_folio when the head word is not a waiting block's of any
 * restore and an order the allocator has: say why. */
static __noinline struct folio *restore_folio_refused(phys_addr_t phys)
{
	unsigned owner;
	int order = waiting_order(phys, &owner);

	if (order < 0)
		pr_err("kho: no folio waits at 0x%llx (never preserved, or restored already); not restored",
		       (unsigned long long)phys);
	else if (fits_allocator(phys, (unsigned)order, "a folio"))
		kho_waiting_for(phys, (unsigned)order, KHO_OWNER_ANY); /* another owner's */
	return NULL;
}

struct folio *kho_restore_folio(phys_addr_t phys)
{
	u64 pfn = phys >> PAGE_SHIFT;
	struct folio *f;
	struct page *page;
	unsigned long md;
	unsigned order;

	if ((phys & (PAGE_SIZE - 1)) || !pfn_valid(pfn))
		return restore_folio_refused(phys);
	page = pfn_to_page(pfn);
	md = page->memdesc;
	order = (unsigned)(memdesc_data(md) & 0xff);
	if ((md & ~KHO_MD_ORDER_BITS) != KHO_MD_HEAD(KHO_OWNER_ANY, 0) || order > MAX_ORDER)
		return restore_folio_refused(phys);
	f = folio_desc_alloc();
	if (!f)
		return NULL;
	if (order)
		memdesc_set(page, order, memdesc_ptr(MEMDESC_FOLIO, f));
	else
		page->memdesc = memdesc_ptr(MEMDESC_FOLIO, f);
	buddy_adopt(page, order);
	*f = (struct folio){ .page = page, .order = order, .refcount = 1 };
	return f;
}

/* kho_restore_pages for anything but one aligned block waiting for any
 * restore: a run, or a refusal. */
static __noinline struct page *restore_run(phys_addr_t phys, u64 nr_pages)
{
	u64 pfn = phys >> PAGE_SHIFT, end;

	/* The count is the caller's: bounded by the memmap before any sum. */
	if (!nr_pages || (phys & (PAGE_SIZE - 1)) || !pfn_valid(pfn) ||
	    nr_pages > memmap_end_pfn - pfn) {
		pr_err("kho: no run of %llu preserved pages starts at 0x%llx; not restored",
		       (unsigned long long)nr_pages, (unsigned long long)phys);
		return NULL;
	}
	end = pfn + nr_pages;
	if (!(nr_pages & (nr_pages - 1)) && !(pfn & (nr_pages - 1)) &&
	    nr_pages <= (1UL << MAX_ORDER)) {
		/* One aligned block (an alloc_pages block), not waiting: why. */
		unsigned o = (unsigned)__builtin_ctzll(nr_pages);

		return kho_waiting(phys, o) ? restore_block(phys, o, MEMDESC_PAGES_OF(o)) : NULL;
	}
	/* The run as it was split (kho_run_order): all there, first. */
	for (u64 p = pfn, o; p < end; p += 1ULL << o) {
		o = kho_run_order(p, end);
		if (!kho_waiting(p << PAGE_SHIFT, (unsigned)o))
			return NULL;
	}
	/* Then back, as alloc_pages blocks: a block above MAX_ORDER (Linux's
	 * split has no cap) as the MAX_ORDER blocks it is made of. */
	for (u64 p = pfn, o; p < end; p += 1ULL << o) {
		o = kho_run_order(p, end);
		for (u64 q = p; q < p + (1ULL << o); q += 1ULL << MIN(o, (u64)MAX_ORDER))
			restore_block(q << PAGE_SHIFT, (unsigned)MIN(o, (u64)MAX_ORDER),
				      MEMDESC_PAGES_OF(MIN(o, (u64)MAX_ORDER)));
	}
	return pfn_to_page(pfn);
}

struct page *kho_restore_pages(phys_addr_t phys, u64 nr_pages)
{
	u64 pfn = phys >> PAGE_SHIFT;

	/* The common cases first: one page, or one aligned block (an
	 * alloc_pages block), waiting for any restore, its head word exactly
	 * as marked. */
	if (nr_pages == 1 && !(phys & (PAGE_SIZE - 1)) && pfn_valid(pfn)) {
		struct page *page = pfn_to_page(pfn);

		if (page->memdesc == KHO_MD_HEAD(KHO_OWNER_ANY, 0)) {
			page->memdesc = MEMDESC_PAGES_OF(0);
			buddy_adopt(page, 0);
			return page;
		}
	} else if (!(nr_pages & (nr_pages - 1)) && nr_pages && nr_pages <= (1UL << MAX_ORDER) &&
		   !(phys & ((nr_pages << PAGE_SHIFT) - 1)) && pfn_valid(pfn)) {
		unsigned o = (unsigned)__builtin_ctzll(nr_pages);

		struct page *page = pfn_to_page(pfn);

		if (page->memdesc == KHO_MD_HEAD(KHO_OWNER_ANY, o)) {
			memdesc_set(page, o, MEMDESC_PAGES_OF(o));
			buddy_adopt(page, o);
			return page;
		}
	}
	return restore_run(phys, nr_pages);
}

/*
 * buddy.h — the page allocator: blocks of 2^order pages, order 0..MAX_ORDER.
 *
 * The lowest entry points take and give back a block together with the
 * memdesc word every page of it is to carry (include/page.h):
 *
 *     page = alloc_page_desc(GFP_KERNEL, order, memdesc_ptr(MEMDESC_FOLIO, f));
 *     free_page_desc(page, order);
 *
 * alloc_pages/__free_pages are the same for bare pages (MEMDESC_PAGES).
 *
 * In front of the order-0 free list sits the per-CPU page cache (struct
 * buddy_pcp below, Linux's pcp lists; Baton has one CPU): alloc_pages and
 * __free_pages of order 0 are inline here and only push or pop it; the
 * buddy itself is reached in batches, out of line, when the cache runs
 * empty or full.
 */
#ifndef BATON_BUDDY_H
#define BATON_BUDDY_H

#include "compiler.h"
#include "gfp.h"
#include "page.h"
#include "panic.h"

/*
 * MAX_ORDER 10: the largest block is 4 MiB. That holds a 2 MiB huge page
 * (order 9) with room for two of them to merge, which is what page tables,
 * large folios and KHO's tests ask for; anything larger is a boot-time
 * allocation and memblock's job. Larger orders would cost nothing at run
 * time, but every free range would then start with its alignment holes
 * split into more, smaller blocks for no gain.
 */
#define MAX_ORDER 10

/*
 * The per-CPU page cache: free order-0 pages kept off the buddy's lists,
 * handed out again first (last freed, first out: its page is warm).
 *
 * Invariants (buddy_check checks them all; the fast paths check the word
 * of the page they take):
 *   0 <= count <= high; high is BUDDY_PCP_HIGH, or 0 while page poisoning
 *   is on (buddy_page_poison): then the cache stays empty and every
 *   order-0 allocation and free takes the checked way, which poisons and
 *   checks;
 *   pages[0..count) are count distinct order-0 pages, on no free list,
 *   each with the memdesc word BUDDY_PCP_WORD = memdesc_make(MEMDESC_FREE,
 *   BUDDY_PCP_MARK): its type is FREE, so everything that asks "is this
 *   page free?" (a double free, KHO refusing to preserve a free page, the
 *   census) says yes; its data is no order, so a merge never takes it for
 *   a free buddy block and never touches it;
 *   the allocator's free pages = the pages on the lists + count
 *   (buddy_stats reports both together).
 * Example: count 3; __free_pages(p, 0) stores p in pages[3], makes count 4
 * and p's word BUDDY_PCP_WORD; the next alloc_pages(gfp, 0) returns p.
 *
 * The cache meets the buddy in batches of BUDDY_PCP_BATCH: an order-0
 * allocation that finds it empty first moves a batch in from the lists; a
 * free that finds it full first gives its oldest batch (pages[0..BATCH))
 * back to the lists, merging. An allocation the lists cannot serve drains
 * the whole cache and tries again before it fails, so a cached page is
 * never out of reach.
 */
#define BUDDY_PCP_HIGH 256
#define BUDDY_PCP_BATCH 64
#define BUDDY_PCP_MARK 0xfcUL
#define BUDDY_PCP_WORD memdesc_make(MEMDESC_FREE, BUDDY_PCP_MARK)
_Static_assert(BUDDY_PCP_MARK > MAX_ORDER, "a cached page's word is no free block's");
_Static_assert(BUDDY_PCP_BATCH <= BUDDY_PCP_HIGH, "a batch fits the cache");

struct buddy_pcp {
	u32 count, high;
	struct page *pages[BUDDY_PCP_HIGH];
};
extern struct buddy_pcp buddy_pcp;

/* NULL when no block of that order is free (or order > MAX_ORDER). */
struct page *alloc_page_desc(gfp_t gfp, unsigned int order, unsigned long memdesc);

/* Give back a block alloc_page_desc returned, with its order. A block that
 * is not one is refused and left exactly as it was, with one line that
 * says so and a count in misuse_count[] (mm/misuse.h): free already (a
 * double free), not the head of an allocated block of that order (it
 * stays allocated: leaked), reserved or preserved by KHO and not restored
 * (it stays so). Returns -EINVAL then, else 0. */
int free_page_desc(struct page *page, unsigned int order);

/* A block that was never the allocator's (KHO: restored preserved memory)
 * becomes its own: the caller has given it an allocated memdesc word, and
 * from now on free_page_desc takes it like any other block. Inline: one
 * addition, on every restore's path. */
extern u64 buddy_managed_pages; /* pages the allocator was given */
static inline void buddy_adopt(struct page *page, unsigned int order)
{
	(void)page;
	buddy_managed_pages += 1UL << order;
}

/* __free_pages' slow path (order > 0, a full cache, anything to refuse). */
void buddy_free_pages(struct page *page, unsigned int order);

/* Bare pages. Order 0 with the cache holding a page: a pop. */
static inline struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	if (order == 0 && !(gfp & __GFP_ZERO) && likely(buddy_pcp.count)) {
		struct page *page = buddy_pcp.pages[--buddy_pcp.count];

		DEBUG_BUG_ON(page->memdesc != BUDDY_PCP_WORD);
		page->memdesc = MEMDESC_PAGES_OF(0);
		return page;
	}
	return alloc_page_desc(gfp, order, MEMDESC_PAGES_OF(order));
}

/* Order 0, a page of the memmap that alloc_pages gave out (its word says
 * so exactly) and room in the cache: a push. Anything else, including
 * every free to refuse, goes the checked way, buddy_free_pages. */
static inline void __free_pages(struct page *page, unsigned int order)
{
	if (order == 0 &&
	    (uintptr_t)page - (uintptr_t)memmap < memmap_pages * sizeof(struct page) &&
	    page->memdesc == MEMDESC_PAGES_OF(0) && likely(buddy_pcp.count < buddy_pcp.high)) {
		page->memdesc = BUDDY_PCP_WORD;
		buddy_pcp.pages[buddy_pcp.count++] = page;
		return;
	}
	buddy_free_pages(page, order);
}

/* Give every page in the per-CPU cache back to the lists (merging them),
 * as an allocation the lists cannot serve does. For tests that look at
 * the lists themselves; the free page count does not change. */
void buddy_drain(void);

/* Take over every range memblock has free, in the largest aligned blocks,
 * and retire memblock. Returns 0, or -ENOMEM when the memmap cannot be
 * made. */
int buddy_init(void);

struct buddy_stats {
	u64 managed_pages;          /* pages the allocator was given */
	u64 free_pages;             /* of them, free now (cached ones too) */
	u64 nr_free[MAX_ORDER + 1]; /* free blocks of each order on the lists */
	u64 pcp_pages;              /* order-0 pages in the per-CPU cache */
};
void buddy_stats(struct buddy_stats *st);

/* Print the free blocks per order and the totals. */
void buddy_dump(void);

/* Walk every free list and the per-CPU cache and check their pages
 * against the memmap, and every poisoned free page's contents. Returns 0,
 * or -EINVAL with the first inconsistency in why (kerrno.h). For tests and
 * the self-tests: O(free blocks + cached pages), O(free memory) when
 * pages are poisoned. */
int buddy_verify(char *why, size_t n);
/* buddy_verify, with a panic that names the inconsistency. */
void buddy_check(void);

/*
 * Page poisoning (page_poison=on|off on the command line, Linux's name;
 * off by default): every block freed while it is on is filled with
 * BUDDY_POISON_BYTE and its pages' words marked MEMDESC_POISONED; a marked
 * page is checked when it is handed out again (on or off by then), and a
 * byte that changed is a write after free: reported (MISUSE_PAGE_POISON)
 * and the block kept out of use (leaked), another taken in its place.
 * Pages freed while it is off carry no mark and are not checked. The
 * per-CPU cache is bypassed while it is on (its fast paths do not check).
 * Switchable at run time, for tests; returns the previous setting.
 */
#define BUDDY_POISON_BYTE 0xaa
bool buddy_page_poison(bool on);

#endif

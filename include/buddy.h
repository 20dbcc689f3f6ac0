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
 */
#ifndef BATON_BUDDY_H
#define BATON_BUDDY_H

#include "gfp.h"
#include "page.h"

/*
 * MAX_ORDER 10: the largest block is 4 MiB. That holds a 2 MiB huge page
 * (order 9) with room for two of them to merge, which is what page tables,
 * large folios and KHO's tests ask for; anything larger is a boot-time
 * allocation and memblock's job. Larger orders would cost nothing at run
 * time, but every free range would then start with its alignment holes
 * split into more, smaller blocks for no gain.
 */
#define MAX_ORDER 10

/* NULL when no block of that order is free (or order > MAX_ORDER). */
struct page *alloc_page_desc(gfp_t gfp, unsigned int order, unsigned long memdesc);

/* Give back a block alloc_page_desc returned, with its order. A block that
 * is not one (already free, wrong order, not from the allocator) is
 * refused with a message and left alone; returns -EINVAL then, else 0. */
int free_page_desc(struct page *page, unsigned int order);

/* A block that was never the allocator's (KHO: restored preserved memory)
 * becomes its own: the caller has given it an allocated memdesc word, and
 * from now on free_page_desc takes it like any other block. */
void buddy_adopt(struct page *page, unsigned int order);

struct page *alloc_pages(gfp_t gfp, unsigned int order);
void __free_pages(struct page *page, unsigned int order);

/* Take over every range memblock has free, in the largest aligned blocks,
 * and retire memblock. Returns 0, or -ENOMEM when the memmap cannot be
 * made. */
int buddy_init(void);

struct buddy_stats {
	u64 managed_pages;            /* pages the allocator was given */
	u64 free_pages;               /* of them, free now */
	u64 nr_free[MAX_ORDER + 1];   /* free blocks of each order */
};
void buddy_stats(struct buddy_stats *st);

/* Print the free blocks per order and the totals. */
void buddy_dump(void);

/* Walk every free list and check its blocks against the memmap; panics on
 * the first inconsistency. For tests: O(free blocks). */
void buddy_check(void);

#endif

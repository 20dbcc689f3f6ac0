/*
 * buddy.c — the buddy page allocator (include/buddy.h).
 *
 * Free memory is kept as blocks of 2^order pages, each aligned to its own
 * size, on one list per order. Splitting a block of order k gives two
 * "buddies" of order k - 1; freeing a block merges it with its buddy as
 * long as the buddy is free and whole, up to MAX_ORDER.
 *
 * The lists run through the free memory itself: the first bytes of a free
 * block hold its list node, so struct page stays one word. The memmap says
 * which pages are free heads (MEMDESC_FREE with the order), which are the
 * rest of a free block (MEMDESC_FREE_TAIL), and what every allocated page
 * belongs to. Single CPU, no locking.
 *
 * Order-0 pages go through the per-CPU page cache first (struct buddy_pcp,
 * include/buddy.h, whose inline alloc_pages/__free_pages are its fast
 * path); this file fills and drains it in batches, counts its pages as
 * free, checks it in buddy_check, and drains it before any allocation
 * fails.
 */
#include "buddy.h"
#include "compiler.h"
#include "kstring.h"
#include "memblock.h"
#include "panic.h"
#include "printk.h"

/* A free block's list node, in the block's first bytes. */
struct free_node {
	struct free_node *next, *prev;
};

/*
 * Invariants, checked by buddy_check() (and in part on every call):
 *   - a block on free[k] starts at a pfn with pfn % 2^k == 0; its head page
 *     is FREE with order k, its other 2^k - 1 pages FREE_TAIL;
 *   - the buddy of the block at pfn, order k, is at pfn ^ 2^k (for k = 2,
 *     pfn 8's buddy is 12 and 12's is 8); two free buddies of the same
 *     order are always merged, so never both on free[k];
 *   - nr_free[k] is the length of free[k], and
 *     free_pages = sum over k of nr_free[k] * 2^k.
 */
static struct {
	struct free_node free[MAX_ORDER + 1]; /* circular lists, sentinel heads */
	u64 nr_free[MAX_ORDER + 1];
	u64 free_pages; /* on the lists only */
} buddy;

u64 buddy_managed_pages; /* buddy.h: pages the allocator was given */

struct buddy_pcp buddy_pcp;

static struct free_node *node_of(u64 pfn)
{
	return phys_to_virt(pfn << PAGE_SHIFT);
}

static u64 pfn_of(const struct free_node *n)
{
	return virt_to_phys(n) >> PAGE_SHIFT;
}

static void list_push(unsigned order, u64 pfn)
{
	struct free_node *n = node_of(pfn), *head = &buddy.free[order];

	n->next = head->next;
	n->prev = head;
	head->next->prev = n;
	head->next = n;
	buddy.nr_free[order]++;
	pfn_to_page(pfn)->memdesc = memdesc_make(MEMDESC_FREE, order);
}

static void list_del(unsigned order, u64 pfn)
{
	struct free_node *n = node_of(pfn);

	n->prev->next = n->next;
	n->next->prev = n->prev;
	buddy.nr_free[order]--;
}

/* Put the block [pfn, pfn + 2^order) on the free lists, merging it with its
 * buddy while the buddy is a free block of the same order. The block's
 * pages must not be free already. */
static void free_block(u64 pfn, unsigned order)
{
	buddy.free_pages += 1UL << order;
	memdesc_set(pfn_to_page(pfn), order, memdesc_make(MEMDESC_FREE_TAIL, 0));
	while (order < MAX_ORDER) {
		u64 b = pfn ^ (1UL << order);

		if (!pfn_valid(b) || pfn_to_page(b)->memdesc != memdesc_make(MEMDESC_FREE, order))
			break;
		list_del(order, b);
		pfn_to_page(b)->memdesc = memdesc_make(MEMDESC_FREE_TAIL, 0);
		pfn &= ~(1UL << order); /* the merged block starts at the lower one */
		order++;
	}
	list_push(order, pfn);
}

/* Take a block of the order off the lists, splitting a larger one; NULL
 * when the lists have none. */
static struct page *take_block(unsigned int order)
{
	unsigned k = order;
	u64 pfn;

	while (k <= MAX_ORDER && buddy.nr_free[k] == 0)
		k++;
	if (k > MAX_ORDER)
		return NULL;

	pfn = pfn_of(buddy.free[k].next);
	BUG_ON(pfn_to_page(pfn)->memdesc != memdesc_make(MEMDESC_FREE, k));
	list_del(k, pfn);
	/* Split: keep the lower half, free the upper one, down to order. */
	while (k > order) {
		k--;
		list_push(k, pfn + (1UL << k));
	}
	buddy.free_pages -= 1UL << order;
	return pfn_to_page(pfn);
}

/* Give the cache's pages [0, n) back to the lists, and close the gap. */
static void pcp_drain(u32 n)
{
	for (u32 i = 0; i < n; i++) {
		struct page *page = buddy_pcp.pages[i];

		BUG_ON(page->memdesc != BUDDY_PCP_WORD);
		free_block(page_to_pfn(page), 0);
	}
	buddy_pcp.count -= n;
	memmove(&buddy_pcp.pages[0], &buddy_pcp.pages[n], buddy_pcp.count * sizeof(struct page *));
}

void buddy_drain(void)
{
	pcp_drain(buddy_pcp.count);
}

/* Fill the empty cache with up to a batch of pages from the lists. The
 * lowest pages go on top, to be handed out first. */
static void pcp_refill(void)
{
	u32 n = 0;
	struct page *got[BUDDY_PCP_BATCH];

	while (n < BUDDY_PCP_BATCH && (got[n] = take_block(0)) != NULL)
		n++;
	for (u32 i = 0; i < n; i++) {
		got[n - 1 - i]->memdesc = BUDDY_PCP_WORD;
		buddy_pcp.pages[i] = got[n - 1 - i];
	}
	buddy_pcp.count = n;
}

/* A checked, allocated order-0 page goes into the cache, making room
 * first when it is full. */
static void pcp_push(struct page *page)
{
	if (buddy_pcp.count == BUDDY_PCP_HIGH)
		pcp_drain(BUDDY_PCP_BATCH);
	memdesc_set(page, 0, BUDDY_PCP_WORD);
	buddy_pcp.pages[buddy_pcp.count++] = page;
}

struct page *alloc_page_desc(gfp_t gfp, unsigned int order, unsigned long memdesc)
{
	struct page *page;

	DEBUG_BUG_ON(buddy_pcp.count > BUDDY_PCP_HIGH);
	if (order > MAX_ORDER)
		return NULL;
	if (order == 0) {
		if (buddy_pcp.count == 0)
			pcp_refill();
		if (buddy_pcp.count == 0)
			return NULL; /* the lists are empty, all of them */
		page = buddy_pcp.pages[--buddy_pcp.count];
		BUG_ON(page->memdesc != BUDDY_PCP_WORD);
	} else {
		page = take_block(order);
		if (!page && buddy_pcp.count) {
			/* The cached pages may be what is missing to make a
			 * block of this order: give them back and look again. */
			buddy_drain();
			page = take_block(order);
		}
		if (!page)
			return NULL;
	}
	memdesc_set(page, order, memdesc);
	if (gfp & __GFP_ZERO)
		memset(page_address(page), 0, PAGE_SIZE << order);
	return page;
}

static int refuse(u64 pfn, unsigned order, const char *why)
{
	pr_err("buddy: refused to free pfn 0x%llx order %u: %s", (unsigned long long)pfn,
	       order, why);
	return -EINVAL;
}

int free_page_desc(struct page *page, unsigned int order)
{
	u64 pfn;
	unsigned long md;
	enum memdesc_type type;

	if (!page || page < memmap || page >= memmap + (memmap_end_pfn - memmap_start_pfn) ||
	    order > MAX_ORDER) {
		pr_err("buddy: refused to free %p order %u: not a page of the allocator",
		       (void *)page, order);
		return -EINVAL;
	}
	pfn = page_to_pfn(page);
	md = page->memdesc;
	type = memdesc_type(md);
	if (type == MEMDESC_FREE || type == MEMDESC_FREE_TAIL)
		return refuse(pfn, order, "it is free already (double free?)");
	if (type == MEMDESC_RESERVED)
		return refuse(pfn, order, "it is not the allocator's");
	if (type == MEMDESC_PRESERVED)
		return refuse(pfn, order, "it is preserved by KHO and not restored");
	if (pfn % (1UL << order) != 0 || !pfn_valid(pfn + (1UL << order) - 1))
		return refuse(pfn, order, "it is not aligned to that order");
	/* One block of one kind: every page carries the head's word, and the
	 * block is all of its allocation: PAGES words name their order, and a
	 * descriptor (folio, slab) must not go on before or after it. */
	for (u64 i = 1; i < (1UL << order); i++) {
		if (page[i].memdesc != md)
			return refuse(pfn, order, "a page in it belongs to something else");
	}
	if (type == MEMDESC_PAGES && memdesc_data(md) != order)
		return refuse(pfn, order, "it was allocated with another order");
	if ((type == MEMDESC_FOLIO || type == MEMDESC_SLAB) &&
	    ((pfn_valid(pfn - 1) && page[-1].memdesc == md) ||
	     (pfn_valid(pfn + (1UL << order)) && page[1UL << order].memdesc == md)))
		return refuse(pfn, order, "it is part of a larger block (wrong order?)");
	if (order == 0)
		pcp_push(page);
	else
		free_block(pfn, order);
	return 0;
}

void buddy_free_pages(struct page *page, unsigned int order)
{
	if (page && pfn_valid(page_to_pfn(page)) &&
	    memdesc_type(page->memdesc) != MEMDESC_PAGES &&
	    memdesc_type(page->memdesc) != MEMDESC_FREE &&
	    memdesc_type(page->memdesc) != MEMDESC_FREE_TAIL) {
		refuse(page_to_pfn(page), order, "__free_pages of a page alloc_pages did not return");
		return;
	}
	free_page_desc(page, order);
}

/* Hand [start, end) (pfns) to the lists in the largest aligned blocks. */
static void add_range(u64 start, u64 end)
{
	while (start < end) {
		unsigned order = MAX_ORDER;

		while (order > 0 && ((start & ((1UL << order) - 1)) || start + (1UL << order) > end))
			order--;
		free_block(start, order);
		buddy_managed_pages += 1UL << order;
		start += 1UL << order;
	}
}

int buddy_init(void)
{
	u64 cursor = 0, size;
	phys_addr_t base;

	memset(&buddy, 0, sizeof(buddy));
	memset(&buddy_pcp, 0, sizeof(buddy_pcp));
	buddy_managed_pages = 0;
	for (int k = 0; k <= MAX_ORDER; k++)
		buddy.free[k].next = buddy.free[k].prev = &buddy.free[k];
	int err = memdesc_init();

	if (err)
		return err;
	while (memblock_next_free(&cursor, &base, &size)) {
		u64 start = ALIGN_UP(base, PAGE_SIZE) >> PAGE_SHIFT;
		u64 end = (base + size) >> PAGE_SHIFT;

		if (start < end)
			add_range(start, end);
	}
	/* From here on the buddy allocator owns free memory: memblock must
	 * not hand any of it out again. */
	memblock_set_alloc_limits(0, 0);
	return 0;
}

void buddy_stats(struct buddy_stats *st)
{
	st->managed_pages = buddy_managed_pages;
	st->free_pages = buddy.free_pages + buddy_pcp.count;
	st->pcp_pages = buddy_pcp.count;
	for (int k = 0; k <= MAX_ORDER; k++)
		st->nr_free[k] = buddy.nr_free[k];
}

void buddy_dump(void)
{
	char line[160];
	int n = 0;

	for (int k = 0; k <= MAX_ORDER; k++)
		n += snprintf(line + n, sizeof(line) - n, " %d:%llu", k,
			      (unsigned long long)buddy.nr_free[k]);
	pr_info("buddy: free blocks by order:%s; %u order-0 pages in the per-CPU cache", line,
		buddy_pcp.count);
	pr_info("buddy: %llu of %llu pages free (%llu MiB of %llu MiB)",
		(unsigned long long)(buddy.free_pages + buddy_pcp.count),
		(unsigned long long)buddy_managed_pages,
		(unsigned long long)((buddy.free_pages + buddy_pcp.count) >> (20 - PAGE_SHIFT)),
		(unsigned long long)(buddy_managed_pages >> (20 - PAGE_SHIFT)));
}

/* The per-CPU cache's invariants (include/buddy.h). A page in it twice is
 * found by marking each page as it is seen (its word becomes the
 * seen-mark, a word nothing else uses), then putting the words back. */
static void pcp_check(void)
{
	const unsigned long seen = memdesc_make(MEMDESC_FREE, BUDDY_PCP_MARK + 1);

	if (buddy_pcp.count > BUDDY_PCP_HIGH)
		panic("buddy: per-CPU cache holds %u pages, more than %u", buddy_pcp.count,
		      BUDDY_PCP_HIGH);
	for (u32 i = 0; i < buddy_pcp.count; i++) {
		struct page *page = buddy_pcp.pages[i];

		if ((uintptr_t)page - (uintptr_t)memmap >=
			    (memmap_end_pfn - memmap_start_pfn) * sizeof(struct page) ||
		    ((uintptr_t)page - (uintptr_t)memmap) % sizeof(struct page))
			panic("buddy: per-CPU cache slot %u holds %p, not a page", i, (void *)page);
		if (page->memdesc == seen)
			panic("buddy: pfn 0x%llx is in the per-CPU cache twice",
			      (unsigned long long)page_to_pfn(page));
		if (page->memdesc != BUDDY_PCP_WORD)
			panic("buddy: pfn 0x%llx in the per-CPU cache is not marked cached (0x%lx)",
			      (unsigned long long)page_to_pfn(page), page->memdesc);
		page->memdesc = seen;
	}
	for (u32 i = 0; i < buddy_pcp.count; i++)
		buddy_pcp.pages[i]->memdesc = BUDDY_PCP_WORD;
}

void buddy_check(void)
{
	u64 pages = 0;

	for (unsigned k = 0; k <= MAX_ORDER; k++) {
		u64 count = 0;

		for (struct free_node *n = buddy.free[k].next; n != &buddy.free[k]; n = n->next) {
			u64 pfn = pfn_of(n), b = pfn ^ (1UL << k);

			if (n->next->prev != n || !pfn_valid(pfn) || (pfn & ((1UL << k) - 1)) ||
			    pfn_to_page(pfn)->memdesc != memdesc_make(MEMDESC_FREE, k))
				panic("buddy: free list %u broken at pfn 0x%llx", k,
				      (unsigned long long)pfn);
			for (u64 i = 1; i < (1UL << k); i++) {
				if (pfn_to_page(pfn + i)->memdesc != memdesc_make(MEMDESC_FREE_TAIL, 0))
					panic("buddy: pfn 0x%llx inside free block 0x%llx order %u is "
					      "not marked free", (unsigned long long)(pfn + i),
					      (unsigned long long)pfn, k);
			}
			if (k < MAX_ORDER && pfn_valid(b) &&
			    pfn_to_page(b)->memdesc == memdesc_make(MEMDESC_FREE, k))
				panic("buddy: buddies 0x%llx and 0x%llx of order %u both free, unmerged",
				      (unsigned long long)pfn, (unsigned long long)b, k);
			count++;
		}
		if (count != buddy.nr_free[k])
			panic("buddy: free list %u has %llu blocks, counted %llu", k,
			      (unsigned long long)count, (unsigned long long)buddy.nr_free[k]);
		pages += count << k;
	}
	if (pages != buddy.free_pages)
		panic("buddy: %llu pages on the lists, %llu counted free",
		      (unsigned long long)pages, (unsigned long long)buddy.free_pages);
	pcp_check();
}

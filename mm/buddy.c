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
	u64 free_pages, managed_pages;
} buddy;

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

struct page *alloc_page_desc(gfp_t gfp, unsigned int order, unsigned long memdesc)
{
	unsigned k = order;
	u64 pfn;

	if (order > MAX_ORDER)
		return NULL;
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
	memdesc_set(pfn_to_page(pfn), order, memdesc);
	if (gfp & __GFP_ZERO)
		memset(node_of(pfn), 0, PAGE_SIZE << order);
	return pfn_to_page(pfn);
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
	free_block(pfn, order);
	return 0;
}

void buddy_adopt(struct page *page, unsigned int order)
{
	(void)page;
	buddy.managed_pages += 1UL << order;
}

struct page *alloc_pages(gfp_t gfp, unsigned int order)
{
	return alloc_page_desc(gfp, order, MEMDESC_PAGES_OF(order));
}

void __free_pages(struct page *page, unsigned int order)
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
		buddy.managed_pages += 1UL << order;
		start += 1UL << order;
	}
}

int buddy_init(void)
{
	u64 cursor = 0, size;
	phys_addr_t base;

	memset(&buddy, 0, sizeof(buddy));
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
	st->managed_pages = buddy.managed_pages;
	st->free_pages = buddy.free_pages;
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
	pr_info("buddy: free blocks by order:%s", line);
	pr_info("buddy: %llu of %llu pages free (%llu MiB of %llu MiB)",
		(unsigned long long)buddy.free_pages, (unsigned long long)buddy.managed_pages,
		(unsigned long long)(buddy.free_pages >> (20 - PAGE_SHIFT)),
		(unsigned long long)(buddy.managed_pages >> (20 - PAGE_SHIFT)));
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
}

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
 *
 * Hardening (docs/06-slab-and-vmalloc.md, "When callers get it wrong"): a free that
 * is not one allocated block is refused and reported (mm/misuse.h); a
 * list node is checked before it is followed, and a node found
 * overwritten (a write after free) has the lists rebuilt from the memmap,
 * which holds the truth; with page_poison=on free pages hold a pattern
 * that is checked when they are handed out again.
 */
#include "buddy.h"
#include "cmdline.h"
#include "compiler.h"
#include "kstring.h"
#include "memblock.h"
#include "mm/misuse.h"
#include "panic.h"
#include "printk.h"

/* A free block's list node, in the block's first bytes. */
struct free_node {
	struct free_node *next, *prev;
};
_Static_assert(sizeof(struct free_node) % sizeof(u64) == 0, "the poison is checked in words");

/*
 * Invariants, checked by buddy_verify() (and in part on every call):
 *   - a block on free[k] starts at a pfn with pfn % 2^k == 0; its head page
 *     is FREE with order k, its other 2^k - 1 pages FREE_TAIL (either may
 *     carry MEMDESC_POISONED);
 *   - every node on free[k] is the sentinel or the first bytes of such a
 *     block, and n->next->prev == n->prev->next == n: list_del and
 *     take_block check it before they follow a pointer;
 *   - a page marked MEMDESC_POISONED holds BUDDY_POISON_BYTE in every byte
 *     but, on a block's head page, the list node (the first 16 bytes);
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

u64 misuse_count[MISUSE_KINDS]; /* mm/misuse.h: every allocator's reports */

/* Page poisoning: whether frees poison now, and whether any page may carry
 * the mark (set once it has been on: only then do allocations look). */
static bool poison_on, poison_seen;

static int set_page_poison(const char *val)
{
	if (val && (!strcmp(val, "on") || !strcmp(val, "1")))
		poison_on = true;
	else if (val && (!strcmp(val, "off") || !strcmp(val, "0")))
		poison_on = false;
	else
		return -EINVAL;
	return 0;
}
CMDLINE_PARAM("page_poison", set_page_poison,
	      "on|off: fill freed pages with 0xaa and check them when handed out again "
	      "(write after free); off by default");

static bool is_free_head(unsigned long md, unsigned order)
{
	return (md & ~MEMDESC_POISONED) == memdesc_make(MEMDESC_FREE, order);
}

static struct free_node *node_of(u64 pfn)
{
	return phys_to_virt(pfn << PAGE_SHIFT);
}

static u64 pfn_of(const struct free_node *n)
{
	return virt_to_phys(n) >> PAGE_SHIFT;
}

/* Link the block at pfn into free[order] and make its head word FREE with
 * that order, keeping the page's poisoned mark. */
static void list_push(unsigned order, u64 pfn)
{
	struct free_node *n = node_of(pfn), *head = &buddy.free[order];
	struct page *page = pfn_to_page(pfn);

	n->next = head->next;
	n->prev = head;
	head->next->prev = n;
	head->next = n;
	buddy.nr_free[order]++;
	page->memdesc = memdesc_make(MEMDESC_FREE, order) | (page->memdesc & MEMDESC_POISONED);
}

/* May free[k] hold n: the sentinel, or the first bytes of a free block of
 * order k (aligned to it, in the memmap, its head word saying so)? Only
 * arithmetic and a memmap word: n itself is not read. */
static bool node_ok(unsigned k, const struct free_node *n)
{
	u64 pa = virt_to_phys(n), pfn = pa >> PAGE_SHIFT;

	if (n == &buddy.free[k])
		return true;
	return IS_ALIGNED(pa, PAGE_SIZE << k) && pfn_valid(pfn) &&
	       is_free_head(pfn_to_page(pfn)->memdesc, k);
}

/* A free list was found broken: a node in free memory was overwritten (a
 * write after free) or points where no free block is. The memmap is the
 * truth -- every free block's head word says FREE and its order -- so the
 * lists are made again from it, every node rewritten. O(memmap). */
static void lists_rebuild(unsigned order, u64 pfn, const char *what)
{
	misuse_report(MISUSE_BUDDY_LIST,
		      "buddy: free list %u is broken at pfn 0x%llx: %s (a free block written "
		      "after free?); the free lists are rebuilt from the memmap",
		      order, (unsigned long long)pfn, what);
	buddy.free_pages = 0;
	for (int k = 0; k <= MAX_ORDER; k++) {
		buddy.free[k].next = buddy.free[k].prev = &buddy.free[k];
		buddy.nr_free[k] = 0;
	}
	for (u64 p = memmap_start_pfn; p < memmap_end_pfn; p++) {
		unsigned long md = pfn_to_page(p)->memdesc & ~MEMDESC_POISONED;
		u64 k = memdesc_data(md);

		if (memdesc_type(md) != MEMDESC_FREE || k > MAX_ORDER)
			continue; /* not a free block's head (a cached page's mark is no order) */
		list_push((unsigned)k, p);
		buddy.free_pages += 1UL << k;
		p += (1UL << k) - 1;
	}
}

/* Unlink the block at pfn from free[order], its neighbours checked first. */
static void list_del(unsigned order, u64 pfn)
{
	struct free_node *n = node_of(pfn);

	if (unlikely(!node_ok(order, n->next) || !node_ok(order, n->prev) || n->next->prev != n ||
		     n->prev->next != n))
		lists_rebuild(order, pfn, "its list node does not link back to its neighbours");
	n->prev->next = n->next;
	n->next->prev = n->prev;
	buddy.nr_free[order]--;
}

/* Fill a free block with the poison, or only the list node bytes of one
 * whose node has just been absorbed into a larger block. */
static void poison_fill(u64 pfn, u64 bytes)
{
	memset(page_address(pfn_to_page(pfn)), BUDDY_POISON_BYTE, bytes);
}

/* Find a changed byte in the marked pages of [pfn, pfn + n): bytes
 * [from, to) of the first page, [0, to) of the others. true, with where,
 * when one is found. */
static bool poison_find(u64 pfn, u64 n, u64 from, u64 to, u64 *at_pfn, u64 *at_off)
{
	const u64 word = 0x0101010101010101ULL * BUDDY_POISON_BYTE;

	for (u64 i = 0; i < n; i++, from = 0) {
		const u64 *w = page_address(pfn_to_page(pfn + i));
		const u8 *b = (const u8 *)w;
		u64 off = from;

		if (!(pfn_to_page(pfn + i)->memdesc & MEMDESC_POISONED))
			continue;
		/* A word at a time (from and to are multiples of 8), then the
		 * byte within the word that differs. */
		while (off < to && w[off / sizeof(u64)] == word)
			off += sizeof(u64);
		if (off == to)
			continue;
		while (b[off] == BUDDY_POISON_BYTE)
			off++;
		*at_pfn = pfn + i;
		*at_off = off;
		return true;
	}
	return false;
}

/* Report a changed byte of a free block and keep the block out of use
 * (take_block has it off the lists): whoever still writes there may go
 * on, so nobody is given it again. Its pages are no longer free. */
static void poison_spoiled(u64 at, u64 off, u64 pfn, unsigned order)
{
	misuse_report(
		MISUSE_PAGE_POISON,
		"buddy: pfn 0x%llx was written after it was freed (byte 0x%llx is 0x%02x, not "
		"the poison 0x%02x); the order-%u block at pfn 0x%llx is kept out of use (leaked)",
		(unsigned long long)at, (unsigned long long)off,
		((const u8 *)page_address(pfn_to_page(at)))[off], BUDDY_POISON_BYTE, order,
		(unsigned long long)pfn);
	memdesc_set(pfn_to_page(pfn), order, MEMDESC_PAGES_OF(order));
}

/* Put the block [pfn, pfn + 2^order) on the free lists, merging it with its
 * buddy while the buddy is a free block of the same order. The block's
 * pages must not be free already. */
static void free_block(u64 pfn, unsigned order)
{
	unsigned long tail = memdesc_make(MEMDESC_FREE_TAIL, 0);
	u64 pages = 1UL << order;

	if (poison_on) {
		poison_fill(pfn, PAGE_SIZE << order);
		tail |= MEMDESC_POISONED;
	}
	memdesc_set(pfn_to_page(pfn), order, tail);
	while (order < MAX_ORDER) {
		u64 b = pfn ^ (1UL << order);
		unsigned long md;

		if (!pfn_valid(b) || !is_free_head(md = pfn_to_page(b)->memdesc, order))
			break;
		list_del(order, b);
		/* Its node is inside the merged block now: poison over it. */
		if (md & MEMDESC_POISONED)
			poison_fill(b, sizeof(struct free_node));
		pfn_to_page(b)->memdesc =
			memdesc_make(MEMDESC_FREE_TAIL, 0) | (md & MEMDESC_POISONED);
		pfn &= ~(1UL << order); /* the merged block starts at the lower one */
		order++;
	}
	list_push(order, pfn);
	buddy.free_pages += pages; /* only now: a rebuild meanwhile counts the lists */
}

/* Take a block of the order off the lists, splitting a larger one; NULL
 * when the lists have none. */
static struct page *take_block(unsigned int order)
{
	unsigned k;
	u64 pfn;

again:
	k = order;
	while (k <= MAX_ORDER && buddy.nr_free[k] == 0)
		k++;
	if (k > MAX_ORDER)
		return NULL;

	if (unlikely(buddy.free[k].next == &buddy.free[k] || !node_ok(k, buddy.free[k].next))) {
		lists_rebuild(k, pfn_of(buddy.free[k].next),
			      "the list's first node is no free block");
		goto again;
	}
	pfn = pfn_of(buddy.free[k].next);
	list_del(k, pfn);
	/* Split: keep the lower half, free the upper one, down to order.
	 * A poisoned upper half's first bytes become its list node: they
	 * are checked first (the rest when it is handed out). */
	while (k > order) {
		u64 up = pfn + (1UL << --k), at, off;

		if (unlikely(poison_seen) &&
		    poison_find(up, 1, 0, sizeof(struct free_node), &at, &off)) {
			poison_spoiled(at, off, up, k);
			buddy.free_pages -= 1UL << k;
			continue;
		}
		list_push(k, up);
	}
	buddy.free_pages -= 1UL << order;
	if (unlikely(poison_seen)) {
		u64 at, off;

		if (poison_find(pfn, 1UL << order, sizeof(struct free_node), PAGE_SIZE, &at,
				&off)) {
			poison_spoiled(at, off, pfn, order);
			goto again; /* another block for the caller */
		}
	}
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
	if (buddy_pcp.count >= buddy_pcp.high)
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
	if (order == 0 && buddy_pcp.high) {
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

/* The one line of a refused free: what was freed, why it is refused, and
 * what becomes of the block (nothing changes: it stays as it was). */
static int refuse(enum misuse_kind kind, u64 pfn, unsigned order, const char *why,
		  const char *stays)
{
	misuse_report(kind,
		      "buddy: refused to free pfn 0x%llx order %u: %s; the free is refused, %s",
		      (unsigned long long)pfn, order, why, stays);
	return -EINVAL;
}

#define LEAKED "the block stays allocated (leaked)"

int free_page_desc(struct page *page, unsigned int order)
{
	u64 pfn;
	unsigned long md;
	enum memdesc_type type;

	if (!page || page < memmap || page >= memmap + (memmap_end_pfn - memmap_start_pfn) ||
	    ((uintptr_t)page - (uintptr_t)memmap) % sizeof(struct page) || order > MAX_ORDER) {
		misuse_report(MISUSE_BUDDY_BAD_FREE,
			      "buddy: refused to free %p order %u: not a page of the allocator; "
			      "nothing is freed",
			      (void *)page, order);
		return -EINVAL;
	}
	pfn = page_to_pfn(page);
	md = page->memdesc;
	type = memdesc_type(md);
	if (type == MEMDESC_FREE || type == MEMDESC_FREE_TAIL)
		return refuse(MISUSE_BUDDY_DOUBLE_FREE, pfn, order,
			      "it is free already (double free?)", "the block stays free");
	if (type == MEMDESC_RESERVED)
		return refuse(MISUSE_BUDDY_NOT_OURS, pfn, order,
			      "it is not the allocator's (reserved)", "the block stays reserved");
	if (type == MEMDESC_PRESERVED)
		return refuse(MISUSE_BUDDY_NOT_OURS, pfn, order,
			      "it is preserved by KHO and not restored (restore it first)",
			      "the block stays preserved");
	if (type == MEMDESC_PGTABLE)
		return refuse(MISUSE_BUDDY_BAD_FREE, pfn, order, "it is a page table", LEAKED);
	if (pfn % (1UL << order) != 0 || !pfn_valid(pfn + (1UL << order) - 1))
		return refuse(MISUSE_BUDDY_BAD_FREE, pfn, order,
			      "it is not aligned to that order (not a block's head)", LEAKED);
	/* One block of one kind: every page carries the head's word, and the
	 * block is all of its allocation: PAGES words name their order, and a
	 * descriptor (folio, slab) must not go on before or after it. */
	for (u64 i = 1; i < (1UL << order); i++) {
		if (page[i].memdesc != md)
			return refuse(MISUSE_BUDDY_BAD_FREE, pfn, order,
				      "a page in it belongs to something else", LEAKED);
	}
	if (type == MEMDESC_PAGES && memdesc_data(md) != order)
		return refuse(MISUSE_BUDDY_BAD_FREE, pfn, order,
			      "it was allocated with another order (not the head of an "
			      "allocated block of that order)",
			      LEAKED);
	if ((type == MEMDESC_FOLIO || type == MEMDESC_SLAB) &&
	    ((pfn_valid(pfn - 1) && page[-1].memdesc == md) ||
	     (pfn_valid(pfn + (1UL << order)) && page[1UL << order].memdesc == md)))
		return refuse(MISUSE_BUDDY_BAD_FREE, pfn, order,
			      "it is part of a larger block (wrong order?)", LEAKED);
	if (order == 0 && buddy_pcp.high)
		pcp_push(page);
	else
		free_block(pfn, order);
	return 0;
}

void buddy_free_pages(struct page *page, unsigned int order)
{
	enum memdesc_type t =
		page && pfn_valid(page_to_pfn(page)) ? memdesc_type(page->memdesc) : MEMDESC_PAGES;

	/* Frees the checks below explain best go to free_page_desc. */
	if (t != MEMDESC_PAGES && t != MEMDESC_FREE && t != MEMDESC_FREE_TAIL &&
	    t != MEMDESC_RESERVED && t != MEMDESC_PRESERVED) {
		refuse(MISUSE_BUDDY_BAD_FREE, page_to_pfn(page), order,
		       "__free_pages of a page alloc_pages did not return", LEAKED);
		return;
	}
	free_page_desc(page, order);
}

/* Hand [start, end) (pfns) to the lists in the largest aligned blocks. */
static void add_range(u64 start, u64 end)
{
	while (start < end) {
		unsigned order = MAX_ORDER;

		while (order > 0 &&
		       ((start & ((1UL << order) - 1)) || start + (1UL << order) > end))
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
	memset(misuse_count, 0, sizeof(misuse_count));
	buddy_pcp.high = poison_on ? 0 : BUDDY_PCP_HIGH;
	poison_seen = poison_on;
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
	pr_debug("buddy: free blocks by order:%s; %u order-0 pages in the per-CPU cache", line,
		 buddy_pcp.count);
	pr_info("buddy: %llu of %llu pages free (%llu MiB of %llu MiB)",
		(unsigned long long)(buddy.free_pages + buddy_pcp.count),
		(unsigned long long)buddy_managed_pages,
		(unsigned long long)((buddy.free_pages + buddy_pcp.count) >> (20 - PAGE_SHIFT)),
		(unsigned long long)(buddy_managed_pages >> (20 - PAGE_SHIFT)));
}

bool buddy_page_poison(bool on)
{
	bool was = poison_on;

	poison_on = on;
	if (on) {
		poison_seen = true;
		buddy_drain(); /* the cached pages go to the lists, poisoned */
		buddy_pcp.high = 0;
	} else {
		buddy_pcp.high = BUDDY_PCP_HIGH;
	}
	return was;
}

/* The per-CPU cache's invariants (include/buddy.h). A page in it twice is
 * found by marking each page as it is seen (its word becomes the
 * seen-mark, a word nothing else uses), then putting the words back. */
static int pcp_verify(char *why, size_t n)
{
	const unsigned long seen = memdesc_make(MEMDESC_FREE, BUDDY_PCP_MARK + 1);
	int err = 0;
	u32 marked = 0;

	if (buddy_pcp.high != 0 && buddy_pcp.high != BUDDY_PCP_HIGH)
		return err_why(why, n, -EINVAL, "buddy: per-CPU cache limit %u, not 0 or %u",
			       buddy_pcp.high, BUDDY_PCP_HIGH);
	if (buddy_pcp.count > buddy_pcp.high)
		return err_why(why, n, -EINVAL, "buddy: per-CPU cache holds %u pages, more than %u",
			       buddy_pcp.count, buddy_pcp.high);
	for (u32 i = 0; i < buddy_pcp.count && !err; i++) {
		struct page *page = buddy_pcp.pages[i];

		if ((uintptr_t)page - (uintptr_t)memmap >=
			    (memmap_end_pfn - memmap_start_pfn) * sizeof(struct page) ||
		    ((uintptr_t)page - (uintptr_t)memmap) % sizeof(struct page))
			err = err_why(why, n, -EINVAL,
				      "buddy: per-CPU cache slot %u holds %p, not a page", i,
				      (void *)page);
		else if (page->memdesc == seen)
			err = err_why(why, n, -EINVAL,
				      "buddy: pfn 0x%llx is in the per-CPU cache twice",
				      (unsigned long long)page_to_pfn(page));
		else if (page->memdesc != BUDDY_PCP_WORD)
			err = err_why(
				why, n, -EINVAL,
				"buddy: pfn 0x%llx in the per-CPU cache is not marked cached (0x%lx)",
				(unsigned long long)page_to_pfn(page), page->memdesc);
		else
			page->memdesc = seen;
		marked = err ? marked : i + 1;
	}
	/* Put back the words of the slots marked (pages all of them). */
	for (u32 i = 0; i < marked; i++)
		buddy_pcp.pages[i]->memdesc = BUDDY_PCP_WORD;
	return err;
}

/* The poison of a listed free block's marked pages (its head's node
 * excepted). */
static int poison_verify(u64 pfn, unsigned k, char *why, size_t n)
{
	u64 at, off;

	if (!poison_find(pfn, 1UL << k, sizeof(struct free_node), PAGE_SIZE, &at, &off))
		return 0;
	return err_why(why, n, -EINVAL,
		       "buddy: free pfn 0x%llx (block 0x%llx order %u) was written "
		       "after free: byte 0x%llx is 0x%02x",
		       (unsigned long long)at, (unsigned long long)pfn, k, (unsigned long long)off,
		       ((const u8 *)page_address(pfn_to_page(at)))[off]);
}

int buddy_verify(char *why, size_t n)
{
	u64 pages = 0;
	int err;

	for (unsigned k = 0; k <= MAX_ORDER; k++) {
		u64 count = 0;
		struct free_node *prev = &buddy.free[k];

		for (struct free_node *node = buddy.free[k].next; node != &buddy.free[k];
		     prev = node, node = node->next) {
			u64 pfn = pfn_of(node), b = pfn ^ (1UL << k);

			/* Each pointer is checked before it is followed. */
			if (!node_ok(k, node) || node->prev != prev)
				return err_why(
					why, n, -EINVAL,
					"buddy: free list %u broken at pfn 0x%llx (its node %u)", k,
					(unsigned long long)pfn, (unsigned)count);
			if (++count > buddy_managed_pages)
				return err_why(why, n, -EINVAL, "buddy: free list %u loops", k);
			for (u64 i = 1; i < (1UL << k); i++) {
				if ((pfn_to_page(pfn + i)->memdesc & ~MEMDESC_POISONED) !=
				    memdesc_make(MEMDESC_FREE_TAIL, 0))
					return err_why(why, n, -EINVAL,
						       "buddy: pfn 0x%llx inside free block 0x%llx "
						       "order %u is not marked free",
						       (unsigned long long)(pfn + i),
						       (unsigned long long)pfn, k);
			}
			if (k < MAX_ORDER && pfn_valid(b) &&
			    is_free_head(pfn_to_page(b)->memdesc, k))
				return err_why(
					why, n, -EINVAL,
					"buddy: buddies 0x%llx and 0x%llx of order %u both free, "
					"unmerged",
					(unsigned long long)pfn, (unsigned long long)b, k);
			err = poison_seen ? poison_verify(pfn, k, why, n) : 0;
			if (err)
				return err;
		}
		if (buddy.free[k].prev != prev)
			return err_why(why, n, -EINVAL,
				       "buddy: free list %u's last node is not its tail", k);
		if (count != buddy.nr_free[k])
			return err_why(why, n, -EINVAL,
				       "buddy: free list %u has %llu blocks, counted %llu", k,
				       (unsigned long long)count,
				       (unsigned long long)buddy.nr_free[k]);
		pages += count << k;
	}
	if (pages != buddy.free_pages)
		return err_why(why, n, -EINVAL, "buddy: %llu pages on the lists, %llu counted free",
			       (unsigned long long)pages, (unsigned long long)buddy.free_pages);
	return pcp_verify(why, n);
}

void buddy_check(void)
{
	char why[ERR_WHY_MAX];

	if (buddy_verify(why, sizeof(why)))
		panic("%s", why);
}

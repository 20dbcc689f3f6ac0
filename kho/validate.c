/*
 * validate.c — kho_scan, the incoming kernel's first look at a handover. It
 * runs early, while memblock knows RAM and this boot's own reservations and
 * allocates from scratch only, and decides whether to take the handover
 * before a single page is marked. It trusts nothing: every address is
 * checked before it is read, every count is bounded before it is used.
 *
 * What a handover must satisfy, one rule a line, each with the refusal it
 * produces ("kho: handover refused: <refusal>; booting as a cold boot"):
 *
 *  1 /chosen has linux,kho-fdt and linux,kho-scratch as <addr size>
 *      "/chosen/linux,kho-fdt or linux,kho-scratch is malformed or missing"
 *  2 the root FDT range is page aligned, a header to a page long, in RAM
 *      "the KHO FDT range is misaligned, of a bad size, or outside RAM"
 *  3 the scratch array is 8-byte aligned, whole entries, at most
 *    KHO_MAX_SCRATCH of them, in RAM
 *      "the scratch array is misaligned, of a bad size, or outside RAM"
 *  4 every scratch area is page aligned, in RAM and clear of what the
 *    firmware reserved (the memory reservation block, /reserved-memory;
 *    a reservation of exactly /chosen's initrd is the loader's, allowed);
 *    an empty area is kept, unused, and passed on where it was (Linux
 *    writes them, and reads areas by position); one at least is not empty
 *      "a scratch area is misaligned or outside RAM",
 *      "scratch area <pa>+<size> overlaps memory the firmware reserved",
 *      "no scratch area is usable"
 *  5 the root FDT passes the boot FDT's checks (header, sizes, structure)
 *      "the KHO root FDT is truncated or damaged: <the boot FDT check's why>"
 *  6 the root FDT's compatible is KHO_COMPATIBLE, or Linux 7.3's
 *    KHO_COMPATIBLE_V4, whose layouts are the same (abi.h)
 *      "the KHO root FDT says compatible "<met>": this kernel reads
 *       "kho-v3" and "kho-v4""
 *  7 the root FDT has an 8-byte preserved-memory-map
 *      "the KHO root FDT has no 8-byte preserved-memory-map"
 *  8 every radix node is page aligned, in RAM, not reserved by this boot,
 *    not in scratch; no more of them than a map of this RAM can need
 *    (max_nodes)
 *      "radix node <pa> is <misaligned|outside RAM|on memory this boot has
 *       reserved (...)|inside scratch|one too many for this RAM (...)>"
 *  9 every key in the map encodes an order 0..KHO_MAX_BLOCK_ORDER
 *      "a preserved-memory map key encodes no valid order"
 * 10 every block is aligned to its size, in RAM, not reserved, not scratch
 *      "preserved block <pa> order <o> is <...>"
 * 11 no block is listed twice
 *      "the preserved-memory map repeats a block"
 * 12 no two blocks overlap
 *      "preserved blocks overlap at <pa> (...)"
 * 13 the root FDT is a preserved block; the scratch array is one too (as
 *    Baton writes it: a block starts at its page and holds all of it) or
 *    lies inside a scratch area (as Linux writes it)
 *      "the KHO root FDT is not itself preserved",
 *      "the scratch array is neither preserved nor inside scratch"
 * 14 every subtree has 8-byte preserved-data and blob-size, and its blob
 *    lies inside preserved memory
 *      "subtree '<name>' lacks 8-byte preserved-data and blob-size",
 *      "subtree '<name>' blob <pa>+<size> is out of bounds (...)"
 * 15 the slab records (subtree baton,slab, Baton's extension): a chain of
 *    one-page chunks, each a preserved order-0 block, no more chunks than
 *    blocks; each chunk's count at most KHO_SLAB_CHUNK_RECS; each record's
 *    slab order at most MAX_ORDER, its slot size non-zero and within the
 *    slab, its slot aligned to the slot size from the slab's start, its
 *    slab a preserved block of exactly that order; records of one slab
 *    agree on slot size and order, and no two slots overlap
 *      "the slab records are damaged: <what>"
 * 16 the image copy (/chosen/baton,image, when present) starts a preserved
 *    block that holds all of it
 *      "the image copy <pa>+<size> is not a preserved block that holds it"
 * 17 one owner per page: the root FDT, the scratch array, every radix
 *    node, every subtree blob, every slab chunk, every slab and the image
 *    copy each claim their pages, and no page is claimed twice; radix nodes,
 *    which are not preserved, lie in no preserved block
 *      "page <pa> is claimed twice: by <owner> and by <owner>",
 *      "radix node <pa> lies in a preserved block"
 * 18 with scratch and the preserved blocks set aside, one free range of RAM
 *    still holds the memory map (the allocators need nothing else from
 *    memblock): a handover must not starve the boot
 *      "scratch and the preserved blocks leave no room for the memory map
 *       (<n> KiB needed, <m> KiB the largest free range)"
 *
 * A failure anywhere refuses the whole handover: what the scan took from
 * scratch is given back, nothing is marked, the kernel boots cold.
 *
 * vmalloc descriptors live in their clients' own data, out of the scan's
 * sight: kho_restore_vmalloc proves its chain the same way (every chunk and
 * page a waiting block, none twice) before it takes any of it.
 */
#include "kho.h"
#include "kho_internal.h"
#include "bootfdt.h"
#include "buddy.h"
#include "kstring.h"
#include "memblock.h"
#include "panic.h"
#include "printk.h"
#include "kho/handover.h"
#include <libfdt.h>

#define KHO_MAX_NODES (1u << 20)

/*
 * Rule 8's count: no more nodes than a map of this RAM can need. RAM that
 * spans S pages gives an order o at most S / 2^o + 1 keys, so at most
 * S / 2^o / 32768 + 2 leaves (a leaf holds 32768 keys), and all orders
 * together at most 2 S / 32768 + 2 * 41; the five table levels above them
 * add at most 10 an order and a 512th of the leaves, and the root is one.
 * A real map stays under the bound (even with the empty leaves an
 * unpreserve leaves behind: their keys were RAM's). A map whose nodes
 * name one node many times (a DAG: 2^18 visits of one empty leaf from a
 * few pages) is refused after the bound, not after KHO_MAX_NODES visits of
 * 512 words each.
 */
static u64 max_nodes(void)
{
	const struct memblock_list *m = &memblock.memory;
	u64 span;

	if (!m->cnt)
		return 1;
	span = (m->r[m->cnt - 1].base + m->r[m->cnt - 1].size - m->r[0].base) >> PAGE_SHIFT;
	return MIN((u64)KHO_MAX_NODES,
		   4 * (span >> KHO_BITMAP_BITS) + 16 * (KHO_MAX_BLOCK_ORDER + 1) + 1);
}

static bool in_ram(phys_addr_t base, u64 size)
{
	const struct memblock_list *m = &memblock.memory;

	if (base + size < base)
		return false;
	for (int i = 0; i < m->cnt; i++) {
		if (base >= m->r[i].base && base + size <= m->r[i].base + m->r[i].size)
			return true;
	}
	return false;
}

/*
 * Where a preserved block or tree node may be (rules 8, 10): RAM, not
 * reserved by this boot (kernel, boot FDT, firmware), not scratch.
 *
 * The walk checks every bitmap word's span of blocks (and each of its
 * blocks when the span straddles something, blocks_ok), so the check costs
 * O(1), not a pass over each list (a firmware's memory map can have a
 * hundred regions): the walk yields one order's blocks at ascending
 * addresses, and a cursor into each sorted list only moves forward while
 * the address does, starting over when it goes back (the next order). The
 * lists: memblock's memory and reserved ranges (sorted and disjoint,
 * memblock.h) and the scratch areas, sorted by place_start. Nodes, walked
 * in tree order, keep cursors of their own. Nothing changes the lists
 * during the walk (its table, in scratch, is reserved after it), and
 * memblock's extra table is empty until the scan gives it the preserved
 * ranges.
 */
struct place_cursor {
	phys_addr_t last;  /* the address checked last */
	int ram, rsv, scr; /* the first range of each list ending after it */
};

static struct kho_scratch scratch_sorted[KHO_MAX_SCRATCH];
static int nr_scratch_sorted;

/* Before a walk: fresh cursors, and the scratch areas that are not empty
 * sorted by address (an empty one holds nothing, and would stop a cursor
 * short of one that does). */
static void place_start(struct place_cursor *c, int n)
{
	BUG_ON(memblock.nr_extra); /* bad_place reads only memblock.reserved */
	for (int i = 0; i < n; i++)
		c[i] = (struct place_cursor){ 0 };
	nr_scratch_sorted = 0;
	for (int i = 0; i < kho.nr_scratch; i++) {
		int j = nr_scratch_sorted;

		if (!kho.scratch[i].size)
			continue;
		nr_scratch_sorted++;
		for (; j > 0 && scratch_sorted[j - 1].addr > kho.scratch[i].addr; j--)
			scratch_sorted[j] = scratch_sorted[j - 1];
		scratch_sorted[j] = kho.scratch[i];
	}
}

static const char *bad_place(struct place_cursor *c, phys_addr_t base, u64 size, u64 align)
{
	const struct memblock_list *ram = &memblock.memory, *rsv = &memblock.reserved;

	if (base & (align - 1))
		return "misaligned";
	if (base + size < base)
		return "outside RAM";
	if (base < c->last)
		*c = (struct place_cursor){ 0 };
	c->last = base;
	while (c->ram < ram->cnt && ram->r[c->ram].base + ram->r[c->ram].size <= base)
		c->ram++;
	if (c->ram == ram->cnt || ram->r[c->ram].base > base ||
	    base + size > ram->r[c->ram].base + ram->r[c->ram].size)
		return "outside RAM";
	while (c->rsv < rsv->cnt && rsv->r[c->rsv].base + rsv->r[c->rsv].size <= base)
		c->rsv++;
	if (c->rsv < rsv->cnt && rsv->r[c->rsv].base < base + size)
		return "on memory this boot has reserved (kernel, boot FDT or firmware)";
	while (c->scr < nr_scratch_sorted &&
	       scratch_sorted[c->scr].addr + scratch_sorted[c->scr].size <= base)
		c->scr++;
	if (c->scr < nr_scratch_sorted && scratch_sorted[c->scr].addr < base + size)
		return "inside scratch";
	return NULL;
}

/* A page range some structure of the handover owns (rule 17). */
enum claim_kind { C_FDT, C_SCRATCH, C_NODE, C_BLOB, C_SLAB_CHUNK, C_SLAB, C_IMAGE };
static const char *const claim_names[] = {
	"the root FDT", "the scratch array", "radix node",     "a subtree blob at",
	"slab chunk",   "the slab",          "the image copy",
};

struct claim {
	u64 first, end; /* pfns: [first, end) */
	u64 pa;         /* what the owner names, for the message */
	u64 kind;
};

struct scan {
	u64 nodes, count;         /* radix nodes, preserved blocks */
	u64 max_nodes;            /* rule 8: the most a map of this RAM needs */
	struct kho_block_run cur; /* the run being built; order NO_RUN: none */
	/* The walk's table, from scratch before the walk (its size is not
	 * known until the walk ends, so the scan takes the largest free piece
	 * of scratch and gives back what is left): block runs from the bottom
	 * up, nodes from the top down, table <= runs_end <= node_fill <= top. */
	struct kho_block_run *runs_end;
	phys_addr_t *node_fill, *top;
	struct claim *claims; /* rule 17 */
	u64 nr_claims, max_claims;
	struct kho_slab_rec *recs; /* rule 15: the records, sorted */
	u64 nr_recs;
	u64 blocks_bytes, nodes_bytes, ranges_bytes, claims_bytes, recs_bytes; /* from scratch */
	u64 pages;                 /* preserved, in all */
	bool array_preserved;      /* the scratch array: a preserved page (Baton) or in scratch */
	struct place_cursor at[2]; /* where node_ok and block_ok are in the lists */
	char *why;                 /* the caller's buffer for the refusal */
	size_t why_n;
};

/* Write the refusal into the caller's buffer; returns err. */
static int refuse(struct scan *s, int err, const char *fmt, ...) __printf(3, 4);
static int refuse(struct scan *s, int err, const char *fmt, ...)
{
	if (s->why_n) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(s->why, s->why_n, fmt, ap);
		va_end(ap);
	}
	return err;
}

#define NO_RUN (~0ULL)

static int no_room(char *why, size_t n)
{
	return err_why(why, n, -ENOSPC, "no room in scratch for the list of preserved blocks");
}

static int node_ok(phys_addr_t node, void *arg, char *why, size_t n)
{
	struct scan *s = arg;
	const char *bad = bad_place(&s->at[0], node, PAGE_SIZE, PAGE_SIZE);

	if (bad)
		return err_why(why, n, -EFAULT, "radix node 0x%llx is %s", (unsigned long long)node,
			       bad);
	if (s->nodes >= s->max_nodes)
		return err_why(why, n, -E2BIG,
			       "radix node 0x%llx is one too many for this RAM (a map "
			       "of it needs at most %llu)",
			       (unsigned long long)node, (unsigned long long)s->max_nodes);
	if ((char *)s->node_fill - (char *)s->runs_end < (long)sizeof(*s->node_fill))
		return no_room(why, n);
	*--s->node_fill = node;
	s->nodes++;
	return 0;
}

/* The run being built is done: into the table. */
static int close_run(struct scan *s, char *why, size_t n)
{
	if (s->cur.order == NO_RUN)
		return 0;
	if ((char *)s->node_fill - (char *)s->runs_end < (long)sizeof(*s->runs_end))
		return no_room(why, n);
	*s->runs_end++ = s->cur;
	return 0;
}

/*
 * Up to 64 blocks of one order from a leaf's bitmap word (bit i: the block
 * at pa + (i << shift)). Rule 10 is checked once for the span from the
 * first set block to the end of the last: a span in one RAM region, clear
 * of reservations and scratch, holds only good blocks; one that is not
 * (it straddles a hole, a reservation or scratch, which its blocks may
 * still avoid) is checked block by block, so a block in the hole is still
 * refused, by the same line. The span's own alignment is its first
 * block's. Then the blocks join the run being built, a run of set bits at
 * a time (a full word is 64 touching blocks): only the word's first run
 * can extend the run from before, the others start runs of their own.
 */
static int blocks_ok(phys_addr_t pa, unsigned order, u64 bits, void *arg, char *why, size_t n)
{
	struct scan *s = arg;
	unsigned shift = PAGE_SHIFT + order;
	u64 size = 1ULL << shift;
	unsigned first = (unsigned)__builtin_ctzll(bits),
		 last = 63 - (unsigned)__builtin_clzll(bits);

	if (bad_place(&s->at[1], pa + ((u64)first << shift), (u64)(last - first + 1) << shift,
		      size)) {
		for (u64 b = bits; b; b &= b - 1) {
			phys_addr_t at = pa + ((u64)__builtin_ctzll(b) << shift);
			const char *bad = bad_place(&s->at[1], at, size, size);

			if (bad)
				return err_why(why, n, -EFAULT,
					       "preserved block 0x%llx order %u is %s",
					       (unsigned long long)at, order, bad);
		}
	}
	/* A run of set bits [lo, hi): adding its lowest bit carries past its
	 * top (to 0 when the run ends at bit 63), and what is left of that
	 * sum, anded in, clears the run. The first run may extend the one
	 * being built; */
	u64 low = bits & -bits, carry = bits + low;
	phys_addr_t b = pa + ((u64)__builtin_ctzll(low) << shift);
	phys_addr_t e = carry ? pa + ((u64)__builtin_ctzll(carry) << shift) : pa + (64ULL << shift);

	bits &= carry;
	if (s->cur.order == order && s->cur.end == b) {
		s->cur.end = e;
	} else {
		/* Keys come in increasing order: orders downwards, each order's
		 * blocks upwards (index_groups relies on it). */
		if (s->cur.order != NO_RUN && s->cur.order < order)
			return err_why(why, n, -EINVAL,
				       "the preserved-memory map is not in key order");
		if (s->cur.order == order && b < s->cur.end)
			return err_why(why, n, -EEXIST, "the preserved-memory map repeats a block");
		int err = close_run(s, why, n);

		if (err)
			return err;
		s->cur = (struct kho_block_run){ b, e, order };
	}
	if (!bits)
		return 0;
	/* the others (at most 31 more) start runs of their own, and go
	 * straight into the table when it has room for all of them. */
	if ((char *)s->node_fill - (char *)s->runs_end < 32 * (long)sizeof(*s->runs_end))
		return no_room(why, n);
	struct kho_block_run *out = s->runs_end;

	*out++ = s->cur;
	for (;;) {
		low = bits & -bits;
		carry = bits + low;
		b = pa + ((u64)__builtin_ctzll(low) << shift);
		e = carry ? pa + ((u64)__builtin_ctzll(carry) << shift) : pa + (64ULL << shift);
		bits &= carry;
		if (!bits)
			break;
		*out++ = (struct kho_block_run){ b, e, order };
	}
	s->runs_end = out;
	s->cur = (struct kho_block_run){ b, e, order };
	return 0;
}

/*
 * The radix walk yields keys in increasing order, and a key's top bit is its
 * order: so the block runs come grouped by order, highest first, each group
 * ascending by address. The groups are indexed instead of sorted, and
 * merged on the fly when address order is needed. group[o] = [first, end)
 * of order o's runs in kho.blocks; orders[0..nr_orders) lists the orders
 * that have any (a handful, of the KHO_MAX_BLOCK_ORDER + 1 possible). The
 * walk refused any other order (blocks_ok).
 */
static u64 group[KHO_MAX_BLOCK_ORDER + 1][2];
static int orders[KHO_MAX_BLOCK_ORDER + 1], nr_orders;

static void index_groups(void)
{
	u64 i = 0;

	nr_orders = 0;
	for (int o = KHO_MAX_BLOCK_ORDER; o >= 0; o--) {
		u64 hi = kho.nr_block_runs;

		group[o][0] = i;
		while (i < hi) { /* the first run of a lower order */
			u64 mid = i + (hi - i) / 2;

			if (kho.blocks[mid].order >= (u64)o)
				i = mid + 1;
			else
				hi = mid;
		}
		group[o][1] = i;
		if (group[o][1] > group[o][0])
			orders[nr_orders++] = o;
	}
	BUG_ON(i != kho.nr_block_runs);
}

/*
 * The runs of all orders in address order, merged into maximal ranges of
 * touching memory (kho.runs, which memblock takes whole); a block that
 * starts before the one below it ends is an overlap (rule 12). out has
 * room for every block run (merging only makes fewer). Counts the blocks
 * and pages on the way. Returns false at an overlap, with overlap[] =
 * { where the lower one ends, where the upper one starts }.
 */
struct merge {
	struct memblock_region *out;
	u64 n;
	phys_addr_t end;
	u64 blocks, pages;
	phys_addr_t overlap[2];
};

static bool merge_one(struct merge *m, const struct kho_block_run *r)
{
	u64 size = r->end - r->pa;

	m->pages += size >> PAGE_SHIFT;
	m->blocks += size >> (PAGE_SHIFT + r->order);
	if (m->n && r->pa < m->end) {
		m->overlap[0] = m->end;
		m->overlap[1] = r->pa;
		return false;
	}
	if (m->n && r->pa == m->end)
		m->out[m->n - 1].size += size;
	else
		m->out[m->n++] = (struct memblock_region){ r->pa, size };
	m->end = r->end;
	return true;
}

static bool merge_runs(struct merge *m)
{
	u64 head[KHO_MAX_BLOCK_ORDER + 1];

	if (nr_orders == 1) {
		/* One order: the runs are in address order already, and apart
		 * (the walk joined touching ones and refused repeats), so the
		 * ranges are the runs. */
		const struct kho_block_run *r = kho.blocks;
		u64 n = kho.nr_block_runs, pages = 0;

		for (u64 i = 0; i < n; i++) {
			m->out[i] = (struct memblock_region){ r[i].pa, r[i].end - r[i].pa };
			pages += (r[i].end - r[i].pa) >> PAGE_SHIFT;
		}
		m->n = n;
		m->pages = pages;
		m->blocks = pages >> r[0].order;
		return true;
	}
	for (int k = 0; k < nr_orders; k++)
		head[orders[k]] = group[orders[k]][0];
	for (;;) {
		const struct kho_block_run *r = NULL;
		int best = -1;

		for (int k = 0; k < nr_orders; k++) {
			int o = orders[k];

			if (head[o] < group[o][1] && (!r || kho.blocks[head[o]].pa < r->pa)) {
				best = o;
				r = &kho.blocks[head[o]];
			}
		}
		if (!r)
			return true;
		head[best]++;
		if (!merge_one(m, r))
			return false;
	}
}

/* Is a block of exactly that order preserved at pa? (order < 0: any.) */
static bool find_block(phys_addr_t pa, int order)
{
	for (int k = 0; k < nr_orders; k++) {
		int o = orders[k];
		u64 lo = group[o][0], hi = group[o][1];

		if (order >= 0 && o != order)
			continue;
		while (lo < hi) { /* the last run of order o starting at or below pa */
			u64 mid = lo + (hi - lo) / 2;

			if (kho.blocks[mid].pa <= pa)
				lo = mid + 1;
			else
				hi = mid;
		}
		/* lo - 1 must be of this order's group: below its first run,
		 * it names another order's run, which may lie above pa. */
		if (lo > group[o][0] && pa < kho.blocks[lo - 1].end &&
		    !((pa - kho.blocks[lo - 1].pa) & ((PAGE_SIZE << o) - 1)))
			return true;
	}
	return false;
}

/* Does a preserved block start at pa's page and hold all of [pa, pa +
 * size)? (The scratch array, rule 13: a block for its first page alone
 * would leave the rest of it free memory.) */
static bool block_holds(phys_addr_t pa, u64 size)
{
	phys_addr_t page = ALIGN_DOWN(pa, PAGE_SIZE);

	for (int k = 0; k < nr_orders; k++)
		if (pa - page + size <= (PAGE_SIZE << orders[k]) && find_block(page, orders[k]))
			return true;
	return false;
}

/* The run that contains pa, or NULL. Runs are maximal and sorted. */
static const struct memblock_region *run_at(phys_addr_t pa)
{
	u64 lo = 0, hi = kho.nr_runs;

	while (lo < hi) { /* the last run starting at or below pa */
		u64 mid = lo + (hi - lo) / 2;

		if (kho.runs[mid].base <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0 || pa - kho.runs[lo - 1].base >= kho.runs[lo - 1].size)
		return NULL;
	return &kho.runs[lo - 1];
}

/* Is [base, base + size) inside preserved memory? Runs are maximal, so it
 * must lie within one. */
static bool covered(phys_addr_t base, u64 size)
{
	const struct memblock_region *r = run_at(base);

	return r && base + size > base && base + size <= r->base + r->size;
}

/* Heapsort (no memory, O(n log n)) of n elements of size bytes. */
static void swap_bytes(u8 *a, u8 *b, size_t size)
{
	while (size--) {
		u8 t = *a;

		*a++ = *b;
		*b++ = t;
	}
}

static void heapsort(void *base, u64 n, size_t size, int (*cmp)(const void *, const void *))
{
	u8 *a = base;

	for (u64 end = n, start = n / 2; end > 1;) {
		u64 root, child;

		if (start > 0) {
			start--;
		} else {
			end--;
			swap_bytes(a, a + end * size, size);
		}
		for (root = start; (child = 2 * root + 1) < end; root = child) {
			if (child + 1 < end && cmp(a + child * size, a + (child + 1) * size) < 0)
				child++;
			if (cmp(a + root * size, a + child * size) >= 0)
				break;
			swap_bytes(a + root * size, a + child * size, size);
		}
	}
}

static int cmp_u64(u64 a, u64 b)
{
	return a < b ? -1 : a > b;
}

static int claim_cmp(const void *a, const void *b)
{
	return cmp_u64(((const struct claim *)a)->first, ((const struct claim *)b)->first);
}

static int rec_cmp(const void *a, const void *b)
{
	return cmp_u64(((const struct kho_slab_rec *)a)->phys,
		       ((const struct kho_slab_rec *)b)->phys);
}

/* Record that kind owns [pa, pa + size) (counted only when claims is
 * NULL, the first pass). */
static void claim(struct scan *s, enum claim_kind kind, phys_addr_t pa, u64 size)
{
	if (s->claims && s->nr_claims < s->max_claims)
		s->claims[s->nr_claims] =
			(struct claim){ pa >> PAGE_SHIFT, (pa + size + PAGE_SIZE - 1) >> PAGE_SHIFT,
					pa, kind };
	s->nr_claims++;
}

/* Scratch memory for the scan's tables; NULL when scratch is full. */
static void *scratch_alloc(u64 bytes)
{
	phys_addr_t a = bytes ? memblock_alloc(bytes, 8) : 0;

	return a ? phys_to_virt(a) : NULL;
}

static void scratch_free(void *p, u64 bytes)
{
	if (p)
		memblock_unreserve(virt_to_phys(p), bytes);
}

/* Before the walk: the largest free piece of scratch, whole, for the
 * walk's table (struct scan), and fresh placement cursors. It is not
 * reserved during the walk, which allocates nothing else and reads only
 * nodes and blocks outside scratch (a node inside is refused as such
 * before it is read); what the walk filled is reserved after it. */
static int walk_table_take(struct scan *s)
{
	u64 cursor = 0, size, best = 0;
	phys_addr_t base, at = 0;

	place_start(s->at, 2);
	while (memblock_next_free(&cursor, &base, &size)) {
		phys_addr_t b = MAX(ALIGN_UP(base, 8), memblock.alloc_min);
		phys_addr_t e = ALIGN_DOWN(MIN(base + size, memblock.alloc_max), 8);

		if (b < e && e - b > best) {
			best = e - b;
			at = b;
		}
	}
	if (best < sizeof(struct kho_block_run))
		return refuse(s, -ENOSPC, "no room in scratch for the list of preserved blocks");
	kho.blocks = phys_to_virt(at);
	s->runs_end = kho.blocks;
	s->top = s->node_fill = phys_to_virt(at + best);
	return 0;
}

/* After it: the runs at the bottom and the nodes at the top are reserved,
 * what lies between stays free. */
static int walk_table_keep(struct scan *s)
{
	u64 runs = (u64)((char *)s->runs_end - (char *)kho.blocks);
	u64 nodes = (u64)((char *)s->top - (char *)s->node_fill);

	kho.nr_block_runs = (u64)(s->runs_end - kho.blocks);
	if ((runs && memblock_reserve(virt_to_phys(kho.blocks), runs)) ||
	    (nodes && memblock_reserve(virt_to_phys(s->node_fill), nodes))) {
		if (runs)
			memblock_unreserve(virt_to_phys(kho.blocks), runs);
		kho.blocks = NULL;
		s->node_fill = NULL;
		kho.nr_block_runs = 0;
		return refuse(s, -ENOSPC, "no room in scratch for the list of preserved blocks");
	}
	s->blocks_bytes = runs;
	s->nodes_bytes = nodes;
	if (!runs)
		kho.blocks = NULL;
	if (!nodes)
		s->node_fill = NULL;
	return 0;
}

/* Rule 14, and the blobs' claims (the slab chain's first chunk is claimed
 * as a chunk, rule 15). */
static int subtrees_check(const void *fdt, struct scan *s)
{
	int node;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *name = fdt_get_name(fdt, node, NULL);
		phys_addr_t blob;
		u64 size;

		if (!kho_subtree_props(fdt, node, &blob, &size))
			return refuse(s, -EINVAL, "subtree '%s' lacks 8-byte %s and %s", name,
				      KHO_PROP_SUBTREE_DATA, KHO_PROP_SUBTREE_SIZE);
		if (!size || blob + size < blob || !covered(blob, size))
			return refuse(s, -EFAULT,
				      "subtree '%s' blob 0x%llx+0x%llx is out of bounds (not "
				      "inside preserved memory)",
				      name, (unsigned long long)blob, (unsigned long long)size);
		if (strcmp(name, KHO_SLAB_SUBTREE) != 0)
			claim(s, C_BLOB, blob, size);
	}
	return 0;
}

/* Rule 15: the slab chain, read only through addresses already proven to
 * be preserved order-0 blocks. First pass (s->recs NULL) counts and claims
 * chunks; the second copies the records, which are then sorted and
 * checked against each other, and claims each slab once. */
static int slab_chain_check(const void *fdt, struct scan *s)
{
	int node = fdt_subnode_offset(fdt, 0, KHO_SLAB_SUBTREE);
	phys_addr_t pa;
	u64 size, chunks = 0, n = 0;

	if (node < 0)
		return 0;
	if (!kho_subtree_props(fdt, node, &pa, &size) || size != PAGE_SIZE)
		return refuse(s, -EBADMSG,
			      "the slab records are damaged: the subtree is not one page");
	for (; pa; pa = ((const struct kho_slab_chunk *)phys_to_virt(pa))->next) {
		const struct kho_slab_chunk *c;

		if (++chunks > s->count || !find_block(pa, 0))
			return refuse(s, -EBADMSG,
				      "the slab records are damaged: chunk 0x%llx is not a "
				      "preserved page, or the chain is longer than the map",
				      (unsigned long long)pa);
		c = phys_to_virt(pa);
		if (c->count > KHO_SLAB_CHUNK_RECS)
			return refuse(s, -EBADMSG,
				      "the slab records are damaged: chunk 0x%llx counts %llu "
				      "records",
				      (unsigned long long)pa, (unsigned long long)c->count);
		claim(s, C_SLAB_CHUNK, pa, PAGE_SIZE);
		for (u64 i = 0; i < c->count; i++) {
			const struct kho_slab_rec *r = &c->rec[i];
			u64 slab_size, base;

			if (r->slab_order > MAX_ORDER) /* before any shift by it */
				return refuse(s, -EBADMSG,
					      "the slab records are damaged: slab order %u",
					      r->slab_order);
			slab_size = PAGE_SIZE << r->slab_order;
			base = ALIGN_DOWN(r->phys, slab_size);
			if (!r->slot_size || r->slot_size > slab_size ||
			    (r->phys - base) % r->slot_size ||
			    r->phys - base + r->slot_size > slab_size)
				return refuse(s, -EBADMSG,
					      "the slab records are damaged: object 0x%llx of slot "
					      "size %u is not a slot of its slab",
					      (unsigned long long)r->phys, r->slot_size);
			if (!find_block(base, (int)r->slab_order))
				return refuse(s, -EBADMSG,
					      "the slab records are damaged: the slab 0x%llx of "
					      "order %u is not a preserved block",
					      (unsigned long long)base, r->slab_order);
			if (s->recs)
				s->recs[n] = *r;
			n++;
		}
	}
	s->nr_recs = n;
	if (!s->recs)
		return 0;
	heapsort(s->recs, n, sizeof(*s->recs), rec_cmp);
	for (u64 i = 0; i < n; i++) {
		const struct kho_slab_rec *r = &s->recs[i], *p = i ? r - 1 : NULL;
		u64 slab_size = PAGE_SIZE << r->slab_order;
		u64 base = ALIGN_DOWN(r->phys, slab_size);

		if (p && ALIGN_DOWN(p->phys, PAGE_SIZE << p->slab_order) == base) {
			if (p->slot_size != r->slot_size || p->slab_order != r->slab_order)
				return refuse(s, -EBADMSG,
					      "the slab records are damaged: the slab 0x%llx is "
					      "recorded with two slot sizes or orders",
					      (unsigned long long)base);
			if (r->phys - p->phys < r->slot_size)
				return refuse(s, -EBADMSG,
					      "the slab records are damaged: object 0x%llx is "
					      "recorded twice or overlaps 0x%llx",
					      (unsigned long long)r->phys,
					      (unsigned long long)p->phys);
			continue;
		}
		claim(s, C_SLAB, base, slab_size); /* once per slab */
	}
	return 0;
}

/* Rule 16. */
static int image_check(const void *boot_fdt, struct scan *s)
{
	struct mem_range r;

	if (!bootfdt_chosen_range(boot_fdt, BATON_CHOSEN_IMAGE, &r))
		return 0;
	for (int o = 0; o <= MAX_ORDER; o++) {
		if ((PAGE_SIZE << o) >= r.size && find_block(r.base, o)) {
			claim(s, C_IMAGE, r.base, r.size);
			return 0;
		}
	}
	return refuse(s, -EINVAL,
		      "the image copy 0x%llx+0x%llx is not a preserved block that holds it",
		      (unsigned long long)r.base, (unsigned long long)r.size);
}

/* Rule 17, on the sorted claims. */
static int owners_check(struct scan *s)
{
	heapsort(s->claims, s->nr_claims, sizeof(*s->claims), claim_cmp);
	for (u64 i = 0; i < s->nr_claims; i++) {
		const struct claim *c = &s->claims[i];

		if (c->kind == C_NODE && run_at(c->pa))
			return refuse(s, -EEXIST, "radix node 0x%llx lies in a preserved block",
				      (unsigned long long)c->pa);
		if (i && c->first < s->claims[i - 1].end) {
			const struct claim *p = &s->claims[i - 1];

			return refuse(s, -EEXIST,
				      "page 0x%llx is claimed twice: by %s 0x%llx and by %s "
				      "0x%llx",
				      (unsigned long long)c->first << PAGE_SHIFT,
				      claim_names[p->kind], (unsigned long long)p->pa,
				      claim_names[c->kind], (unsigned long long)c->pa);
		}
	}
	return 0;
}

/* Rules 15-17: the structures inside the preserved memory, once the blocks
 * are known. Two passes: count the claims and records, take tables for
 * them from scratch, then fill and check. */
static int structures_check(const void *boot_fdt, const void *fdt, struct scan *s,
			    struct mem_range fr, struct mem_range sr)
{
	int err;

	for (int pass = 0; pass < 2; pass++) {
		s->nr_claims = 0;
		claim(s, C_FDT, fr.base, fr.size);
		if (s->array_preserved) /* else it lies in scratch, no one's page */
			claim(s, C_SCRATCH, sr.base, sr.size);
		for (u64 i = 0; i < s->nodes; i++)
			claim(s, C_NODE, s->node_fill[i], PAGE_SIZE);
		err = subtrees_check(fdt, s);
		if (!err)
			err = slab_chain_check(fdt, s);
		if (!err)
			err = image_check(boot_fdt, s);
		if (err || pass == 1)
			break;
		/* Slabs are claimed in pass 2 only, at most one per record. */
		s->max_claims = s->nr_claims + s->nr_recs;
		s->claims_bytes = s->max_claims * sizeof(*s->claims);
		s->recs_bytes = s->nr_recs * sizeof(*s->recs);
		s->claims = scratch_alloc(s->claims_bytes);
		s->recs = scratch_alloc(s->recs_bytes);
		if (!s->claims || (s->nr_recs && !s->recs))
			return refuse(s, -ENOSPC, "no room in scratch to check who owns each page");
	}
	return err ? err : owners_check(s);
}

/* What rule 17 proved stays true after the scan: the blocks of the root
 * FDT and the scratch array are the handover's own, those of the slab
 * records kho/slab_in.c's (kho_mark_preserved writes it into the memmap). */
static u64 owner_of(u64 kind)
{
	switch (kind) {
	case C_FDT:
	case C_SCRATCH:
		return KHO_OWNER_CORE;
	case C_SLAB_CHUNK:
	case C_SLAB:
		return KHO_OWNER_SLAB;
	}
	return KHO_OWNER_ANY;
}

static int keep_owners(struct scan *s)
{
	u64 n = 0;

	for (u64 i = 0; i < s->nr_claims; i++)
		n += owner_of(s->claims[i].kind) != KHO_OWNER_ANY;
	kho.owned = scratch_alloc(n * sizeof(*kho.owned));
	if (n && !kho.owned)
		return refuse(s, -ENOSPC,
			      "no room in scratch for the owners of the handover's blocks");
	for (u64 i = 0; i < s->nr_claims; i++) {
		const struct claim *c = &s->claims[i];

		if (owner_of(c->kind) != KHO_OWNER_ANY)
			kho.owned[kho.nr_owned++] =
				(struct kho_owned){ c->first << PAGE_SHIFT, owner_of(c->kind) };
	}
	return 0;
}

/* Rule 4. (This kernel's image and boot FDT may lie in scratch: kexec puts
 * them there, and what this boot reserved there stays reserved. So may the
 * initrd: Linux's kexec_file_load places it in scratch and adds a memory
 * reservation for exactly the range /chosen names; that one reservation
 * is the loader's, not the firmware's. The firmware's reservations are
 * read from the boot FDT itself, as bootmem read them, so they are told
 * apart from the kernel's own.) */
#define FW_RESV_MAX 64 /* bootmem's limit: more stopped the boot there */

static int scratch_check(const void *boot_fdt, const struct kho_scratch *areas, u64 n,
			 struct scan *s)
{
	static struct bootfdt_resv fw[FW_RESV_MAX];
	int nfw = bootfdt_reserved(boot_fdt, fw, FW_RESV_MAX);
	int big = -1;
	struct mem_range rd = { 0, 0 };

	bootfdt_initrd(boot_fdt, &rd);
	if (nfw < 0)
		return refuse(s, -EBADMSG, "the firmware's reservations cannot be read");
	kho.nr_scratch = 0;
	for (u64 i = 0; i < n; i++) {
		const struct kho_scratch a = areas[i];

		kho.scratch[kho.nr_scratch++] = a;
		if (!a.size)
			continue; /* Linux's "global" area, when all RAM is low */
		if ((a.addr & (PAGE_SIZE - 1)) || (a.size & (PAGE_SIZE - 1)) ||
		    !in_ram(a.addr, a.size))
			return refuse(s, -EFAULT, "a scratch area is misaligned or outside RAM");
		for (int j = 0; j < nfw; j++)
			if (!(fw[j].base == rd.base && fw[j].size == rd.size) &&
			    fw[j].base < a.addr + a.size && a.addr < fw[j].base + fw[j].size)
				return refuse(s, -EEXIST,
					      "scratch area 0x%llx+0x%llx overlaps memory the "
					      "firmware reserved",
					      (unsigned long long)a.addr,
					      (unsigned long long)a.size);
		if (big < 0 || a.size > kho.scratch[big].size)
			big = kho.nr_scratch - 1;
	}
	if (big < 0)
		return refuse(s, -EINVAL, "no scratch area is usable");
	/* Until the map is read, memblock allocates from scratch only (the
	 * largest area). */
	memblock_set_alloc_limits(kho.scratch[big].addr,
				  kho.scratch[big].addr + kho.scratch[big].size);
	return 0;
}

/*
 * Rule 18: the largest page-aligned piece of [b, e) outside scratch and
 * the preserved runs. The free ranges come in address order, so one
 * cursor into each sorted list (the runs, scratch_sorted from
 * place_start) only moves forward. Asked only whether a piece of need
 * bytes exists (need > 0), it skips: when a run starts within need bytes
 * of b, no piece that long starts before the last run that does ends, so
 * b jumps to that run's end, found by binary search; every two jumps move
 * b by need at least, so the check costs O(RAM / need * log runs) (the
 * memmap needs RAM / 512), whatever the number of runs. Asked for the
 * largest (need 0, for the refusal's figure), it visits every run.
 */
struct room_cursor {
	u64 run;
	int scr;
};

/* The first run at or after i that ends after pa (beyond: base >= pa),
 * or n. */
static u64 run_after(u64 i, phys_addr_t pa, bool beyond)
{
	u64 hi = kho.nr_runs;

	while (i < hi) {
		u64 mid = i + (hi - i) / 2;
		phys_addr_t at =
			beyond ? kho.runs[mid].base : kho.runs[mid].base + kho.runs[mid].size;

		if (beyond ? at < pa : at <= pa)
			i = mid + 1;
		else
			hi = mid;
	}
	return i;
}

/* ... of [b, e), which holds no scratch: the gaps between the runs. */
static u64 largest_gap(struct room_cursor *c, phys_addr_t b, phys_addr_t e, u64 need)
{
	const struct memblock_region *r = kho.runs;
	u64 best = 0, i = c->run, n = kho.nr_runs;

	if (need) {
		for (;;) {
			if (e - b < need)
				return 0;
			i = c->run = run_after(i, b, false);
			if (i == n || r[i].base >= b + need)
				return need;                  /* [b, b + need) is free */
			i = run_after(i, b + need, true) - 1; /* the last run starting below */
			b = r[i].base + r[i].size;
			if (b >= e)
				return 0;
			i++;
		}
	}
	while (i < n && r[i].base + r[i].size <= b)
		i++;
	for (; i < n && r[i].base < e; i++) {
		if (r[i].base > b)
			best = MAX(best, r[i].base - b);
		b = r[i].base + r[i].size;
		if (b >= e) { /* the run goes on past e: stay on it */
			c->run = i;
			return best;
		}
	}
	c->run = i;
	return MAX(best, e - b);
}

static u64 largest_piece(struct room_cursor *c, phys_addr_t b, phys_addr_t e, u64 need)
{
	u64 best = 0;

	b = ALIGN_UP(b, PAGE_SIZE);
	e = ALIGN_DOWN(e, PAGE_SIZE);
	while (b < e) {
		phys_addr_t end = e;

		while (c->scr < nr_scratch_sorted &&
		       scratch_sorted[c->scr].addr + scratch_sorted[c->scr].size <= b)
			c->scr++;
		if (c->scr < nr_scratch_sorted) {
			const struct kho_scratch *a = &scratch_sorted[c->scr];

			if (a->addr <= b) { /* inside scratch: skip it */
				b = a->addr + a->size;
				continue;
			}
			end = MIN(end, a->addr);
		}
		/* (Each call moves the cursors: once, not in MAX's two
		 * evaluations, the second of which started past runs below
		 * b and found a gap where there is none.) */
		u64 gap = largest_gap(c, b, end, need);

		best = MAX(best, gap);
		b = end;
	}
	return best;
}

static int room_check(struct scan *s)
{
	u64 need = memdesc_memmap_bytes(), best = 0, cursor = 0, size;
	struct room_cursor c = { 0, 0 };
	phys_addr_t base;

	while (best < need && memblock_next_free(&cursor, &base, &size)) {
		u64 piece = largest_piece(&c, base, base + size, need);

		best = MAX(best, piece);
	}
	if (best >= need)
		return 0;
	/* No room: again, for the largest free range the refusal names. */
	cursor = 0;
	c = (struct room_cursor){ 0, 0 };
	while (memblock_next_free(&cursor, &base, &size)) {
		u64 piece = largest_piece(&c, base, base + size, 0);

		best = MAX(best, piece);
	}
	return refuse(s, -ENOSPC,
		      "scratch and the preserved blocks leave no room for the memory map (%llu "
		      "KiB needed, %llu KiB the largest free range)",
		      (unsigned long long)(need >> 10), (unsigned long long)(best >> 10));
}

/* Rule 6's refusal, naming the version met (the root's first compatible
 * string, printable characters only, cut at 40). */
static int unknown_version(const void *fdt, struct scan *s)
{
	char met[41];
	int len, n = 0;
	const char *c = fdt_getprop(fdt, 0, "compatible", &len);

	for (; c && n < len && n < 40 && c[n] >= 0x20 && c[n] < 0x7f; n++)
		met[n] = c[n];
	met[n] = 0;
	return refuse(s, -EPROTO,
		      "the KHO root FDT says compatible \"%s\": this kernel reads \"" KHO_COMPATIBLE
		      "\" and \"" KHO_COMPATIBLE_V4 "\"",
		      c ? met : "(none)");
}

static int scan(const void *boot_fdt, struct scan *s)
{
	struct mem_range fr, sr;
	const void *fdt;
	const u64 *map;
	int len;
	phys_addr_t root;
	int err;
	struct kho_radix_walker w = { .node_ok = node_ok, .blocks = blocks_ok, .arg = s };

	if (!bootfdt_chosen_range(boot_fdt, KHO_CHOSEN_FDT, &fr) ||
	    !bootfdt_chosen_range(boot_fdt, KHO_CHOSEN_SCRATCH, &sr))
		return refuse(s, -EINVAL,
			      "/chosen/linux,kho-fdt or linux,kho-scratch is malformed or missing");
	if ((fr.base & (PAGE_SIZE - 1)) || fr.size < sizeof(struct fdt_header) ||
	    fr.size > PAGE_SIZE || !in_ram(fr.base, fr.size))
		return refuse(s, -EFAULT,
			      "the KHO FDT range is misaligned, of a bad size, or outside RAM");
	if ((sr.base & 7) || sr.size % sizeof(struct kho_scratch) ||
	    sr.size > KHO_MAX_SCRATCH * sizeof(struct kho_scratch) || !in_ram(sr.base, sr.size))
		return refuse(s, -EFAULT,
			      "the scratch array is misaligned, of a bad size, or outside RAM");

	err = scratch_check(boot_fdt, phys_to_virt(sr.base), sr.size / sizeof(struct kho_scratch),
			    s);
	if (err)
		return err;

	fdt = phys_to_virt(fr.base);
	err = bootfdt_check(fdt, fr.size, s->why, s->why_n); /* the boot FDT's checks */
	if (err) {
		char bad[ERR_WHY_MAX];

		memcpy(bad, s->why, MIN(s->why_n, sizeof(bad)));
		bad[sizeof(bad) - 1] = 0;
		return refuse(s, err, "the KHO root FDT is truncated or damaged: %s", bad);
	}
	if (fdt_node_check_compatible(fdt, 0, KHO_COMPATIBLE) == 0)
		kho.version = KHO_COMPATIBLE;
	else if (fdt_node_check_compatible(fdt, 0, KHO_COMPATIBLE_V4) == 0)
		kho.version = KHO_COMPATIBLE_V4;
	else
		return unknown_version(fdt, s);
	map = fdt_getprop(fdt, 0, KHO_PROP_MEMORY_MAP, &len);
	if (!map || len != 8)
		return refuse(s, -EINVAL, "the KHO root FDT has no 8-byte preserved-memory-map");
	memcpy(&root, map, 8);

	/* One walk checks every node and block and builds the block runs. */
	s->max_nodes = max_nodes();
	err = walk_table_take(s);
	if (err)
		return err;
	err = kho_radix_walk(root, &w, s->why, s->why_n);
	if (!err)
		err = close_run(s, s->why, s->why_n);
	if (err) {
		kho.blocks = NULL;
		s->node_fill = NULL;
		return err;
	}
	err = walk_table_keep(s);
	if (err)
		return err;
	index_groups();
	/* Runs in address order, overlaps caught, into a table in scratch
	 * that memblock takes whole. */
	if (kho.nr_block_runs) {
		struct merge m = { 0 };

		s->ranges_bytes = kho.nr_block_runs * sizeof(struct memblock_region);
		m.out = kho.runs = scratch_alloc(s->ranges_bytes);
		if (!kho.runs)
			return refuse(s, -ENOSPC, "no room in scratch for the preserved ranges");
		if (!merge_runs(&m))
			return refuse(s, -EEXIST,
				      "preserved blocks overlap at 0x%llx (a block starts there "
				      "before the one below ends at 0x%llx)",
				      (unsigned long long)m.overlap[1],
				      (unsigned long long)m.overlap[0]);
		/* Merging made fewer: the rest goes back. */
		kho.nr_runs = m.n;
		if (m.n < kho.nr_block_runs)
			scratch_free(kho.runs + m.n, s->ranges_bytes - m.n * sizeof(*kho.runs));
		s->ranges_bytes = m.n * sizeof(*kho.runs);
		kho.nr_blocks = s->count = m.blocks;
		s->pages = m.pages;
	}
	if (!find_block(fr.base, -1))
		return refuse(s, -EINVAL, "the KHO root FDT is not itself preserved");
	s->array_preserved = block_holds(sr.base, sr.size);
	if (!s->array_preserved && !kho_in_scratch_whole(sr.base, sr.size))
		return refuse(s, -EINVAL,
			      "the scratch array is neither preserved nor inside scratch");
	err = structures_check(boot_fdt, fdt, s, fr, sr);
	if (!err)
		err = room_check(s);
	if (!err)
		err = keep_owners(s);
	if (err)
		return err;
	kho.in_fdt = fr.base;
	return 0;
}

/* The scan's own tables go back to scratch; a refused handover also
 * forgets the blocks, so nothing is left behind. */
static void drop_tables(struct scan *s)
{
	scratch_free(s->node_fill, s->nodes_bytes);
	scratch_free(s->claims, s->claims_bytes);
	scratch_free(s->recs, s->recs_bytes);
	s->node_fill = NULL;
	s->claims = NULL;
	s->recs = NULL;
}

static void forget(struct scan *s)
{
	drop_tables(s);
	scratch_free(kho.blocks, s->blocks_bytes);
	scratch_free(kho.runs, s->ranges_bytes);
	scratch_free(kho.owned, kho.nr_owned * sizeof(*kho.owned));
	kho.blocks = NULL;
	kho.runs = NULL;
	kho.owned = NULL;
	kho.nr_owned = 0;
	kho.nr_runs = 0;
	kho.nr_block_runs = 0;
	kho.nr_blocks = 0;
	kho.nr_scratch = 0;
	kho.in_fdt = 0;
	kho.version = NULL;
}

int kho_scan(const void *boot_fdt)
{
	char why[ERR_WHY_MAX];
	struct scan s = { .cur.order = NO_RUN, .why = why, .why_n = sizeof(why) };
	int chosen = fdt_path_offset(boot_fdt, "/chosen");
	int err;

	if (chosen < 0 || !fdt_getprop(boot_fdt, chosen, KHO_CHOSEN_FDT, NULL))
		return -ENOENT; /* a cold boot */
	err = scan(boot_fdt, &s);
	if (err) {
		memblock_set_alloc_limits(0, ~0ULL);
		pr_err("kho: handover refused: %s; booting as a cold boot", why);
		forget(&s);
		return err;
	}
	drop_tables(&s);
	/* Reserve the blocks: the runs table, handed to memblock whole (there
	 * may be millions of blocks; memblock's own table is fixed). */
	memblock_reserve_table(kho.runs, kho.nr_runs);
	memblock_set_alloc_limits(0, ~0ULL); /* the map is read */
	/* Scratch stays out of the page allocator, so nothing this generation
	 * preserves can be in it: the next kernel's image goes there. */
	for (int i = 0; i < kho.nr_scratch; i++)
		if (kho.scratch[i].size)
			memblock_reserve(kho.scratch[i].addr, kho.scratch[i].size);
	pr_info("kho: handover accepted (%s): %llu preserved blocks, %llu pages, %d scratch area%s",
		kho.version, (unsigned long long)kho.nr_blocks, (unsigned long long)s.pages,
		kho.nr_scratch, kho.nr_scratch == 1 ? "" : "s");
	/* The summary's detail, at debug level (tools/memmap draws it): each
	 * scratch area, then each run of touching blocks of one order as
	 * walked (grouped by order, each group in address order). */
	for (int i = 0; i < kho.nr_scratch; i++)
		if (kho.scratch[i].size)
			pr_debug("kho: scratch 0x%llx-0x%llx (%llu MiB)",
				 (unsigned long long)kho.scratch[i].addr,
				 (unsigned long long)(kho.scratch[i].addr + kho.scratch[i].size -
						      1),
				 (unsigned long long)(kho.scratch[i].size >> 20));
	for (u64 i = 0; i < kho.nr_block_runs; i++) {
		const struct kho_block_run *r = &kho.blocks[i];

		pr_debug("kho: preserved 0x%llx-0x%llx order %llu (%llu block%s)",
			 (unsigned long long)r->pa, (unsigned long long)(r->end - 1),
			 (unsigned long long)r->order,
			 (unsigned long long)((r->end - r->pa) >> (PAGE_SHIFT + r->order)),
			 r->end - r->pa == PAGE_SIZE << r->order ? "" : "s");
	}
	return 0;
}

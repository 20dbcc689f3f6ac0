/*
 * restore.c — the incoming side of KHO. kho_scan runs early in boot, while
 * memblock knows RAM and the boot's own reservations and nothing has been
 * allocated outside scratch. It trusts nothing in the handover:
 *
 *   1. /chosen/linux,kho-fdt and linux,kho-scratch: sizes, alignment, RAM;
 *   2. the root FDT: header, structure, compatible, the memory-map pointer;
 *   3. the scratch areas: inside RAM, no wrap;
 *   4. walk 1 over the radix tree: every node page aligned, in RAM, not
 *      reserved, not scratch; every block aligned, in RAM, not reserved,
 *      not scratch; counted;
 *   5. walk 2 fills an array (allocated from scratch), sorted, checked for
 *      overlaps, and the root FDT and scratch array must be in it.
 *
 * Only then is any block reserved. A failure anywhere refuses the whole
 * handover with one line, and the kernel boots as on a cold boot.
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

#define KHO_MAX_NODES (1u << 20)
#define KHO_MAGIC 0x4b484f50UL /* "KHOP", as Linux marks a preserved head */
#define KHO_MD_HEAD(order) memdesc_make(MEMDESC_PRESERVED, (KHO_MAGIC << 8) | (order))
#define KHO_MD_TAIL memdesc_make(MEMDESC_PRESERVED, 0xff)

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

/* Where a preserved block or tree node may be: RAM, not reserved by this
 * boot (kernel, boot FDT, firmware), not scratch. */
static const char *bad_place(phys_addr_t base, u64 size, u64 align)
{
	if (base & (align - 1))
		return "misaligned";
	if (!in_ram(base, size))
		return "outside RAM";
	if (memblock_is_reserved(base, size))
		return "on memory this boot has reserved (kernel, boot FDT or firmware)";
	if (kho_in_scratch(base, size))
		return "inside scratch";
	return NULL;
}

struct scan {
	u64 nodes, count;
	struct kho_block *fill;   /* walk 2: where blocks go */
	char why[160];
};

static bool node_ok(phys_addr_t node, void *arg, const char **why)
{
	struct scan *s = arg;
	const char *bad = bad_place(node, PAGE_SIZE, PAGE_SIZE);

	if (bad || ++s->nodes > KHO_MAX_NODES) {
		snprintf(s->why, sizeof(s->why), "radix node 0x%llx is %s",
			 (unsigned long long)node, bad ? bad : "one too many");
		*why = s->why;
		return false;
	}
	return true;
}

static bool block_ok(phys_addr_t pa, unsigned order, void *arg, const char **why)
{
	struct scan *s = arg;
	const char *bad = bad_place(pa, PAGE_SIZE << order, PAGE_SIZE << order);

	if (bad) {
		snprintf(s->why, sizeof(s->why), "preserved block 0x%llx order %u is %s",
			 (unsigned long long)pa, order, bad);
		*why = s->why;
		return false;
	}
	if (s->fill)
		s->fill[s->count] = (struct kho_block){ pa, order };
	s->count++;
	return true;
}

/*
 * The radix walk yields keys in increasing order, and a key's top bit is its
 * order: so the blocks come grouped by order, highest first, each group
 * ascending by address. The groups are indexed instead of sorted, and
 * merged on the fly (at most MAX_ORDER + 1 of them) when address order is
 * needed. group[o] = [first, end) of order o's blocks.
 */
static u64 group[MAX_ORDER + 1][2];

static const char *index_groups(void)
{
	u64 i = 0;

	for (int o = MAX_ORDER; o >= 0; o--) {
		group[o][0] = i;
		for (; i < kho.nr_blocks && kho.blocks[i].order == (u64)o; i++) {
			if (i > group[o][0] && kho.blocks[i - 1].pa >= kho.blocks[i].pa)
				return "the preserved-memory map repeats a block";
		}
		group[o][1] = i;
	}
	return i == kho.nr_blocks ? NULL : "the preserved-memory map is not in key order";
}

/* Call fn on every block in address order; stop when it returns false. */
static void each_by_address(bool (*fn)(const struct kho_block *b, void *arg), void *arg)
{
	u64 head[MAX_ORDER + 1];

	for (int o = 0; o <= MAX_ORDER; o++)
		head[o] = group[o][0];
	for (;;) {
		int best = -1;

		for (int o = 0; o <= MAX_ORDER; o++) {
			if (head[o] < group[o][1] &&
			    (best < 0 || kho.blocks[head[o]].pa < kho.blocks[head[best]].pa))
				best = o;
		}
		if (best < 0 || !fn(&kho.blocks[head[best]++], arg))
			return;
	}
}

/* Runs: touching blocks merged into ranges; counted, checked for overlap,
 * and (when out is set) written. */
struct runs {
	struct memblock_region *out;
	u64 n;
	phys_addr_t end;
	phys_addr_t overlap_a, overlap_b;
};

static bool add_to_run(const struct kho_block *b, void *arg)
{
	struct runs *r = arg;
	u64 size = PAGE_SIZE << b->order;

	if (r->n && b->pa < r->end) {
		r->overlap_a = r->end;
		r->overlap_b = b->pa;
		return false;
	}
	if (r->n && b->pa == r->end) {
		if (r->out)
			r->out[r->n - 1].size += size;
	} else {
		if (r->out)
			r->out[r->n] = (struct memblock_region){ b->pa, size };
		r->n++;
	}
	r->end = b->pa + size;
	return true;
}

static bool find_block(phys_addr_t pa)
{
	for (int o = 0; o <= MAX_ORDER; o++) {
		u64 lo = group[o][0], hi = group[o][1];

		while (lo < hi) {
			u64 mid = lo + (hi - lo) / 2;

			if (kho.blocks[mid].pa == pa)
				return true;
			if (kho.blocks[mid].pa < pa)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return false;
}

/* Is [base, base + size) inside preserved memory? Runs are maximal, so it
 * must lie within one. */
static bool covered(phys_addr_t base, u64 size)
{
	u64 lo = 0, hi = kho.nr_runs;

	while (lo < hi) { /* the last run starting at or below base */
		u64 mid = lo + (hi - lo) / 2;

		if (kho.runs[mid].base <= base)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && base + size <= kho.runs[lo - 1].base + kho.runs[lo - 1].size &&
	       base + size > base;
}

static const char *scan(const void *boot_fdt, struct scan *s)
{
	struct mem_range fr, sr;
	const struct kho_scratch *areas;
	const void *fdt;
	const u64 *map;
	int len;
	phys_addr_t root;
	const char *why = NULL;
	struct kho_radix_walker w = { node_ok, block_ok, s };

	if (!bootfdt_chosen_range(boot_fdt, KHO_CHOSEN_FDT, &fr) ||
	    !bootfdt_chosen_range(boot_fdt, KHO_CHOSEN_SCRATCH, &sr))
		return "/chosen/linux,kho-fdt or linux,kho-scratch is malformed or missing";
	if ((fr.base & (PAGE_SIZE - 1)) || fr.size < sizeof(struct fdt_header) ||
	    fr.size > PAGE_SIZE || !in_ram(fr.base, fr.size))
		return "the KHO FDT range is misaligned, of a bad size, or outside RAM";
	if ((sr.base & 7) || sr.size % sizeof(struct kho_scratch) ||
	    sr.size > KHO_MAX_SCRATCH * sizeof(struct kho_scratch) || !in_ram(sr.base, sr.size))
		return "the scratch array is misaligned, of a bad size, or outside RAM";

	areas = phys_to_virt(sr.base);
	kho.nr_scratch = (int)(sr.size / sizeof(*areas));
	for (int i = 0; i < kho.nr_scratch; i++) {
		kho.scratch[i] = areas[i];
		/* (This kernel's image and boot FDT may be in scratch: kexec
		 * puts them there. What is reserved there stays reserved.) */
		if (!areas[i].size || (areas[i].addr & (PAGE_SIZE - 1)) ||
		    !in_ram(areas[i].addr, areas[i].size))
			return "a scratch area is empty, misaligned or outside RAM";
	}
	/* Until the map is read, memblock allocates from scratch only. */
	memblock_set_alloc_limits(kho.scratch[0].addr, kho.scratch[0].addr + kho.scratch[0].size);

	fdt = phys_to_virt(fr.base);
	if (bootfdt_check(fdt, fr.size)) /* the same checks as the boot FDT's */
		return "the KHO root FDT is truncated or damaged";
	if (fdt_node_check_compatible(fdt, 0, KHO_COMPATIBLE) != 0)
		return "the KHO root FDT is not compatible \"" KHO_COMPATIBLE "\"";
	map = fdt_getprop(fdt, 0, KHO_PROP_MEMORY_MAP, &len);
	if (!map || len != 8)
		return "the KHO root FDT has no 8-byte preserved-memory-map";
	memcpy(&root, map, 8);

	/* Walk 1: check and count. */
	if (kho_radix_walk(root, &w, &why) < 0)
		return why;
	/* Walk 2: into an array from scratch (memblock allocates nowhere else
	 * until the map is read). */
	if (s->count) {
		phys_addr_t a = memblock_alloc(s->count * sizeof(struct kho_block), 8);

		if (!a)
			return "no room in scratch for the list of preserved blocks";
		kho.blocks = phys_to_virt(a);
		s->fill = kho.blocks;
		s->nodes = 0;
		s->count = 0;
		if (kho_radix_walk(root, &w, &why) < 0)
			return why;
		kho.nr_blocks = s->count;
	}
	why = index_groups();
	if (why)
		return why;
	/* Runs in address order: counted (and overlaps caught), then written
	 * to a table in scratch that memblock takes whole. */
	struct runs r = { 0 };

	each_by_address(add_to_run, &r);
	if (r.overlap_a || r.overlap_b) {
		snprintf(s->why, sizeof(s->why), "preserved blocks overlap at 0x%llx (a block "
			 "starts there before the one below ends at 0x%llx)",
			 (unsigned long long)r.overlap_b, (unsigned long long)r.overlap_a);
		return s->why;
	}
	if (r.n) {
		phys_addr_t a = memblock_alloc(r.n * sizeof(struct memblock_region), 8);

		if (!a)
			return "no room in scratch for the preserved ranges";
		kho.runs = phys_to_virt(a);
		kho.nr_runs = r.n;
		r = (struct runs){ .out = kho.runs };
		each_by_address(add_to_run, &r);
	}
	if (!find_block(fr.base) || !find_block(ALIGN_DOWN(sr.base, PAGE_SIZE)))
		return "the KHO root FDT or the scratch array is not itself preserved";
	why = kho_subtrees_check(fdt, covered);
	if (why)
		return why;
	kho.in_fdt = fr.base;
	return NULL;
}

/* A refused handover leaves nothing behind. */
static void kho_forget(const struct scan *s)
{
	if (kho.blocks)
		memblock_unreserve(virt_to_phys(kho.blocks), s->count * sizeof(struct kho_block));
	if (kho.runs)
		memblock_unreserve(virt_to_phys(kho.runs), kho.nr_runs * sizeof(*kho.runs));
	kho.blocks = NULL;
	kho.runs = NULL;
	kho.nr_runs = 0;
	kho.nr_blocks = 0;
	kho.nr_scratch = 0;
	kho.in_fdt = 0;
}

bool kho_scan(const void *boot_fdt)
{
	struct scan s = { 0 };
	int chosen = fdt_path_offset(boot_fdt, "/chosen");
	const char *why;
	u64 pages = 0;

	if (chosen < 0 || !fdt_getprop(boot_fdt, chosen, KHO_CHOSEN_FDT, NULL))
		return false; /* a cold boot */
	why = scan(boot_fdt, &s);
	if (why) {
		memblock_set_alloc_limits(0, ~0ULL);
		pr_err("kho: handover refused: %s; booting as a cold boot", why);
		kho_forget(&s);
		return false;
	}
	/* Reserve the blocks: the runs table, handed to memblock whole (there
	 * may be millions of blocks; memblock's own table is fixed). */
	memblock_reserve_table(kho.runs, kho.nr_runs);
	for (u64 i = 0; i < kho.nr_runs; i++)
		pages += kho.runs[i].size >> PAGE_SHIFT;
	memblock_set_alloc_limits(0, ~0ULL); /* the map is read */
	/* Scratch stays out of the page allocator, so nothing this generation
	 * preserves can be in it: the next kernel's image goes there. */
	for (int i = 0; i < kho.nr_scratch; i++)
		memblock_reserve(kho.scratch[i].addr, kho.scratch[i].size);
	pr_info("kho: handover accepted: %llu preserved blocks, %llu pages, %d scratch area%s",
		(unsigned long long)kho.nr_blocks, (unsigned long long)pages, kho.nr_scratch,
		kho.nr_scratch == 1 ? "" : "s");
	return true;
}

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

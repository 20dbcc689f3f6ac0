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
#define KHO_MD_HEAD(order) memdesc_make(MEMDESC_PRESERVED, (0x4b484f50UL << 8) | (order))
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
		s->fill[s->count] = (struct kho_block){ pa, order, 0 };
	s->count++;
	return true;
}

/* Heapsort by pa: no allocation, n log n, fine for a million blocks. */
static void sift(struct kho_block *b, u64 i, u64 n)
{
	for (;;) {
		u64 c = 2 * i + 1;
		struct kho_block t;

		if (c >= n)
			return;
		if (c + 1 < n && b[c + 1].pa > b[c].pa)
			c++;
		if (b[i].pa >= b[c].pa)
			return;
		t = b[i];
		b[i] = b[c];
		b[c] = t;
		i = c;
	}
}

static void sort_blocks(struct kho_block *b, u64 n)
{
	for (u64 i = n / 2; i-- > 0;)
		sift(b, i, n);
	for (u64 end = n; end > 1; end--) {
		struct kho_block t = b[0];

		b[0] = b[end - 1];
		b[end - 1] = t;
		sift(b, 0, end - 1);
	}
}

static struct kho_block *find_block(phys_addr_t pa)
{
	u64 lo = 0, hi = kho.nr_blocks;

	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (kho.blocks[mid].pa == pa)
			return &kho.blocks[mid];
		if (kho.blocks[mid].pa < pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Is [base, base + size) inside preserved blocks, end to end? */
static bool covered(phys_addr_t base, u64 size)
{
	u64 lo = 0, hi = kho.nr_blocks;
	phys_addr_t end = base + size;

	while (lo < hi) { /* the last block starting at or below base */
		u64 mid = lo + (hi - lo) / 2;

		if (kho.blocks[mid].pa <= base)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo == 0)
		return false;
	for (u64 i = lo - 1; i < kho.nr_blocks && base < end; i++) {
		const struct kho_block *b = &kho.blocks[i];

		if (b->pa > base || b->pa + (PAGE_SIZE << b->order) <= base)
			return false; /* a gap */
		base = b->pa + (PAGE_SIZE << b->order);
	}
	return base >= end;
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
		if (!areas[i].size || (areas[i].addr & (PAGE_SIZE - 1)) ||
		    !in_ram(areas[i].addr, areas[i].size) ||
		    memblock_is_reserved(areas[i].addr, areas[i].size))
			return "a scratch area is empty, misaligned, outside RAM or reserved";
	}
	/* Until the map is read, memblock allocates from scratch only. */
	memblock_set_alloc_limits(kho.scratch[0].addr, kho.scratch[0].addr + kho.scratch[0].size);

	fdt = phys_to_virt(fr.base);
	if (fdt_check_header(fdt) || fdt_totalsize(fdt) > fr.size ||
	    fdt_check_full(fdt, fdt_totalsize(fdt)))
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
		sort_blocks(kho.blocks, kho.nr_blocks);
	}
	for (u64 i = 1; i < kho.nr_blocks; i++) {
		const struct kho_block *p = &kho.blocks[i - 1];

		if (p->pa + (PAGE_SIZE << p->order) > kho.blocks[i].pa) {
			snprintf(s->why, sizeof(s->why), "preserved blocks 0x%llx and 0x%llx overlap",
				 (unsigned long long)p->pa, (unsigned long long)kho.blocks[i].pa);
			return s->why;
		}
	}
	if (!find_block(fr.base) || !find_block(ALIGN_DOWN(sr.base, PAGE_SIZE)))
		return "the KHO root FDT or the scratch array is not itself preserved";
	why = kho_subtrees_check(fdt, covered);
	if (why)
		return why;
	kho.in_fdt = fr.base;
	return NULL;
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
	memblock_set_alloc_limits(0, ~0ULL); /* the map is read (or refused) */
	if (why) {
		pr_err("kho: handover refused: %s; booting as a cold boot", why);
		if (kho.blocks)
			memblock_unreserve(virt_to_phys(kho.blocks),
					   s.count * sizeof(struct kho_block));
		kho.blocks = NULL;
		kho.nr_blocks = 0;
		kho.nr_scratch = 0;
		kho.in_fdt = 0;
		return false;
	}
	for (u64 i = 0; i < kho.nr_blocks; i++) {
		memblock_reserve(kho.blocks[i].pa, PAGE_SIZE << kho.blocks[i].order);
		pages += 1UL << kho.blocks[i].order;
	}
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

u64 kho_unclaimed_pages(void)
{
	u64 n = 0;

	for (u64 i = 0; i < kho.nr_blocks; i++) {
		if (!kho.blocks[i].claimed)
			n += 1UL << kho.blocks[i].order;
	}
	return n;
}

/* The block at phys of that order, waiting to be restored; NULL (and a
 * message) otherwise. */
struct kho_block *kho_waiting(phys_addr_t phys, unsigned order)
{
	struct kho_block *b = find_block(phys);

	if (!b || b->order != order) {
		pr_err("kho: nothing of order %u was preserved at 0x%llx", order,
		       (unsigned long long)phys);
		return NULL;
	}
	if (b->claimed) {
		pr_err("kho: 0x%llx order %u was restored already", (unsigned long long)phys, order);
		return NULL;
	}
	return b;
}

struct page *kho_restore_page_desc(phys_addr_t phys, unsigned int order, unsigned long md)
{
	struct kho_block *b = kho_waiting(phys, order);
	struct page *page;

	if (!b)
		return NULL;
	page = pfn_to_page(phys >> PAGE_SHIFT);
	if (page->memdesc != KHO_MD_HEAD(order)) {
		pr_err("kho: 0x%llx is not marked preserved in the memmap", (unsigned long long)phys);
		return NULL;
	}
	memdesc_set(page, order, md);
	buddy_adopt(page, order);
	b->claimed = 1;
	return page;
}

struct folio *kho_restore_folio(phys_addr_t phys)
{
	struct kho_block *b = find_block(phys);
	struct folio *f;
	struct page *page;

	if (!b) {
		pr_err("kho: no folio was preserved at 0x%llx", (unsigned long long)phys);
		return NULL;
	}
	f = folio_desc_alloc();
	if (!f)
		return NULL;
	page = kho_restore_page_desc(phys, b->order, memdesc_ptr(MEMDESC_FOLIO, f));
	if (!page) {
		folio_desc_free(f);
		return NULL;
	}
	*f = (struct folio){ .page = page, .order = b->order, .refcount = 1 };
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
	for (u64 p = pfn; p < end; p += 1UL << run_order(p, end)) { /* all there? */
		if (!kho_waiting(p << PAGE_SHIFT, run_order(p, end)))
			return NULL;
	}
	for (u64 p = pfn; p < end; p += 1UL << run_order(p, end)) {
		unsigned o = run_order(p, end);

		kho_restore_page_desc(p << PAGE_SHIFT, o, MEMDESC_PAGES_OF(o));
	}
	return pfn_to_page(pfn);
}

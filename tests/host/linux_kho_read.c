/*
 * linux_kho_read.c — reads a handover in the fake RAM arena by the rules a
 * Linux kernel applies when it boots from one, and checks it field by
 * field. Written from Linux's ABI header and code as cited in linux_kho.h
 * ([ABI], [KHO], [OF], [MD], [TEST]); it shares nothing with Baton's
 * kho/validate.c and kho/restore.c, which it is used to check (and to be checked against:
 * linux_kho_build.c's output must pass it).
 *
 * The rules, each named by the line it returns:
 *  1. /chosen has linux,kho-fdt and linux,kho-scratch as <addr size> in the
 *     root's cells ([OF] kho_add_chosen / early_init_dt_check_kho).
 *  2. The root FDT lies in RAM and passes fdt_check_header, and its
 *     compatible is exactly the reader's ([KHO] kho_populate).
 *  3. preserved-memory-map is an 8-byte, non-zero u64 ([KHO]
 *     kho_get_mem_map_phys, kho_mem_retrieve).
 *  4. The scratch array is whole {u64 addr, u64 size} entries in RAM; each
 *     area lies in RAM (0 bytes allowed: 7.3's global area) and the areas do
 *     not overlap ([KHO] kho_populate marks each one scratch).
 *  5. Every radix node is a page-aligned page of RAM outside scratch (the
 *     next kernel allocates from scratch while it walks, [KHO]
 *     memblock_set_kho_scratch_only); every set bit decodes to an order >= 0
 *     ([ABI] key layout); every block lies in RAM outside scratch.
 *  6. No two preserved blocks overlap.
 *  7. The root FDT page is preserved ([KHO] kho_init: kho_alloc_preserve),
 *     since the next kernel keeps reading it (kho_retrieve_subtree).
 *  8. Every subtree node has 8-byte preserved-data and blob-size ([KHO]
 *     kho_retrieve_subtree, v3+), and its blob lies in preserved memory.
 * And, for a caller's data: lkho_check_folio/pages/vmalloc apply
 * kho_restore_folio/pages/vmalloc's rules; lkho_check_metadata and
 * lkho_check_test_subtree those of kho_in_kexec_metadata and test_kho.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "linux_kho.h"
#include "arch/mmu.h"

static char why[256];

#define REFUSE(...)                                      \
	do {                                             \
		snprintf(why, sizeof(why), __VA_ARGS__); \
		return why;                              \
	} while (0)

struct ctx {
	struct lkho_view *v;
	phys_addr_t ram_base;
	u64 ram_size;
	u64 cap;
};

static bool in_ram(const struct ctx *c, phys_addr_t pa, u64 size)
{
	return pa >= c->ram_base && pa + size >= pa && pa + size <= c->ram_base + c->ram_size;
}

static bool in_scratch(const struct lkho_view *v, phys_addr_t pa, u64 size)
{
	for (int i = 0; i < v->nr_areas; i++) {
		const struct lkho_scratch *a = &v->areas[i];

		if (a->size && pa < a->addr + a->size && a->addr < pa + size)
			return true;
	}
	return false;
}

static u64 read_cells(const fdt32_t *p, int n)
{
	u64 x = 0;

	for (int i = 0; i < n; i++)
		x = (x << 32) | fdt32_to_cpu(p[i]);
	return x;
}

static bool chosen_range(const void *fdt, const char *name, phys_addr_t *base, u64 *size)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len, ac = 2, sc = 1;
	const fdt32_t *p, *cells;

	if (chosen < 0)
		return false;
	cells = fdt_getprop(fdt, 0, "#address-cells", &len);
	if (cells && len == 4)
		ac = (int)fdt32_to_cpu(*cells);
	cells = fdt_getprop(fdt, 0, "#size-cells", &len);
	if (cells && len == 4)
		sc = (int)fdt32_to_cpu(*cells);
	p = fdt_getprop(fdt, chosen, name, &len);
	if (!p || ac < 1 || ac > 2 || sc < 1 || sc > 2 || len != (ac + sc) * 4)
		return false;
	*base = read_cells(p, ac);
	*size = read_cells(p + ac, sc);
	return true;
}

static const char *add_block(struct ctx *c, phys_addr_t pa, u32 order)
{
	struct lkho_view *v = c->v;
	u64 size = LKHO_PAGE_SIZE << order;

	if (!in_ram(c, pa, size))
		REFUSE("preserved block 0x%llx order %u is outside RAM", (unsigned long long)pa,
		       order);
	if (in_scratch(v, pa, size))
		REFUSE("preserved block 0x%llx order %u is inside scratch", (unsigned long long)pa,
		       order);
	if (v->nr_blocks == c->cap) {
		c->cap = c->cap ? 2 * c->cap : 1024;
		v->blocks = realloc(v->blocks, c->cap * sizeof(*v->blocks));
		if (!v->blocks)
			abort();
	}
	v->blocks[v->nr_blocks++] = (struct lkho_block){ pa, order };
	v->nr_pages += 1ULL << order;
	return NULL;
}

/* [ABI]: level 5..1 tables, level 0 bitmap; key bits per the diagram. */
static const char *walk(struct ctx *c, phys_addr_t node, int level, u64 prefix)
{
	const u64 *t;
	const char *err;

	if ((node & (LKHO_PAGE_SIZE - 1)) || !in_ram(c, node, LKHO_PAGE_SIZE))
		REFUSE("radix node 0x%llx (level %d) is misaligned or outside RAM",
		       (unsigned long long)node, level);
	if (in_scratch(c->v, node, LKHO_PAGE_SIZE))
		REFUSE("radix node 0x%llx (level %d) is inside scratch", (unsigned long long)node,
		       level);
	if (++c->v->nr_nodes > (1u << 20))
		REFUSE("the radix tree has over 2^20 nodes");
	t = phys_to_virt(node);
	if (level == 0) {
		for (unsigned i = 0; i < (1u << LKHO_BITMAP_LOG2) / 64; i++) {
			for (u64 bits = t[i]; bits; bits &= bits - 1) {
				u64 key = prefix | (i * 64 + (unsigned)__builtin_ctzll(bits));
				int top = 63 - __builtin_clzll(key);
				u32 order;

				if (top > LKHO_ORDER_0_LOG2)
					REFUSE("radix key 0x%llx has its order bit above bit 52",
					       (unsigned long long)key);
				order = (u32)(LKHO_ORDER_0_LOG2 - top);
				err = add_block(c,
						(key ^ (1ULL << top)) << (LKHO_PAGE_SHIFT + order),
						order);
				if (err)
					return err;
			}
		}
		return NULL;
	}
	for (u64 i = 0; i < (1u << LKHO_TABLE_LOG2); i++) {
		if (!t[i])
			continue;
		err = walk(c, t[i], level - 1,
			   prefix | (i << (LKHO_BITMAP_LOG2 + LKHO_TABLE_LOG2 * (level - 1))));
		if (err)
			return err;
	}
	return NULL;
}

static int by_pa(const void *a, const void *b)
{
	const struct lkho_block *x = a, *y = b;

	return x->pa < y->pa ? -1 : x->pa > y->pa;
}

/* The block at pa (blocks sorted by pa), or NULL. */
static const struct lkho_block *block_at(const struct lkho_view *v, phys_addr_t pa)
{
	u64 lo = 0, hi = v->nr_blocks;

	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (v->blocks[mid].pa == pa)
			return &v->blocks[mid];
		if (v->blocks[mid].pa < pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

bool lkho_has_block(const struct lkho_view *v, phys_addr_t pa, u32 order)
{
	const struct lkho_block *b = block_at(v, pa);

	return b && b->order == order;
}

bool lkho_covered(const struct lkho_view *v, phys_addr_t pa, u64 size)
{
	u64 lo = 0, hi = v->nr_blocks;
	phys_addr_t end = pa + size;

	if (!size || end < pa)
		return false;
	while (lo < hi) { /* the last block starting at or below pa */
		u64 mid = lo + (hi - lo) / 2;

		if (v->blocks[mid].pa <= pa)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!lo)
		return false;
	/* Walk forward through touching blocks until end is covered. */
	for (u64 i = lo - 1; i < v->nr_blocks; i++) {
		const struct lkho_block *b = &v->blocks[i];
		phys_addr_t b_end = b->pa + (LKHO_PAGE_SIZE << b->order);

		if (b->pa > pa)
			return false;
		if (b_end >= end)
			return true;
		if (b_end <= pa)
			return false;
		pa = b_end;
	}
	return false;
}

const struct lkho_subtree *lkho_subtree(const struct lkho_view *v, const char *name)
{
	for (int i = 0; i < v->nr_subtrees; i++)
		if (strcmp(v->subtrees[i].name, name) == 0)
			return &v->subtrees[i];
	return NULL;
}

void lkho_view_free(struct lkho_view *v)
{
	free(v->blocks);
	v->blocks = NULL;
	v->nr_blocks = 0;
}

static const char *read_all(const void *boot_fdt, struct ctx *c, const char *compatible)
{
	struct lkho_view *v = c->v;
	const void *root, *p;
	const char *err;
	int len, off;

	/* 1 */
	if (!chosen_range(boot_fdt, LKHO_CHOSEN_FDT, &v->fdt, &v->fdt_size) ||
	    !chosen_range(boot_fdt, LKHO_CHOSEN_SCRATCH, &v->scratch, &v->scratch_size))
		REFUSE("/chosen lacks linux,kho-fdt or linux,kho-scratch as <addr size>");
	/* 2 */
	if (v->fdt_size < sizeof(struct fdt_header) || !in_ram(c, v->fdt, v->fdt_size))
		REFUSE("the root FDT 0x%llx+0x%llx is not in RAM", (unsigned long long)v->fdt,
		       (unsigned long long)v->fdt_size);
	root = v->root = phys_to_virt(v->fdt);
	if (fdt_check_header(root) || fdt_totalsize(root) > v->fdt_size)
		REFUSE("the root FDT header is invalid or larger than linux,kho-fdt says");
	p = fdt_getprop(root, 0, "compatible", &len);
	if (p && len > 0)
		snprintf(v->compatible, sizeof(v->compatible), "%.*s", len, (const char *)p);
	if (fdt_node_check_compatible(root, 0, compatible))
		REFUSE("the root FDT is compatible \"%s\", not \"%s\"", v->compatible, compatible);
	/* 3 */
	p = fdt_getprop(root, 0, LKHO_MEM_MAP, &len);
	if (!p || len != 8)
		REFUSE("the root FDT has no 8-byte " LKHO_MEM_MAP);
	memcpy(&v->mem_map, p, 8);
	if (!v->mem_map)
		REFUSE(LKHO_MEM_MAP " is 0");
	/* 4 */
	if (!v->scratch_size || v->scratch_size % sizeof(struct lkho_scratch) ||
	    v->scratch_size > sizeof(v->areas) || !in_ram(c, v->scratch, v->scratch_size))
		REFUSE("the scratch array 0x%llx+0x%llx is not whole entries in RAM",
		       (unsigned long long)v->scratch, (unsigned long long)v->scratch_size);
	v->nr_areas = (int)(v->scratch_size / sizeof(struct lkho_scratch));
	memcpy(v->areas, phys_to_virt(v->scratch), v->scratch_size);
	for (int i = 0; i < v->nr_areas; i++) {
		const struct lkho_scratch *a = &v->areas[i];

		if (!in_ram(c, a->addr, a->size))
			REFUSE("scratch area %d 0x%llx+0x%llx is outside RAM", i,
			       (unsigned long long)a->addr, (unsigned long long)a->size);
		for (int j = 0; j < i; j++)
			if (a->size && v->areas[j].size &&
			    a->addr < v->areas[j].addr + v->areas[j].size &&
			    v->areas[j].addr < a->addr + a->size)
				REFUSE("scratch areas %d and %d overlap", j, i);
	}
	/* 5 */
	err = walk(c, v->mem_map, LKHO_DEPTH - 1, 0);
	if (err)
		return err;
	/* 6 */
	qsort(v->blocks, v->nr_blocks, sizeof(*v->blocks), by_pa);
	for (u64 i = 1; i < v->nr_blocks; i++) {
		const struct lkho_block *a = &v->blocks[i - 1], *b = &v->blocks[i];

		if (a->pa + (LKHO_PAGE_SIZE << a->order) > b->pa)
			REFUSE("preserved blocks 0x%llx order %u and 0x%llx order %u overlap",
			       (unsigned long long)a->pa, a->order, (unsigned long long)b->pa,
			       b->order);
	}
	/* 7 */
	if (!lkho_covered(v, v->fdt, fdt_totalsize(root)))
		REFUSE("the root FDT 0x%llx is not in preserved memory",
		       (unsigned long long)v->fdt);
	/* Root properties Linux does not define (it ignores them). */
	fdt_for_each_property_offset(off, root, 0) {
		const char *name;

		fdt_getprop_by_offset(root, off, &name, &len);
		if (name && strcmp(name, "compatible") && strcmp(name, LKHO_MEM_MAP) &&
		    v->nr_extra_props < 8)
			snprintf(v->extra_props[v->nr_extra_props++], 48, "%s", name);
	}
	/* 8 */
	fdt_for_each_subnode(off, root, 0) {
		struct lkho_subtree *s;
		const void *d, *z;
		int dl, zl;

		if (v->nr_subtrees == (int)(sizeof(v->subtrees) / sizeof(v->subtrees[0])))
			REFUSE("over 32 subtrees");
		s = &v->subtrees[v->nr_subtrees++];
		snprintf(s->name, sizeof(s->name), "%s", fdt_get_name(root, off, NULL));
		d = fdt_getprop(root, off, LKHO_SUB_DATA, &dl);
		z = fdt_getprop(root, off, LKHO_SUB_SIZE, &zl);
		if (!d || dl != 8)
			REFUSE("subtree '%s' has no 8-byte " LKHO_SUB_DATA, s->name);
		if (!z || zl != 8)
			REFUSE("subtree '%s' has no 8-byte " LKHO_SUB_SIZE, s->name);
		memcpy(&s->data, d, 8);
		memcpy(&s->size, z, 8);
		if (!lkho_covered(v, s->data, s->size))
			REFUSE("subtree '%s' blob 0x%llx+0x%llx is not in preserved memory",
			       s->name, (unsigned long long)s->data, (unsigned long long)s->size);
	}
	return NULL;
}

const char *lkho_read(const void *boot_fdt, phys_addr_t ram_base, u64 ram_size,
		      const char *compatible, struct lkho_view *v)
{
	struct ctx c = { v, ram_base, ram_size, 0 };
	const char *err;

	memset(v, 0, sizeof(*v));
	err = read_all(boot_fdt, &c, compatible);
	if (err)
		lkho_view_free(v);
	return err;
}

const char *lkho_check_folio(const struct lkho_view *v, phys_addr_t phys, u32 order)
{
	const struct lkho_block *b = block_at(v, phys);

	/* kho_restore_page: the stamp (magic and order) on the head page. */
	if (!b)
		REFUSE("no preserved block at 0x%llx (kho_restore_folio)",
		       (unsigned long long)phys);
	if (b->order != order)
		REFUSE("the block at 0x%llx has order %u, not %u", (unsigned long long)phys,
		       b->order, order);
	return NULL;
}

const char *lkho_check_pages(const struct lkho_view *v, phys_addr_t phys, u64 nr_pages)
{
	u64 pfn = phys >> LKHO_PAGE_SHIFT, end = pfn + nr_pages;

	if (!nr_pages || (phys & (LKHO_PAGE_SIZE - 1)))
		REFUSE("pages 0x%llx+%llu: an empty or misaligned run", (unsigned long long)phys,
		       (unsigned long long)nr_pages);
	/* kho_restore_pages: steps of min(ctz(pfn), ilog2(end - pfn)), each a
	 * kho_restore_page that trusts the order stamped there. */
	while (pfn < end) {
		unsigned tz = pfn ? (unsigned)__builtin_ctzll(pfn) : 63;
		unsigned lg = 63 - (unsigned)__builtin_clzll(end - pfn);
		unsigned order = tz < lg ? tz : lg;
		const struct lkho_block *b = block_at(v, pfn << LKHO_PAGE_SHIFT);

		if (!b)
			REFUSE("pages 0x%llx+%llu: Linux's kho_restore_pages expects a block of "
			       "order %u at 0x%llx and finds none",
			       (unsigned long long)phys, (unsigned long long)nr_pages, order,
			       (unsigned long long)(pfn << LKHO_PAGE_SHIFT));
		if (b->order != order)
			REFUSE("pages 0x%llx+%llu: Linux's kho_restore_pages steps by order %u at "
			       "0x%llx, where the block is of order %u",
			       (unsigned long long)phys, (unsigned long long)nr_pages, order,
			       (unsigned long long)(pfn << LKHO_PAGE_SHIFT), b->order);
		pfn += 1ULL << order;
	}
	return NULL;
}

const char *lkho_check_vmalloc(const struct lkho_view *v, const struct lkho_vmalloc *d)
{
	u64 idx = 0, chunks = 0, contig = 1ULL << (d->order < 32 ? d->order : 31);
	const char *err;

	/* kho_restore_vmalloc: flags beyond VM_ALLOC | VM_ALLOW_HUGE_VMAP are
	 * refused. */
	if (d->flags & ~(LKHO_VMALLOC_ALLOC | LKHO_VMALLOC_HUGE_VMAP))
		REFUSE("vmalloc flags 0x%x are not ALLOC|HUGE_VMAP", d->flags);
	if (d->order > 18)
		REFUSE("vmalloc order %u is beyond any page table level", d->order);
	if (!d->first)
		REFUSE("vmalloc descriptor has no first chunk");
	for (phys_addr_t pa = d->first; pa;) {
		const u64 *c;

		if (++chunks > d->total_pages / LKHO_VMALLOC_ENTRIES + 2)
			REFUSE("vmalloc chain is longer than %u pages need", d->total_pages);
		/* each chunk: kho_restore_pages(virt_to_phys(chunk), 1) */
		err = lkho_check_pages(v, pa, 1);
		if (err)
			return err;
		c = phys_to_virt(pa);
		for (int i = 0; i < LKHO_VMALLOC_ENTRIES && c[1 + i]; i++) {
			if (idx + contig > d->total_pages)
				REFUSE("vmalloc chunks list more than %u pages", d->total_pages);
			if (c[1 + i] & ((LKHO_PAGE_SIZE << d->order) - 1))
				REFUSE("vmalloc entry 0x%llx is not aligned to order %u",
				       (unsigned long long)c[1 + i], d->order);
			err = lkho_check_pages(v, c[1 + i], contig);
			if (err)
				return err;
			idx += contig;
		}
		pa = c[0];
	}
	if (idx != d->total_pages)
		REFUSE("vmalloc chunks list %llu pages, the descriptor %u", (unsigned long long)idx,
		       d->total_pages);
	return NULL;
}

const char *lkho_check_metadata(const struct lkho_view *v)
{
	const struct lkho_subtree *s = lkho_subtree(v, LKHO_MD_NAME);
	u32 version;

	if (!s)
		REFUSE("no " LKHO_MD_NAME " subtree");
	if (s->size != LKHO_MD_SIZE)
		REFUSE(LKHO_MD_NAME " is %llu bytes, not %d", (unsigned long long)s->size,
		       LKHO_MD_SIZE);
	memcpy(&version, phys_to_virt(s->data), 4);
	if (version != LKHO_MD_VERSION)
		REFUSE(LKHO_MD_NAME " version %u", version);
	return NULL;
}

/* The u64 at index i of a restored vmalloc area (blocks of 2^order pages). */
static u64 vm_word(const struct lkho_vmalloc *d, u64 i)
{
	u64 per_block = (LKHO_PAGE_SIZE << d->order) / 8, b = i / per_block;
	const u64 *c = phys_to_virt(d->first);

	while (b >= LKHO_VMALLOC_ENTRIES) {
		c = phys_to_virt(c[0]);
		b -= LKHO_VMALLOC_ENTRIES;
	}
	return ((const u64 *)phys_to_virt(c[1 + b]))[i % per_block];
}

const char *lkho_check_test_subtree(const struct lkho_view *v, bool check_csum)
{
	const struct lkho_subtree *s = lkho_subtree(v, LKHO_TEST_NAME);
	const void *fdt;
	const u32 *magic, *nr, *csum;
	const struct lkho_vmalloc *info;
	struct lkho_vmalloc d;
	const char *err;
	int node, len;
	u32 sum = 0;

	if (!s)
		REFUSE("no " LKHO_TEST_NAME " subtree");
	fdt = phys_to_virt(s->data);
	if (fdt_check_header(fdt) || fdt_totalsize(fdt) > s->size)
		REFUSE(LKHO_TEST_NAME ": not an FDT inside its blob-size");
	if (fdt_node_check_compatible(fdt, 0, LKHO_TEST_COMPAT))
		REFUSE(LKHO_TEST_NAME ": not compatible " LKHO_TEST_COMPAT);
	magic = fdt_getprop(fdt, 0, "magic", &len);
	if (!magic || len != 4 || *magic != LKHO_TEST_MAGIC)
		REFUSE(LKHO_TEST_NAME ": bad magic");
	node = fdt_path_offset(fdt, "/data");
	nr = fdt_getprop(fdt, node, "nr_folios", &len);
	if (!nr || len != 4)
		REFUSE(LKHO_TEST_NAME ": no 4-byte nr_folios");
	csum = fdt_getprop(fdt, node, "csum", &len);
	if (!csum || len != 4)
		REFUSE(LKHO_TEST_NAME ": no 4-byte csum");
	info = fdt_getprop(fdt, node, "folios_info", &len);
	if (!info || len != 16)
		REFUSE(LKHO_TEST_NAME ": no 16-byte folios_info");
	memcpy(&d, info, sizeof(d));
	err = lkho_check_vmalloc(v, &d);
	if (err)
		return err;
	if ((u64)*nr * 8 > (u64)d.total_pages * LKHO_PAGE_SIZE)
		REFUSE(LKHO_TEST_NAME ": %u folios do not fit folios_info", *nr);
	for (u32 i = 0; i < *nr; i++) {
		u64 e = vm_word(&d, i);
		phys_addr_t pa = e & ~(LKHO_PAGE_SIZE - 1);
		u32 order = (u32)(e & (LKHO_PAGE_SIZE - 1));

		err = lkho_check_folio(v, pa, order);
		if (err)
			return err;
		if (check_csum)
			sum = lkho_csum(phys_to_virt(pa), LKHO_PAGE_SIZE << order, sum);
	}
	if (check_csum && sum != *csum)
		REFUSE(LKHO_TEST_NAME ": csum 0x%x, recorded 0x%x", sum, *csum);
	return NULL;
}

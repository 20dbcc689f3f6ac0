/*
 * test_kho_linux.c — Baton and Linux's KHO ABI, both directions (issue 9,
 * items 5 and 6), with the builder and reader of linux_kho.h.
 *
 * - the builder's handovers pass the Linux-rules reader field by field
 *   (the builder is checked against the reader, both against the facts
 *   cited in linux_kho.h), and the reader refuses what Linux refuses;
 * - item 6: every handover Baton writes passes the Linux-rules reader,
 *   including page runs wider than MAX_ORDER (split as Linux splits them);
 * - item 5: Linux-shaped handovers are accepted, restored, checked and
 *   freed by Baton. Each shape is tried alone on a "baseline" handover
 *   (Linux's layout, one node, every area non-empty, and, unlike Linux, the
 *   scratch array on a preserved page), then all of them together, exactly
 *   as Linux writes them, after which Baton's next handover passes Linux's
 *   rules with the scratch areas passed on unchanged.
 *
 * Linux shape                         what Baton does (kho/validate.c, restore.c)
 * ----------------------------------  -----------------------------------------------
 * compatible "kho-v4" (7.3)           reads it as kho-v3 and says so: "kho: handover
 *                                     accepted (kho-v4): ..."
 * scratch array inside scratch,       accepted (rule 13): copied before anything is
 *   not preserved                     allocated from scratch
 * an empty scratch area (7.3 global)  kept in place, unused, passed on (rule 4)
 * NUMA nodes + 2 scratch areas        up to KHO_MAX_SCRATCH (16)
 * blocks of order 12 and 11           accepted up to KHO_MAX_BLOCK_ORDER; restored
 *   (a run split with no cap)         by kho_restore_pages as MAX_ORDER blocks (a
 *                                     folio or one block that large is refused with
 *                                     a line that says so)
 * vmalloc, HUGE_VMAP flag, order 9    restored: each block comes back as the order-0
 *                                     pages vmalloc maps
 * vmalloc of 511 pages (2nd chunk     accepted and restored
 *   empty)
 * "kexec-metadata", "kho_test"        accepted, retrieved and restored
 *   subtrees Baton does not know
 * all of the above (kho-v3 or v4)     accepted and restored
 */
#include <stddef.h>
#include <string.h>
#include <libfdt.h>

#include "harness.h"
#include "host.h"
#include "linux_kho.h"
#include "buddy.h"
#include "folio.h"
#include "kho.h"
#include "kho_linux_test.h"
#include "memblock.h"
#include "mm_boot.h"
#include "slab.h"
#include "vmalloc.h"

#define RAM_BASE LKHO_RAM_BASE
#define RAM LKHO_RAM_SIZE

static u64 boot_fdt_buf[8192 / 8];

/* One generation of Baton on the surviving RAM (mm_boot.h). */
static void boot_generation(const void *boot_fdt)
{
	mm_boot_generation(RAM_BASE, RAM, boot_fdt);
}

static struct lkho_build_opts baseline(void)
{
	return (struct lkho_build_opts){ .compatible = LKHO_V3,
					 .nr_nodes = 1,
					 .array_preserved = true };
}

static const void *build(const struct lkho_build_opts *o, struct lkho_built *b)
{
	host_ram(RAM_BASE, RAM);
	host_console_register();
	lkho_build(o, b);
	lkho_boot_fdt(boot_fdt_buf, sizeof(boot_fdt_buf), b->fdt, b->fdt_size, b->scratch,
		      b->scratch_size);
	return boot_fdt_buf;
}

/* ================= The builder against the reader ================= */

static void check_built(const struct lkho_build_opts *o, const struct lkho_built *b,
			const struct lkho_view *v)
{
	EXPECT_STR(v->compatible, o->compatible);
	EXPECT_EQ(v->mem_map, b->radix_root);
	EXPECT_EQ(v->fdt, b->fdt);
	EXPECT_EQ(v->fdt_size, 4096);
	EXPECT_EQ(v->nr_areas, o->nr_nodes + 2);
	EXPECT_EQ(v->nr_areas, b->nr_areas);
	for (int i = 0; i < v->nr_areas && i < b->nr_areas; i++) {
		EXPECT_EQ(v->areas[i].addr, b->areas[i].addr);
		EXPECT_EQ(v->areas[i].size, b->areas[i].size);
		EXPECT_EQ(v->areas[i].addr & ((2ULL << 20) - 1), 0); /* CMA-aligned */
	}
	EXPECT_EQ(v->areas[1].size == 0, o->empty_global);
	EXPECT_EQ(v->nr_blocks, b->nr_blocks);
	EXPECT_EQ(v->nr_pages, b->nr_pages);
	EXPECT_EQ(v->nr_nodes, b->nr_nodes);
	EXPECT(lkho_has_block(v, b->fdt, 0)); /* kho_alloc_preserve(PAGE_SIZE) */
	EXPECT_EQ(v->nr_extra_props, 0);
	if (!o->array_preserved) {
		/* Linux: inside scratch, 64K aligned, at the top of area 0, not
		 * preserved. */
		EXPECT_EQ(v->scratch & 0xffff, 0);
		EXPECT_EQ(v->scratch + 0x10000, b->areas[0].addr + b->areas[0].size);
		EXPECT(!lkho_covered(v, v->scratch, v->scratch_size));
	}
	EXPECT_EQ(v->nr_subtrees, (int)o->metadata + (int)o->test_subtree);
	if (o->big_run) {
		EXPECT(lkho_has_block(v, b->run, 12));
		EXPECT(lkho_has_block(v, b->run + (16ULL << 20), 11));
		EXPECT(lkho_has_block(v, b->run + (24ULL << 20), 2));
		EXPECT_STR(lkho_check_pages(v, b->run, b->run_pages), NULL);
		/* the same run read with another count is not what Linux wrote */
		EXPECT(lkho_check_pages(v, b->run, 4096 + 1024) != NULL);
	}
	if (o->huge_vmalloc) {
		EXPECT_EQ(b->huge.flags, LKHO_VMALLOC_ALLOC | LKHO_VMALLOC_HUGE_VMAP);
		EXPECT_EQ(b->huge.order, 9);
		EXPECT_EQ(b->huge.total_pages, 1024);
		EXPECT_STR(lkho_check_vmalloc(v, &b->huge), NULL);
	}
	if (o->flat_vmalloc) {
		const u64 *c = phys_to_virt(b->flat.first);

		EXPECT_EQ(b->flat.total_pages, 511);
		EXPECT(c[0] != 0);                                  /* a second chunk */
		EXPECT_EQ(((const u64 *)phys_to_virt(c[0]))[1], 0); /* ... empty */
		EXPECT(lkho_has_block(v, c[0], 0));
		EXPECT_STR(lkho_check_vmalloc(v, &b->flat), NULL);
	}
	if (o->metadata)
		EXPECT_STR(lkho_check_metadata(v), NULL);
	if (o->test_subtree) {
		const struct lkho_subtree *s = lkho_subtree(v, LKHO_TEST_NAME);

		EXPECT_STR(lkho_check_test_subtree(v, true), NULL);
		REQUIRE(s);
		EXPECT_EQ(s->data, b->test_fdt);
		EXPECT(lkho_has_block(v, b->test_fdt, (u32)b->test_fdt_order));
		for (u32 i = 0; i < b->nr_folios; i++)
			EXPECT_STR(lkho_check_folio(v, b->folio[i], b->folio_order[i]), NULL);
	}
}

static void builder_passes(const struct lkho_build_opts *o)
{
	struct lkho_built b;
	struct lkho_view v;
	const void *boot = build(o, &b);

	REQUIRE(lkho_read(boot, RAM_BASE, RAM, o->compatible, &v) == NULL);
	check_built(o, &b, &v);
	lkho_view_free(&v);
}

TEST(kho_linux, builder_v3_passes_linux_rules)
{
	struct lkho_build_opts o = lkho_linux_opts(LKHO_V3);

	builder_passes(&o);
}

TEST(kho_linux, builder_v4_passes_linux_rules)
{
	struct lkho_build_opts o = lkho_linux_opts(LKHO_V4);

	builder_passes(&o);
}

TEST(kho_linux, builder_baseline_passes_linux_rules)
{
	struct lkho_build_opts o = baseline();

	builder_passes(&o);
	o.nr_nodes = 5; /* 7 areas, a non-empty global one */
	builder_passes(&o);
}

/* A Linux reader takes only its own compatible (kho_populate). */
TEST(kho_linux, reader_takes_only_its_compatible)
{
	struct lkho_build_opts o = lkho_linux_opts(LKHO_V4);
	struct lkho_built b;
	struct lkho_view v;
	const void *boot = build(&o, &b);

	EXPECT_STR(lkho_read(boot, RAM_BASE, RAM, LKHO_V3, &v),
		   "the root FDT is compatible \"kho-v4\", not \"kho-v3\"");
}

/* The reader refuses what Linux's rules refuse: damage the builder's
 * handover one field at a time. */
TEST(kho_linux, reader_refuses_what_linux_refuses)
{
	struct lkho_build_opts o = lkho_linux_opts(LKHO_V3);
	struct lkho_built b;
	struct lkho_view v;
	const void *boot = build(&o, &b);
	void *root = phys_to_virt(b.fdt);
	u64 *rt = phys_to_virt(b.radix_root), saved;
	int node;
	struct lkho_vmalloc d;
	const char *why;

	/* a subtree without blob-size (kho-v3's kho_retrieve_subtree) */
	REQUIRE(fdt_open_into(root, root, 4096) == 0);
	node = fdt_subnode_offset(root, 0, LKHO_MD_NAME);
	REQUIRE(node >= 0 && fdt_delprop(root, node, LKHO_SUB_SIZE) == 0);
	EXPECT_STR(lkho_read(boot, RAM_BASE, RAM, LKHO_V3, &v),
		   "subtree 'kexec-metadata' has no 8-byte blob-size");
	boot = build(&o, &b);
	root = phys_to_virt(b.fdt);
	rt = phys_to_virt(b.radix_root);

	/* no preserved-memory-map, or a zero one (kho_mem_retrieve) */
	saved = 0;
	REQUIRE(fdt_setprop(root, 0, LKHO_MEM_MAP, &saved, 8) == 0);
	EXPECT_STR(lkho_read(boot, RAM_BASE, RAM, LKHO_V3, &v), "preserved-memory-map is 0");
	REQUIRE(fdt_setprop(root, 0, LKHO_MEM_MAP, &b.radix_root, 8) == 0);

	/* a radix node inside scratch: the walk runs while scratch is in use */
	for (int i = 0; i < 512; i++)
		if (rt[i]) {
			saved = rt[i];
			rt[i] = b.areas[2].addr;
			why = lkho_read(boot, RAM_BASE, RAM, LKHO_V3, &v);
			EXPECT(why && strstr(why, "is inside scratch"));
			rt[i] = saved;
			break;
		}
	/* the builder's handover is whole again */
	REQUIRE(lkho_read(boot, RAM_BASE, RAM, LKHO_V3, &v) == NULL);
	/* vmalloc: an unknown flag (kho_restore_vmalloc), a short count */
	d = b.huge;
	d.flags |= 4;
	EXPECT_STR(lkho_check_vmalloc(&v, &d), "vmalloc flags 0x7 are not ALLOC|HUGE_VMAP");
	d = b.huge;
	d.total_pages = 512;
	EXPECT_STR(lkho_check_vmalloc(&v, &d), "vmalloc chunks list more than 512 pages");
	/* a folio of the wrong order, a page never preserved */
	EXPECT(lkho_check_folio(&v, b.folio[2], 3) != NULL);
	EXPECT(lkho_check_folio(&v, b.areas[0].addr, 0) != NULL);
	lkho_view_free(&v);
}

/* ================= Item 6: Baton's handovers by Linux's rules ============ */

enum kind { FOLIO, PAGES, SLAB };
struct item {
	enum kind kind;
	phys_addr_t pa;
	u64 n; /* order, page count or object size */
};

static struct item items[256];
static int nitems;

static void add_item(enum kind k, phys_addr_t pa, u64 n)
{
	REQUIRE(nitems < 256);
	items[nitems++] = (struct item){ k, pa, n };
}

/* Preserve a bit of everything through Baton's own API; returns the
 * vmalloc descriptor and a subtree blob. */
static void baton_preserve(u64 seed, struct kho_vmalloc *vd, phys_addr_t *blob, u64 *blob_size)
{
	static const u32 sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096 };
	static const u64 runs[] = { 1, 2, 3, 5, 7, 8, 12, 16, 100, 513, 1024 };
	struct page *mp;
	void *area;

	nitems = 0;
	for (unsigned o = 0; o <= MAX_ORDER; o++) {
		struct folio *f = folio_alloc(GFP_KERNEL, o);

		REQUIRE(f && kho_preserve_folio(f) == 0);
		add_item(FOLIO, folio_pfn(f) << PAGE_SHIFT, o);
	}
	for (unsigned i = 0; i < sizeof(runs) / sizeof(runs[0]); i++) {
		/* runs of odd lengths at odd places: carved from a bigger block */
		unsigned o = runs[i] == 1 ? 0 : (unsigned)(64 - __builtin_clzll(runs[i] - 1));
		struct page *p = alloc_pages(GFP_KERNEL, o);
		u64 skip = (seed + i) % ((1ULL << o) - runs[i] + 1);

		REQUIRE(p && kho_preserve_pages(p + skip, runs[i]) == 0);
		add_item(PAGES, page_to_phys(p + skip), runs[i]);
	}
	for (unsigned k = 0; k < 2 * sizeof(sizes) / sizeof(sizes[0]); k++) {
		u32 sz = sizes[k % (sizeof(sizes) / sizeof(sizes[0]))];
		void *o = kmalloc(sz, GFP_KERNEL);

		REQUIRE(o && kho_preserve_slab(o) == 0);
		add_item(SLAB, virt_to_phys(o), sz);
	}
	area = vmalloc((600 + seed % 7) * PAGE_SIZE);
	REQUIRE(area && kho_preserve_vmalloc(area, vd) == 0);
	mp = alloc_pages(__GFP_ZERO, 1);
	REQUIRE(mp && kho_preserve_pages(mp, 2) == 0);
	*blob = page_to_phys(mp);
	*blob_size = 5000;
	kho_remove_subtree("baton-linux");
	REQUIRE(kho_add_subtree("baton-linux", page_address(mp), *blob_size) == 0);
}

/* The handover as Linux reads it, field by field against what was
 * preserved. */
static void check_baton_handover(const struct kho_handover *h, const struct kho_vmalloc *vd,
				 phys_addr_t blob, u64 blob_size)
{
	struct lkho_view v;
	const struct kho_scratch *areas;
	int nr = kho_scratch_areas(&areas);
	const struct lkho_subtree *s;
	struct lkho_vmalloc ld;
	const char *why;

	lkho_boot_fdt(boot_fdt_buf, sizeof(boot_fdt_buf), h->fdt, h->fdt_size, h->scratch,
		      h->scratch_size);
	why = lkho_read(boot_fdt_buf, RAM_BASE, RAM, kho_out_compatible(), &v);
	EXPECT_STR(why, NULL);
	if (why)
		return;
	EXPECT_STR(v.compatible, "kho-v4"); /* Baton's default: Linux 7.3's */
	EXPECT_EQ(v.fdt_size, 4096);
	EXPECT(lkho_has_block(&v, h->fdt, 0));
	/* the scratch areas, as Baton uses them */
	EXPECT_EQ(v.nr_areas, nr);
	for (int i = 0; i < nr && i < v.nr_areas; i++) {
		EXPECT_EQ(v.areas[i].addr, areas[i].addr);
		EXPECT_EQ(v.areas[i].size, areas[i].size);
	}
	/* Linux ignores root properties it does not define: Baton's one. */
	EXPECT_EQ(v.nr_extra_props, 1);
	EXPECT_STR(v.extra_props[0], "baton,extensions");
	for (int i = 0; i < nitems; i++) {
		const struct item *it = &items[i];

		if (it->kind == FOLIO)
			EXPECT_STR(lkho_check_folio(&v, it->pa, (u32)it->n), NULL);
		else if (it->kind == PAGES)
			EXPECT_STR(lkho_check_pages(&v, it->pa, it->n), NULL);
		else /* a slab object: its slab is preserved memory */
			EXPECT(lkho_covered(&v, it->pa, it->n));
	}
	memcpy(&ld, vd, sizeof(ld));
	EXPECT_EQ(ld.flags, LKHO_VMALLOC_ALLOC);
	EXPECT_EQ(ld.order, 0);
	EXPECT_STR(lkho_check_vmalloc(&v, &ld), NULL);
	s = lkho_subtree(&v, "baton-linux");
	REQUIRE(s);
	EXPECT_EQ(s->data, blob);
	EXPECT_EQ(s->size, blob_size);
	s = lkho_subtree(&v, KHO_SLAB_SUBTREE); /* Baton's slab list: a blob too */
	EXPECT(s != NULL);
	lkho_view_free(&v);
}

TEST(kho_linux, baton_handovers_pass_linux_rules)
{
	struct kho_handover h;
	struct kho_vmalloc vd;
	phys_addr_t blob;
	u64 blob_size;
	const void *boot = NULL;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	/* three generations: a cold boot's handover, then a KHO boot's (which
	 * passes the scratch it was handed on) */
	for (int gen = 0; gen < 3; gen++) {
		boot_generation(boot);
		EXPECT_EQ(kho_is_kho_boot(), gen > 0);
		baton_preserve(100 + gen, &vd, &blob, &blob_size);
		REQUIRE(kho_serialize(&h) == 0);
		check_baton_handover(&h, &vd, blob, blob_size);
		/* (re)build the boot FDT for the next generation: the check
		 * wrote it already */
		boot = boot_fdt_buf;
	}
}

TEST(kho_linux, baton_empty_and_unpreserved_handovers_pass_linux_rules)
{
	struct kho_handover h;
	struct lkho_view v;
	struct folio *f;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot_generation(NULL);
	f = folio_alloc(GFP_KERNEL, 2);
	REQUIRE(f && kho_preserve_folio(f) == 0 && kho_unpreserve_folio(f) == 0);
	REQUIRE(kho_serialize(&h) == 0);
	lkho_boot_fdt(boot_fdt_buf, sizeof(boot_fdt_buf), h.fdt, h.fdt_size, h.scratch,
		      h.scratch_size);
	EXPECT_STR(lkho_read(boot_fdt_buf, RAM_BASE, RAM, kho_out_compatible(), &v), NULL);
	/* the root FDT, the scratch array and the kexec-metadata record */
	EXPECT_EQ(v.nr_blocks, 3);
	lkho_view_free(&v);
}

/*
 * A kho_preserve_pages run longer than 2^MAX_ORDER pages at a pfn aligned
 * beyond MAX_ORDER. Linux's kho_restore_pages steps by min(ctz(pfn),
 * ilog2(end - pfn)) with no cap: it expects one order-11 block for 2048
 * pages. Baton once capped each block at MAX_ORDER (two order-10 blocks),
 * and Linux restored the first only; now both split runs the same way
 * (kho_run_order), and the reader checks it.
 */
TEST(kho_linux, baton_run_wider_than_max_order)
{
	struct kho_handover h;
	struct lkho_view v;
	struct page *got[16], *a = NULL;
	int n = 0;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot_generation(NULL);
	/* two adjacent order-10 blocks, the first 8 MiB aligned */
	while (n < 16 && !a) {
		got[n] = alloc_pages(GFP_KERNEL, MAX_ORDER);
		REQUIRE(got[n]);
		for (int i = 0; i < n; i++) {
			struct page *lo = got[i] < got[n] ? got[i] : got[n];
			struct page *hi = got[i] < got[n] ? got[n] : got[i];

			if (hi == lo + (1 << MAX_ORDER) &&
			    !(page_to_pfn(lo) & ((2UL << MAX_ORDER) - 1)))
				a = lo;
		}
		n++;
	}
	REQUIRE(a);
	REQUIRE(kho_preserve_pages(a, 2UL << MAX_ORDER) == 0);
	REQUIRE(kho_serialize(&h) == 0);
	lkho_boot_fdt(boot_fdt_buf, sizeof(boot_fdt_buf), h.fdt, h.fdt_size, h.scratch,
		      h.scratch_size);
	REQUIRE(lkho_read(boot_fdt_buf, RAM_BASE, RAM, kho_out_compatible(), &v) == NULL);
	EXPECT_STR(lkho_check_pages(&v, page_to_phys(a), 2UL << MAX_ORDER), NULL);
	lkho_view_free(&v);
}

/* ================= Item 5: Linux's handovers into Baton ================= */

/* Kernel B boots on a Linux-made handover, restores everything the builder
 * made, checks every byte, frees with the matching free, and ends with
 * exactly the memory it should. */
static void restore_linux(const struct lkho_build_opts *o, const struct lkho_built *b)
{
	phys_addr_t pa;
	u64 size;
	struct buddy_stats st;

	if (o->big_run) {
		/* Freed as Baton's own kho_preserve_pages would have split the
		 * run (aligned blocks of at most MAX_ORDER): the alloc_pages
		 * blocks kho_restore_pages promises. */
		struct page *p = kho_restore_pages(b->run, b->run_pages);
		u64 pfn = b->run >> PAGE_SHIFT, end = pfn + b->run_pages;

		REQUIRE(p);
		EXPECT_EQ(host_wsum(page_address(p), b->run_pages * PAGE_SIZE), b->run_sum);
		EXPECT(kho_restore_pages(b->run, b->run_pages) == NULL); /* twice: refused */
		while (pfn < end) {
			unsigned ord = 0;

			while (ord < MAX_ORDER && !(pfn & (1UL << ord)) &&
			       pfn + (2UL << ord) <= end)
				ord++;
			__free_pages(pfn_to_page(pfn), ord);
			pfn += 1UL << ord;
		}
	}
	if (o->huge_vmalloc) {
		struct kho_vmalloc d;
		u8 *va;

		memcpy(&d, &b->huge, sizeof(d));
		va = kho_restore_vmalloc(&d);
		EXPECT_NO_LOG("kho: the vmalloc descriptor");
		REQUIRE(va);
		EXPECT(is_vmalloc_addr(va));
		EXPECT_EQ(host_wsum(va, 2 << 20) + 3 * host_wsum(va + (2 << 20), 2 << 20),
			  b->huge_sum);
		EXPECT(kho_restore_vmalloc(&d) == NULL);
		vfree(va);
	}
	if (o->flat_vmalloc) {
		struct kho_vmalloc d;
		u8 *va;
		u64 sum = 0;

		memcpy(&d, &b->flat, sizeof(d));
		va = kho_restore_vmalloc(&d);
		REQUIRE(va);
		for (u64 i = 0; i < 511; i++)
			sum += host_wsum(va + i * PAGE_SIZE, PAGE_SIZE) * (i + 1);
		EXPECT_EQ(sum, b->flat_sum);
		vfree(va);
	}
	EXPECT_EQ(kho_retrieve_subtree(LKHO_MD_NAME, &pa, &size), o->metadata ? 0 : -ENOENT);
	if (o->metadata) {
		/* The boot read it (kho_metadata_take), said who handed over
		 * and took its page back: it waits no more. */
		EXPECT_EQ(pa, b->metadata);
		EXPECT_EQ(size, LKHO_MD_SIZE);
		EXPECT_LOG("by Linux 7.3.0-linux-kho-shapes, kexec 1 since its cold boot");
		EXPECT(kho_restore_folio(pa) == NULL);
	}
	EXPECT_EQ(kho_retrieve_subtree(LKHO_TEST_NAME, &pa, &size), o->test_subtree ? 0 : -ENOENT);
	if (o->test_subtree) {
		/* test_kho's kho_test_restore, on Baton */
		const void *fdt = phys_to_virt(pa);
		const u32 *magic, *nr, *csum;
		const struct kho_vmalloc *info;
		u64 *entries;
		u32 sum = 0;
		struct folio *tf;
		int node, len;

		EXPECT_EQ(pa, b->test_fdt);
		REQUIRE(fdt_check_header(fdt) == 0);
		EXPECT_EQ(fdt_node_check_compatible(fdt, 0, LKHO_TEST_COMPAT), 0);
		magic = fdt_getprop(fdt, 0, "magic", &len);
		REQUIRE(magic && len == 4 && *magic == LKHO_TEST_MAGIC);
		node = fdt_path_offset(fdt, "/data");
		nr = fdt_getprop(fdt, node, "nr_folios", &len);
		REQUIRE(nr && len == 4 && *nr == b->nr_folios);
		csum = fdt_getprop(fdt, node, "csum", &len);
		REQUIRE(csum && len == 4);
		info = fdt_getprop(fdt, node, "folios_info", &len);
		REQUIRE(info && len == 16);
		entries = kho_restore_vmalloc(info);
		REQUIRE(entries);
		for (u32 i = 0; i < *nr; i++) {
			phys_addr_t fp = entries[i] & ~(PAGE_SIZE - 1);
			u32 order = (u32)(entries[i] & (PAGE_SIZE - 1));
			struct folio *f = kho_restore_folio(fp);

			REQUIRE(f);
			EXPECT_EQ(folio_order(f), order);
			sum = lkho_csum(folio_address(f), folio_size(f), sum);
			folio_put(f);
		}
		EXPECT_EQ(sum, *csum);
		vfree(entries);
		tf = kho_restore_folio(b->test_fdt); /* the FDT's folio, last */
		REQUIRE(tf);
		EXPECT_EQ(folio_order(tf), b->test_fdt_order);
		folio_put(tf);
	}
	/* What waits now: the root FDT page (and, baseline only, the array). */
	EXPECT_EQ(kho_unclaimed_pages(), o->array_preserved ? 2 : 1);
	buddy_check();
	buddy_stats(&st);
	EXPECT_EQ(st.free_pages + mm_slab_pages(), st.managed_pages);
}

static void accept_linux(const struct lkho_build_opts *o)
{
	struct lkho_built b;
	struct lkho_view v;
	const void *boot = build(o, &b);

	/* the builder's handover is Linux's (the reader agrees) */
	REQUIRE(lkho_read(boot, RAM_BASE, RAM, o->compatible, &v) == NULL);
	lkho_view_free(&v);
	host_log_clear();
	boot_generation(boot);
	EXPECT_NO_LOG("handover refused");
	EXPECT_LOG("kho: handover accepted");
	REQUIRE(kho_is_kho_boot());
	restore_linux(o, &b);
}

/* The diagnostic baseline (one Linux shape changed: the array preserved)
 * is accepted today, so each shape below is tried on its own. */
TEST(kho_linux, baseline_accepted)
{
	struct lkho_build_opts o = baseline();

	accept_linux(&o);
}

TEST(kho_linux, shape_unknown_subtrees_accepted)
{
	struct lkho_build_opts o = baseline();

	o.metadata = o.test_subtree = true;
	accept_linux(&o);
}

TEST(kho_linux, shape_vmalloc_exact_chunk_accepted)
{
	struct lkho_build_opts o = baseline();

	o.flat_vmalloc = true;
	accept_linux(&o);
}

TEST(kho_linux, shape_v4_compatible_accepted)
{
	struct lkho_build_opts o = baseline();

	o.compatible = LKHO_V4;
	accept_linux(&o);
}

TEST(kho_linux, shape_scratch_array_in_scratch_accepted)
{
	struct lkho_build_opts o = baseline();

	o.array_preserved = false;
	accept_linux(&o);
}

TEST(kho_linux, shape_empty_scratch_area_accepted)
{
	struct lkho_build_opts o = baseline();

	o.empty_global = true;
	accept_linux(&o);
}

TEST(kho_linux, shape_nodes_plus_two_areas_accepted)
{
	struct lkho_build_opts o = baseline();

	o.nr_nodes = 3;
	accept_linux(&o);
}

/* Linux's five scratch areas, the global one empty: a radix node moved into
 * the last node's area is still found inside scratch. The scan checks
 * places against the areas sorted, empty ones left out (kho/validate.c). */
TEST(kho_linux, shape_node_in_a_later_scratch_area_refused)
{
	struct lkho_build_opts o = lkho_linux_opts(LKHO_V4);
	struct lkho_built b;
	const void *boot = build(&o, &b);
	u64 *rt = phys_to_virt(b.radix_root);
	int i = 0;

	REQUIRE(b.nr_areas == 5 && b.areas[1].size == 0);
	while (i < 512 && !rt[i])
		i++;
	REQUIRE(i < 512);
	rt[i] = b.areas[b.nr_areas - 1].addr;
	boot_generation(boot);
	EXPECT(!kho_is_kho_boot());
	EXPECT_LOG("kho: handover refused: radix node 0x");
	EXPECT_LOG(" is inside scratch; booting as a cold boot");
}

TEST(kho_linux, shape_orders_above_max_order_accepted)
{
	struct lkho_build_opts o = baseline();

	o.big_run = true;
	accept_linux(&o);
}

TEST(kho_linux, shape_huge_vmalloc_restored)
{
	struct lkho_build_opts o = baseline();

	o.huge_vmalloc = true;
	accept_linux(&o);
}

/* Everything at once, exactly as Linux writes it; then the next
 * generation's Baton handover still passes Linux's rules, with the five
 * scratch areas passed on unchanged. */
static void accept_all(const char *compatible)
{
	struct lkho_build_opts o = lkho_linux_opts(compatible);
	struct kho_handover h;
	struct kho_vmalloc vd;
	phys_addr_t blob;
	u64 blob_size;
	struct lkho_view v;

	accept_linux(&o);
	baton_preserve(7, &vd, &blob, &blob_size);
	REQUIRE(kho_serialize(&h) == 0);
	check_baton_handover(&h, &vd, blob, blob_size);
	REQUIRE(lkho_read(boot_fdt_buf, RAM_BASE, RAM, kho_out_compatible(), &v) == NULL);
	EXPECT_EQ(v.nr_areas, o.nr_nodes + 2);
	lkho_view_free(&v);
}

TEST(kho_linux, linux_v3_handover_accepted_and_restored)
{
	accept_all(LKHO_V3);
}

TEST(kho_linux, linux_v4_handover_accepted_and_restored)
{
	accept_all(LKHO_V4);
}

/* ================= Linux's test_kho set, taken by Baton ================= */

/* ktest/kho_linux_test.c on a Linux 7.3-shaped handover: the set comes
 * back as test_kho would restore it, and is freed; nothing leaks. */
TEST(kho_linux, test_kho_set_taken_and_freed)
{
	struct lkho_build_opts o = lkho_linux_opts(LKHO_V4);
	struct lkho_built b;
	struct buddy_stats st;
	char why[200] = "";

	host_log_clear();
	boot_generation(build(&o, &b));
	REQUIRE(kho_is_kho_boot());
	EXPECT_EQ(kho_linux_test_take(false, why, sizeof(why)), 1);
	EXPECT_STR(why, "");
	EXPECT_LOG("kho-linux-test: restored Linux's test_kho set");
	EXPECT_LOG("freed the set with folio_put");
	EXPECT_EQ(kho_linux_test_held_pages(), 0);
	EXPECT(kho_restore_folio(b.folio[0]) == NULL); /* taken, then freed */
	buddy_check();
	buddy_stats(&st);
	EXPECT_EQ(st.free_pages + mm_slab_pages(), st.managed_pages);
}

/* The subtree's FDT and its folio list, to damage before the next boot. */
static void *test_fdt_of(const struct lkho_built *b)
{
	return phys_to_virt(b->test_fdt);
}

static u64 *test_entries_of(const struct lkho_built *b)
{
	const struct kho_vmalloc *v;
	const u64 *chunk;
	int node = fdt_path_offset(test_fdt_of(b), "/data");

	v = fdt_getprop(test_fdt_of(b), node, "folios_info", NULL);
	chunk = phys_to_virt(v->first);
	return phys_to_virt(chunk[1]); /* { next, phys[0] ... }: the first page */
}

enum lie { LIE_COUNT, LIE_TWICE, LIE_CSUM, LIE_MAGIC, LIE_ORDER };

/* A hostile test_kho set: refused with why, what did restore freed, the
 * rest left preserved and unclaimed, the allocator whole. */
static void refused_set(enum lie lie, int code, const char *want)
{
	struct lkho_build_opts o = lkho_linux_opts(LKHO_V4);
	struct lkho_built b;
	struct buddy_stats st;
	char why[200] = "";
	const void *boot = build(&o, &b);
	void *t = test_fdt_of(&b);
	int node = fdt_path_offset(t, "/data");
	u32 v;

	switch (lie) {
	case LIE_COUNT: /* more folios than the list holds */
		v = 1u << 20;
		REQUIRE(fdt_setprop_inplace(t, node, "nr_folios", &v, 4) == 0);
		break;
	case LIE_TWICE: /* one folio named twice */
		test_entries_of(&b)[1] = test_entries_of(&b)[0];
		break;
	case LIE_CSUM:
		v = b.csum + 1;
		REQUIRE(fdt_setprop_inplace(t, node, "csum", &v, 4) == 0);
		break;
	case LIE_MAGIC:
		v = 0x21214b48;
		REQUIRE(fdt_setprop_inplace(t, 0, "magic", &v, 4) == 0);
		break;
	case LIE_ORDER: /* a folio said to be one order bigger */
		test_entries_of(&b)[0] += 1;
		break;
	}
	boot_generation(boot);
	REQUIRE(kho_is_kho_boot());
	EXPECT_EQ(kho_linux_test_take(true, why, sizeof(why)), code);
	EXPECT_STR(strstr(why, want) ? want : why, want);
	EXPECT_EQ(kho_linux_test_held_pages(), 0);
	buddy_check();
	buddy_stats(&st);
	EXPECT_EQ(st.free_pages + mm_slab_pages(), st.managed_pages);
}

TEST(kho_linux, test_kho_set_refused_count_lies)
{
	refused_set(LIE_COUNT, -EBADMSG, "nr_folios is 0 or more than folios_info holds");
}

TEST(kho_linux, test_kho_set_refused_folio_named_twice)
{
	refused_set(LIE_TWICE, -ENOENT, "folio 1 of");
}

TEST(kho_linux, test_kho_set_refused_bad_csum)
{
	refused_set(LIE_CSUM, -EBADMSG, "csum_partial over");
}

TEST(kho_linux, test_kho_set_refused_bad_magic)
{
	refused_set(LIE_MAGIC, -EBADMSG, "no magic 0x4b484f21");
}

TEST(kho_linux, test_kho_set_refused_wrong_order)
{
	refused_set(LIE_ORDER, -ENOENT, "folio 0 of");
}

/* Baton's own set (kho_linux_test_preserve), read as Linux's test_kho
 * reads it: Linux's rules, the checksum x86-64 Linux computes. */
TEST(kho_linux, baton_test_kho_set_passes_linux_rules)
{
	struct kho_handover h;
	struct lkho_view v;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot_generation(NULL);
	REQUIRE(kho_linux_test_preserve(KHO_LINUX_TEST_SET_BYTES) == 0);
	EXPECT(kho_linux_test_held_pages() > 0);
	REQUIRE(kho_serialize(&h) == 0);
	lkho_boot_fdt(boot_fdt_buf, sizeof(boot_fdt_buf), h.fdt, h.fdt_size, h.scratch,
		      h.scratch_size);
	REQUIRE(lkho_read(boot_fdt_buf, RAM_BASE, RAM, kho_out_compatible(), &v) == NULL);
	EXPECT_STR(lkho_check_test_subtree(&v, true), NULL);
	lkho_view_free(&v);
	/* and the next Baton takes it back */
	boot_generation(boot_fdt_buf);
	REQUIRE(kho_is_kho_boot());
	{
		char why[200] = "";

		EXPECT_EQ(kho_linux_test_take(false, why, sizeof(why)), 1);
		EXPECT_STR(why, "");
	}
}

/* A malformed kexec-metadata record is ignored with a line, as Linux does;
 * the handover itself is still taken. */
TEST(kho_linux, malformed_kexec_metadata_ignored)
{
	struct lkho_build_opts o = lkho_linux_opts(LKHO_V4);
	struct lkho_built b;
	const void *boot = build(&o, &b);
	u32 bad = 7;

	memcpy(phys_to_virt(b.metadata), &bad, 4); /* version 7 */
	host_log_clear();
	boot_generation(boot);
	EXPECT(kho_is_kho_boot());
	EXPECT_LOG("kho: kexec-metadata version 7, not 1: ignored");
	EXPECT_NO_LOG("by Linux 7.3.0");
}

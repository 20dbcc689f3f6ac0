/*
 * linux_kho_build.c — writes into the fake RAM arena the handover a Linux
 * kho-v3 (or kho-v4, Linux 7.3: same root, radix and vmalloc layouts)
 * kernel leaves at kexec, for the two-kernel tests of test_kho_linux.c.
 * See linux_kho.h for the layout and where each fact comes from; this file
 * cites the Linux function whose behaviour each step copies. It plays
 * Linux's first kernel: it picks addresses itself and uses none of Baton's
 * kho/ code.
 *
 * Fake RAM (LKHO_RAM_BASE, 256 MiB), offsets from 0x40000000:
 *   0x00000000 +1M   firmware             } left alone: the next kernel
 *   0x00200000 +1M   the next kernel      } reserves them itself
 *   0x00400000 +16M  scratch[0] lowmem; the scratch array at its top 64K
 *   0x01400000       scratch[1] global, 0 bytes (or 4M)
 *   0x01800000 +4M   scratch[2] node 0
 *   0x02000000       a kho_preserve_pages run: orders 12, 11 and 2
 *   0x04000000, 0x04600000  the huge vmalloc area's two order-9 blocks
 *   0x05000000..0x08000000  pages for everything else (a bump allocator)
 *   0x08000000, 0x0c000000, 0x0e000000, 0x0f000000 +4M  nodes 1..4
 */
#include "linux_csum.h"
#include <string.h>
#include <stdlib.h>
#include <stdio.h>
#include <libfdt.h>

#include "harness.h"
#include "linux_kho.h"
#include "arch/mmu.h"

#define MiB(x) ((u64)(x) << 20)
#define R(off) (LKHO_RAM_BASE + (off))

static void fail(const char *what)
{
	fprintf(stderr, "linux_kho_build: %s\n", what);
	abort();
}

/* ---- Linux's first kernel's page allocator: a bump over [BUMP, BUMP_END). */
#define BUMP R(0x05000000ULL)
#define BUMP_END R(0x08000000ULL)
static phys_addr_t bump;

static phys_addr_t alloc_block(unsigned order)
{
	u64 size = LKHO_PAGE_SIZE << order;
	phys_addr_t pa = (bump + size - 1) & ~(size - 1);

	if (pa + size > BUMP_END)
		fail("out of fake RAM");
	bump = pa + size;
	memset(phys_to_virt(pa), 0, size);
	return pa;
}

/* ---- The radix tree ([ABI] "KHO persistent memory tracker"; [KHO]
 * kho_radix_add_page / kho_radix_encode_key). */
static phys_addr_t radix_root;
static u64 nr_blocks, nr_pages, nr_nodes;

static u64 encode_key(phys_addr_t pa, unsigned order)
{
	return (1ULL << (LKHO_ORDER_0_LOG2 - order)) | (pa >> (LKHO_PAGE_SHIFT + order));
}

static void radix_add(phys_addr_t pa, unsigned order)
{
	u64 key = encode_key(pa, order);
	u64 *node = phys_to_virt(radix_root);
	u64 *leaf;
	unsigned bit;

	for (int level = LKHO_DEPTH - 1; level > 0; level--) {
		unsigned idx = (key >> (LKHO_BITMAP_LOG2 + LKHO_TABLE_LOG2 * (level - 1))) &
			       ((1u << LKHO_TABLE_LOG2) - 1);

		if (!node[idx]) { /* get_zeroed_page: not itself preserved */
			node[idx] = alloc_block(0);
			nr_nodes++;
		}
		node = phys_to_virt(node[idx]);
	}
	leaf = node;
	bit = key & ((1u << LKHO_BITMAP_LOG2) - 1);
	if (leaf[bit / 64] & (1ULL << (bit % 64)))
		fail("a block preserved twice");
	leaf[bit / 64] |= 1ULL << (bit % 64);
	nr_blocks++;
	nr_pages += 1ULL << order;
}

/* kho_preserve_folio: one key of the folio's order. */
static void preserve_folio(phys_addr_t pa, unsigned order)
{
	radix_add(pa, order);
}

/* kho_preserve_pages ([KHO]): order = min(count_trailing_zeros(pfn),
 * ilog2(end_pfn - pfn)), no MAX_PAGE_ORDER cap. */
static void preserve_pages(phys_addr_t pa, u64 n)
{
	u64 pfn = pa >> LKHO_PAGE_SHIFT, end = pfn + n;

	while (pfn < end) {
		unsigned tz = pfn ? (unsigned)__builtin_ctzll(pfn) : 63;
		unsigned lg = 63 - (unsigned)__builtin_clzll(end - pfn);
		unsigned order = tz < lg ? tz : lg;

		radix_add(pfn << LKHO_PAGE_SHIFT, order);
		pfn += 1ULL << order;
	}
}

static u64 rng = 0x9e3779b97f4a7c15ULL;

/* Random contents; returns a position-weighted sum the test checks. */
static u64 fill(phys_addr_t pa, u64 bytes)
{
	u64 *w = phys_to_virt(pa);

	for (u64 i = 0; i < bytes / 8; i++)
		w[i] = host_rand(&rng);
	return host_wsum(w, bytes);
}

/* test_kho's csum_partial as x86-64 Linux computes it (the host's arch;
 * ktest/linux_csum.c, tested against RFC 1071). */
u32 lkho_csum(const void *p, u64 bytes, u32 sum)
{
	return linux_csum_partial_x86_64(p, bytes, sum);
}

/* kho_preserve_vmalloc ([KHO]): a first chunk, then per 2^order block
 * kho_preserve_pages and an entry; a new chunk as soon as one is full;
 * chunks preserved as single pages. */
static struct lkho_vmalloc preserve_vmalloc(const phys_addr_t *blocks, u64 nr, unsigned order,
					    u16 flags)
{
	struct lkho_vmalloc d = { 0 };
	phys_addr_t chunk = alloc_block(0);
	u64 *c = phys_to_virt(chunk);
	unsigned idx = 0;

	preserve_pages(chunk, 1);
	d.first = chunk;
	for (u64 i = 0; i < nr; i++) {
		preserve_pages(blocks[i], 1ULL << order);
		c[1 + idx++] = blocks[i];
		if (idx == LKHO_VMALLOC_ENTRIES) {
			phys_addr_t next = alloc_block(0);

			preserve_pages(next, 1);
			c[0] = next; /* hdr.next */
			c = phys_to_virt(next);
			idx = 0;
		}
	}
	d.total_pages = (u32)(nr << order);
	d.flags = flags;
	d.order = order;
	return d;
}

/* kho_add_subtree ([KHO], v3): fdt_open_into, a node, preserved-data and
 * blob-size as raw u64s, fdt_pack. */
static void add_subtree(void *root, const char *name, phys_addr_t data, u64 size)
{
	int node;

	if (fdt_open_into(root, root, (int)LKHO_PAGE_SIZE) < 0)
		fail("fdt_open_into");
	node = fdt_add_subnode(root, 0, name);
	if (node < 0 || fdt_setprop(root, node, LKHO_SUB_DATA, &data, 8) < 0 ||
	    fdt_setprop(root, node, LKHO_SUB_SIZE, &size, 8) < 0)
		fail("adding a subtree");
	fdt_pack(root);
}

static const u32 test_orders[] = { 0, 3, 10, 1, 5, 9, 2, 0, 7, 4, 6, 8 };

void lkho_build(const struct lkho_build_opts *o, struct lkho_built *out)
{
	static const phys_addr_t node_base[] = { R(0x01800000ULL), R(0x08000000ULL),
						 R(0x0c000000ULL), R(0x0e000000ULL),
						 R(0x0f000000ULL) };
	struct lkho_scratch *array;
	void *root;
	int err, n = 0;

	if (o->nr_nodes < 1 || o->nr_nodes > 5)
		fail("1..5 nodes");
	memset(out, 0, sizeof(*out));
	bump = BUMP;
	nr_blocks = nr_pages = nr_nodes = 0;
	rng = 0x9e3779b97f4a7c15ULL;

	/* kho_reserve_scratch: lowmem, global, then one per node with memory
	 * (nodes_weight(node_states[N_MEMORY]) + 2). */
	out->areas[n++] = (struct lkho_scratch){ R(0x00400000ULL), MiB(16) };
	out->areas[n++] = (struct lkho_scratch){ R(0x01400000ULL), o->empty_global ? 0 : MiB(4) };
	for (int i = 0; i < o->nr_nodes; i++)
		out->areas[n++] = (struct lkho_scratch){ node_base[i], MiB(4) };
	out->nr_areas = n;
	/* kho_fill_kimage: the array as a kexec segment, 64K aligned, top-down,
	 * placed in scratch by kho_locate_mem_hole (the first area it fits). */
	out->scratch = out->areas[0].addr + out->areas[0].size - LKHO_SCRATCH_ARRAY_ALIGN;
	out->scratch_size = (u64)n * sizeof(struct lkho_scratch);
	array = phys_to_virt(out->scratch);
	memset(array, 0, LKHO_SCRATCH_ARRAY_ALIGN);
	memcpy(array, out->areas, out->scratch_size);
	if (o->array_preserved) { /* not Linux: see linux_kho.h */
		out->scratch = alloc_block(0);
		memcpy(phys_to_virt(out->scratch), out->areas, out->scratch_size);
	}

	/* kho_init: the radix root (kzalloc, not preserved), the root FDT
	 * (kho_alloc_preserve(PAGE_SIZE): an order-0 folio), kho_out_fdt_setup. */
	radix_root = alloc_block(0);
	nr_nodes = 1;
	out->fdt = alloc_block(0);
	out->fdt_size = LKHO_PAGE_SIZE;
	preserve_folio(out->fdt, 0);
	if (o->array_preserved)
		preserve_folio(out->scratch, 0);
	root = phys_to_virt(out->fdt);
	err = fdt_create(root, (int)LKHO_PAGE_SIZE);
	err |= fdt_finish_reservemap(root);
	err |= fdt_begin_node(root, "");
	err |= fdt_property_string(root, "compatible", o->compatible);
	err |= fdt_property(root, LKHO_MEM_MAP, &radix_root, sizeof(radix_root));
	err |= fdt_end_node(root);
	err |= fdt_finish(root);
	if (err)
		fail("the root FDT");

	/* kho_out_kexec_metadata (7.3 [MD]): a packed struct in a preserved
	 * page; the next kernel reads it and leaves it reserved. */
	if (o->metadata) {
		out->metadata = alloc_block(0);
		preserve_folio(out->metadata, 0);

		u8 *m = phys_to_virt(out->metadata);
		u32 version = LKHO_MD_VERSION, count = 1;

		memcpy(m, &version, 4);
		snprintf((char *)m + 4, 65, "7.3.0-linux-kho-shapes");
		memcpy(m + 4 + 65, &count, 4);
		add_subtree(root, LKHO_MD_NAME, out->metadata, LKHO_MD_SIZE);
	}

	/* A caller's kho_preserve_pages of 6148 pages at a 32 MiB-aligned pfn:
	 * blocks of order 12 (16 MiB), 11 (8 MiB) and 2. */
	if (o->big_run) {
		out->run = R(0x02000000ULL);
		out->run_pages = 4096 + 2048 + 4;
		out->run_sum = fill(out->run, out->run_pages * LKHO_PAGE_SIZE);
		preserve_pages(out->run, out->run_pages);
	}

	/* A vmalloc area mapped with PMDs (VM_ALLOW_HUGE_VMAP,
	 * get_vm_area_page_order 9): two 2 MiB blocks, not adjacent. */
	if (o->huge_vmalloc) {
		phys_addr_t huge[2] = { R(0x04000000ULL), R(0x04600000ULL) };

		out->huge_sum = fill(huge[0], MiB(2));
		out->huge_sum += fill(huge[1], MiB(2)) * 3;
		out->huge =
			preserve_vmalloc(huge, 2, 9, LKHO_VMALLOC_ALLOC | LKHO_VMALLOC_HUGE_VMAP);
	}
	/* An order-0 area of exactly 511 pages (every other page of a
	 * stretch, as a vmalloc's pages rarely touch): one full chunk and an
	 * empty second one. */
	if (o->flat_vmalloc) {
		phys_addr_t pages[LKHO_VMALLOC_ENTRIES];

		for (int i = 0; i < LKHO_VMALLOC_ENTRIES; i++) {
			pages[i] = alloc_block(0);
			alloc_block(0);
			out->flat_sum += fill(pages[i], LKHO_PAGE_SIZE) * (u64)(i + 1);
		}
		out->flat = preserve_vmalloc(pages, LKHO_VMALLOC_ENTRIES, 0, LKHO_VMALLOC_ALLOC);
	}

	/* test_kho ([TEST] kho_test_save): folios of random orders with random
	 * contents and a checksum; the FDT folio (order get_order(nr * 8 +
	 * PAGE_SIZE)) preserved first, then folios_info (vmalloc) and the
	 * folios, then the FDT is written and added. */
	if (o->test_subtree) {
		u32 nr = sizeof(test_orders) / sizeof(test_orders[0]);
		u64 fdt_size = nr * 8 + LKHO_PAGE_SIZE;
		phys_addr_t info_page;
		u64 *info;
		void *t;
		u32 magic = LKHO_TEST_MAGIC;
		const char compat[] = LKHO_TEST_COMPAT;

		out->nr_folios = nr;
		for (u32 i = 0; i < nr; i++) {
			out->folio_order[i] = test_orders[i];
			out->folio[i] = alloc_block(test_orders[i]);
			fill(out->folio[i], LKHO_PAGE_SIZE << test_orders[i]);
			out->csum = lkho_csum(phys_to_virt(out->folio[i]),
					      LKHO_PAGE_SIZE << test_orders[i], out->csum);
		}
		out->test_fdt_order = 1; /* get_order(12 * 8 + 4096) */
		out->test_fdt = alloc_block(1);
		preserve_folio(out->test_fdt, 1);
		info_page = alloc_block(0); /* vmalloc_array(nr, 8): one page */
		info = phys_to_virt(info_page);
		struct lkho_vmalloc info_desc =
			preserve_vmalloc(&info_page, 1, 0, LKHO_VMALLOC_ALLOC);
		for (u32 i = 0; i < nr; i++) {
			info[i] = out->folio[i] | test_orders[i];
			preserve_folio(out->folio[i], test_orders[i]);
		}
		t = phys_to_virt(out->test_fdt);
		err = fdt_create(t, (int)fdt_size);
		err |= fdt_finish_reservemap(t);
		err |= fdt_begin_node(t, "");
		err |= fdt_property(t, "compatible", compat, sizeof(compat));
		err |= fdt_property(t, "magic", &magic, sizeof(magic));
		err |= fdt_begin_node(t, "data");
		err |= fdt_property(t, "nr_folios", &nr, sizeof(nr));
		err |= fdt_property(t, "folios_info", &info_desc, sizeof(info_desc));
		err |= fdt_property(t, "csum", &out->csum, sizeof(out->csum));
		err |= fdt_end_node(t);
		err |= fdt_end_node(t);
		err |= fdt_finish(t);
		if (err)
			fail("the kho_test FDT");
		add_subtree(root, LKHO_TEST_NAME, out->test_fdt, fdt_size);
	}

	out->radix_root = radix_root;
	out->nr_blocks = nr_blocks;
	out->nr_pages = nr_pages;
	out->nr_nodes = nr_nodes;
}

struct lkho_build_opts lkho_linux_opts(const char *compatible)
{
	return (struct lkho_build_opts){
		.compatible = compatible,
		.nr_nodes = 3,
		.empty_global = true,
		.big_run = true,
		.huge_vmalloc = true,
		.flat_vmalloc = true,
		.test_subtree = true,
		.metadata = true,
		.array_preserved = false,
	};
}

void lkho_boot_fdt(void *buf, int bufsize, phys_addr_t fdt, phys_addr_t fdt_size,
		   phys_addr_t scratch, phys_addr_t scratch_size)
{
	int chosen;

	if (fdt_create_empty_tree(buf, bufsize) || fdt_setprop_u32(buf, 0, "#address-cells", 2) ||
	    fdt_setprop_u32(buf, 0, "#size-cells", 2))
		fail("the boot FDT");
	chosen = fdt_add_subnode(buf, 0, "chosen");
	if (chosen < 0 ||
	    fdt_appendprop_addrrange(buf, 0, chosen, LKHO_CHOSEN_FDT, fdt, fdt_size) ||
	    fdt_appendprop_addrrange(buf, 0, chosen, LKHO_CHOSEN_SCRATCH, scratch, scratch_size))
		fail("the boot FDT's /chosen");
}

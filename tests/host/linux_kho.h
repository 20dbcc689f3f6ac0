/*
 * linux_kho.h — Linux's Kexec HandOver ABI as the host tests see it, written
 * from Linux's own documentation and headers (not from kho/abi.h, which is
 * what it checks), and two tools built on it:
 *
 *   linux_kho_build.c  writes a handover into the fake RAM arena exactly as
 *                      a Linux kho-v3 / kho-v4 kernel leaves it at kexec;
 *   linux_kho_read.c   reads any handover (Linux's or Baton's) by Linux's
 *                      rules, field by field, and says what is wrong.
 *
 * Sources, each fact below cited to one of them (paths in Linux's tree):
 *   [ABI]  include/linux/kho/abi/kexec_handover.h (kho-v2 and later: the
 *          root FDT, struct kho_vmalloc, the radix tree "KHO persistent
 *          memory tracker")
 *   [DOC]  Documentation/core-api/kho/abi.rst, .../kho/fdt.rst (renders the
 *          [ABI] DOC blocks)
 *   [KHO]  kernel/liveupdate/kexec_handover.c (kho_populate,
 *          kho_mem_retrieve, kho_reserve_scratch, kho_fill_kimage,
 *          kho_preserve_pages, kho_{preserve,restore}_vmalloc,
 *          kho_retrieve_subtree)
 *   [MD]   include/linux/kho/abi/kexec_metadata.h (Linux 7.3)
 *   [TEST] lib/test_kho.c
 *   [OF]   drivers/of/kexec.c (kho_add_chosen: /chosen properties)
 *   and the design (docs/design.md section 6) for the version history.
 *
 * Only fixed-width types; everything handed over is a physical address.
 */
#ifndef BATON_TESTS_HOST_LINUX_KHO_H
#define BATON_TESTS_HOST_LINUX_KHO_H

#include <stdbool.h>
#include "types.h"

/* ---- The root FDT [ABI] ----
 * / { compatible = "kho-vN"; preserved-memory-map = <u64>;
 *     <name> { preserved-data = <u64>; blob-size = <u64>; }; ... };
 * Values are raw native-endian u64s ("stored in native format" [DOC]
 * fdt.rst). Linux accepts only its own exact string
 * (fdt_node_check_compatible in kho_populate [KHO]). History (docs/design.md section 6):
 * kho-v1 per-order bitmap chunk lists and a subtree property "fdt";
 * kho-v2 the radix tree and "preserved-data"; kho-v3 adds "blob-size"
 * (kho_retrieve_subtree fails with -EINVAL without it); kho-v4 (Linux 7.3)
 * keeps the v3 root, radix and vmalloc layouts. */
#define LKHO_V3 "kho-v3"
#define LKHO_V4 "kho-v4"
#define LKHO_MEM_MAP "preserved-memory-map" /* KHO_FDT_MEMORY_MAP_PROP_NAME */
#define LKHO_SUB_DATA "preserved-data"      /* KHO_FDT_SUB_TREE_PROP_NAME (v2+) */
#define LKHO_SUB_SIZE "blob-size"           /* KHO_FDT_SUB_TREE_SIZE_PROP_NAME (v3+) */

/* /chosen, on device-tree arches ([OF] kho_add_chosen): <addr size> in the
 * root's #address-cells/#size-cells; the FDT's size is PAGE_SIZE. */
#define LKHO_CHOSEN_FDT "linux,kho-fdt"
#define LKHO_CHOSEN_SCRATCH "linux,kho-scratch"

/* ---- The radix tree [ABI] "KHO persistent memory tracker" ----
 * key = (1 << (KHO_ORDER_0_LOG2 - order)) | (pa >> (PAGE_SHIFT + order)),
 * KHO_ORDER_0_LOG2 = 64 - PAGE_SHIFT = 52. Levels: 5..1 are page-sized
 * tables of 512 u64 physical addresses (KHO_TABLE_SIZE_LOG2 = 9), level 0
 * a page-sized bitmap (KHO_BITMAP_SIZE_LOG2 = PAGE_SHIFT + 3 = 15); key
 * bits 14:0 leaf bit, 23:15 level 1, ..., 59:51 level 5 (the diagram in
 * [ABI]); KHO_TREE_MAX_DEPTH = DIV_ROUND_UP(52 - 15, 9) + 1 = 6. Decode
 * ([KHO] kho_radix_decode_key): order = 52 - (fls64(key) - 1), pa = key <<
 * (PAGE_SHIFT + order). The tree's own pages are not keys in it: the next
 * kernel reads them while it allocates from scratch only ([KHO]
 * kho_populate: memblock_set_kho_scratch_only). */
#define LKHO_PAGE_SHIFT 12
#define LKHO_PAGE_SIZE 4096ULL
#define LKHO_ORDER_0_LOG2 52
#define LKHO_TABLE_LOG2 9
#define LKHO_BITMAP_LOG2 15
#define LKHO_DEPTH 6

/* ---- Scratch ([KHO] kho_reserve_scratch) ----
 * struct kho_scratch { phys_addr_t addr; phys_addr_t size; }; the array has
 * nodes_weight(N_MEMORY) + 2 entries: [0] lowmem, [1] global (size may be
 * 0: docs/design.md section 6, Linux 7.3 with all RAM low), then one per node with
 * memory; each a multiple of CMA_MIN_ALIGNMENT_BYTES, so aligned. The array
 * itself is memblock_alloc'd, not preserved; kho_fill_kimage hands it over
 * as a kexec segment (buf_align SZ_64K, top_down), and kho_locate_mem_hole
 * places every kexec segment inside scratch: so it lies inside scratch. The
 * next kernel memblock_reserve()s it (kho_populate). */
struct lkho_scratch {
	u64 addr;
	u64 size;
};
_Static_assert(sizeof(struct lkho_scratch) == 16, "struct kho_scratch is two u64s");
#define LKHO_SCRATCH_ARRAY_ALIGN 0x10000ULL /* SZ_64K in kho_fill_kimage */

/* ---- vmalloc [ABI] "Kexec Handover ABI for vmalloc Preservation" ----
 * struct kho_vmalloc { u64 first; unsigned int total_pages; unsigned short
 * flags; unsigned short order; }; chunks { u64 next; u64 phys[511]; } of one
 * page, phys[] zero-terminated (a full chunk has no terminator). Flags
 * ([KHO]): KHO_VMALLOC_ALLOC 1 (VM_ALLOC), KHO_VMALLOC_HUGE_VMAP 2
 * (VM_ALLOW_HUGE_VMAP); anything else is refused by kho_restore_vmalloc.
 * kho_preserve_vmalloc preserves each 2^order block with kho_preserve_pages
 * and each chunk as one page, and opens a new chunk as soon as one fills,
 * so an area of exactly 511*k blocks ends with an empty chunk. */
struct lkho_vmalloc {
	u64 first;
	u32 total_pages;
	u16 flags;
	u16 order;
};
_Static_assert(sizeof(struct lkho_vmalloc) == 16, "struct kho_vmalloc is 16 bytes");
#define LKHO_VMALLOC_ALLOC 0x0001
#define LKHO_VMALLOC_HUGE_VMAP 0x0002
#define LKHO_VMALLOC_ENTRIES 511 /* (PAGE_SIZE - 8) / 8 */

/* ---- Subtrees Linux 7.3 writes ----
 * [MD]: "kexec-metadata", a packed struct { u32 version (1); char
 * previous_release[__NEW_UTS_LEN + 1 = 65]; u32 kexec_count; }, 73 bytes,
 * in a page from kho_alloc_preserve.
 * [TEST]: "kho_test", an FDT: compatible "kho-test-v1", magic (u32)
 * 0x4b484f21, /data { nr_folios (u32); folios_info (struct kho_vmalloc
 * over u64 entries phys | order); csum (__wsum, u32) }, in a folio of
 * order get_order(nr_folios * 8 + PAGE_SIZE). */
#define LKHO_MD_NAME "kexec-metadata"
#define LKHO_MD_VERSION 1
#define LKHO_MD_SIZE 73
#define LKHO_TEST_NAME "kho_test"
#define LKHO_TEST_COMPAT "kho-test-v1"
#define LKHO_TEST_MAGIC 0x4b484f21U

/* The checksum the test subtree records: a 32-bit ones'-complement sum of
 * 32-bit words, the shape of csum_partial (the value is ours; Linux's
 * reader only compares it with what it computes itself). */
u32 lkho_csum(const void *p, u64 bytes, u32 sum);

/* ================= The builder (linux_kho_build.c) ================= */

struct lkho_build_opts {
	const char *compatible; /* LKHO_V3 or LKHO_V4 */
	int nr_nodes;           /* NUMA nodes with memory: areas = nodes + 2 */
	bool empty_global;      /* scratch[1] 0 bytes (Linux 7.3, all RAM low) */
	bool big_run;           /* a page run split into orders 12, 11, 2 */
	bool huge_vmalloc;      /* flags ALLOC | HUGE_VMAP, order 9 */
	bool flat_vmalloc;      /* 511 order-0 pages: a full chunk, an empty one */
	bool test_subtree;      /* test_kho's "kho_test" and its folios */
	bool metadata;          /* 7.3's "kexec-metadata" */
	/* NOT Linux: put the scratch array on a preserved page outside scratch,
	 * as Baton does, so that one Linux shape at a time can be tried on
	 * Baton's incoming side. Linux never does this. */
	bool array_preserved;
};

/* Everything Linux writes: nodes + 2 = 5 areas, the global one empty, the
 * array in scratch, every shape above. */
struct lkho_build_opts lkho_linux_opts(const char *compatible);

#define LKHO_MAX_AREAS 8
#define LKHO_MAX_FOLIOS 16

/* What the builder made: everything a test checks after kernel B restores. */
struct lkho_built {
	phys_addr_t fdt, fdt_size;         /* /chosen/linux,kho-fdt */
	phys_addr_t scratch, scratch_size; /* /chosen/linux,kho-scratch */
	struct lkho_scratch areas[LKHO_MAX_AREAS];
	int nr_areas;
	phys_addr_t radix_root;
	/* A kho_preserve_pages run that Linux splits into orders 12, 11, 2. */
	phys_addr_t run;
	u64 run_pages, run_sum;
	/* A VM_ALLOW_HUGE_VMAP area: order-9 blocks, flags ALLOC | HUGE. */
	struct lkho_vmalloc huge;
	u64 huge_sum;
	/* An order-0 area of exactly 511 pages: two chunks, the second empty. */
	struct lkho_vmalloc flat;
	u64 flat_sum;
	/* test_kho's subtree and its folios. */
	phys_addr_t test_fdt;
	u64 test_fdt_order;
	u32 nr_folios;
	phys_addr_t folio[LKHO_MAX_FOLIOS];
	u32 folio_order[LKHO_MAX_FOLIOS];
	u32 csum;
	/* kexec-metadata's page. */
	phys_addr_t metadata;
	/* Counts over the radix tree. */
	u64 nr_blocks, nr_pages, nr_nodes;
};

/* RAM the builder assumes: [LKHO_RAM_BASE, + LKHO_RAM_SIZE), with
 * [base, +1 MiB) firmware and [base + 2 MiB, +1 MiB) the next kernel's
 * image left alone. The caller has made the arena (host_ram). */
#define LKHO_RAM_BASE 0x40000000ULL
#define LKHO_RAM_SIZE (256ULL << 20)

void lkho_build(const struct lkho_build_opts *o, struct lkho_built *out);

/* The boot FDT's /chosen for a handover, as [OF] kho_add_chosen writes it
 * (fdt_appendprop_addrrange under a root with #address-cells = #size-cells
 * = 2). buf holds the tree. */
void lkho_boot_fdt(void *buf, int bufsize, phys_addr_t fdt, phys_addr_t fdt_size,
		   phys_addr_t scratch, phys_addr_t scratch_size);

/* ================= The reader (linux_kho_read.c) ================= */

struct lkho_block {
	phys_addr_t pa;
	u32 order;
};

struct lkho_subtree {
	char name[64];
	phys_addr_t data;
	u64 size;
};

/* A handover as Linux's incoming kernel sees it. */
struct lkho_view {
	phys_addr_t fdt, fdt_size, scratch, scratch_size;
	const void *root; /* the root FDT, direct map */
	char compatible[32];
	phys_addr_t mem_map;
	struct lkho_scratch areas[LKHO_MAX_AREAS * 4];
	int nr_areas;
	struct lkho_block *blocks; /* walk order: by key */
	u64 nr_blocks, nr_nodes, nr_pages;
	struct lkho_subtree subtrees[32];
	int nr_subtrees;
	char extra_props[8][48]; /* root properties Linux does not define */
	int nr_extra_props;
};

/* Read the handover named in boot_fdt's /chosen by Linux's rules, with
 * compatible the one string the reading Linux accepts. RAM is
 * [ram_base, ram_base + ram_size). NULL when every rule holds, else one
 * line saying which does not (the view is freed then). */
const char *lkho_read(const void *boot_fdt, phys_addr_t ram_base, u64 ram_size,
		      const char *compatible, struct lkho_view *v);
void lkho_view_free(struct lkho_view *v);

/* Is there a preserved block of exactly this order at pa? Is [pa, pa+size)
 * inside preserved blocks? */
bool lkho_has_block(const struct lkho_view *v, phys_addr_t pa, u32 order);
bool lkho_covered(const struct lkho_view *v, phys_addr_t pa, u64 size);
const struct lkho_subtree *lkho_subtree(const struct lkho_view *v, const char *name);

/* Linux's kho_restore_folio / kho_restore_pages / kho_restore_vmalloc
 * rules against the map, changing nothing. folio: a block of that order
 * at phys. pages: the walk kho_restore_pages makes (step order
 * min(ctz(pfn), ilog2(end - pfn)), no cap) lands on a block of exactly
 * that order at each step. vmalloc: flags, order, chain, counts. */
const char *lkho_check_folio(const struct lkho_view *v, phys_addr_t phys, u32 order);
const char *lkho_check_pages(const struct lkho_view *v, phys_addr_t phys, u64 nr_pages);
const char *lkho_check_vmalloc(const struct lkho_view *v, const struct lkho_vmalloc *d);
/* The two subtrees Linux 7.3 writes, as their readers ([MD], [TEST]) read
 * them; csum is checked when check_csum. */
const char *lkho_check_metadata(const struct lkho_view *v);
const char *lkho_check_test_subtree(const struct lkho_view *v, bool check_csum);

#endif

/*
 * abi.h — the Kexec HandOver ABI: everything one Baton generation leaves in
 * memory for the next. This file is the contract; a change to anything
 * below changes KHO_COMPATIBLE (Linux's rule) or the Baton extension
 * version.
 *
 * It follows Linux's KHO ABI "kho-v3" and "kho-v4" (include/linux/kho/abi/
 * kexec_handover.h, Documentation/core-api/kho/) for the three parts Linux
 * has, so a reader of either can read the other's handover. The two
 * versions' layouts below are the same; Baton reads both and writes
 * "kho-v4" (Linux 7.3 accepts nothing else), or "kho-v3" with
 * kho.compatible=kho-v3 for Linux 6.18 to 7.2 (docs/linux.md).
 *
 * 1. The KHO root FDT, one page, itself preserved (order 0):
 *
 *        / {
 *                compatible = "kho-v4";           (or "kho-v3")
 *                preserved-memory-map = <u64>;   physical address of the
 *                                                 radix tree's root node
 *                baton,extensions = "baton-kho-v1";   (Baton only)
 *                <name> {                          one node per subtree
 *                        preserved-data = <u64>;  physical address
 *                        blob-size = <u64>;       bytes
 *                };
 *        };
 *
 *    Values are raw native-endian (little-endian here) u64s, 8 bytes, not
 *    FDT cells: there are no #address-cells in this tree.
 *
 * 2. The preserved-memory map: a radix tree of page-sized nodes. A
 *    preserved block of 2^order pages at physical address pa is the key
 *
 *        key = (1 << (52 - order)) | (pa >> (12 + order))
 *
 *    (the top set bit says the order; e.g. pa 0x80000000, order 0 ->
 *    0x0010000000080000). Bits 14..0 of the key index a bit in a 4 KiB
 *    leaf bitmap (32768 bits); bits 59..15 index five levels of tables of
 *    512 u64 physical addresses (9 bits each, root = level 5 = bits
 *    59..51). A set bit is one preserved block. The tree's own pages are
 *    not in the tree: the next kernel reads them before it allocates
 *    outside scratch, then they are ordinary free memory.
 *
 * 3. vmalloc areas (in the caller's own preserved data): struct
 *    kho_vmalloc { u64 first; u32 total_pages; u16 flags; u16 order; },
 *    first = physical address of a chain of page-sized chunks
 *    { u64 next; u64 phys[511]; }, each phys[] the first page of a 2^order
 *    block, zero-terminated; every chunk and block is preserved. total_pages
 *    counts 4 KiB pages: there are total_pages >> order blocks.
 *
 * Handed over in the boot FDT's /chosen, as Linux does on arm64 (FDT cells
 * per the root's #address-cells / #size-cells, 2 and 2 in Baton's trees):
 *    linux,kho-fdt     = <addr size>  the root FDT page
 *    linux,kho-scratch = <addr size>  an array of struct kho_scratch
 *
 * Baton's extension "baton-kho-v1" adds one subtree to the root FDT:
 *    "baton,slab": the first of a chain of page-sized struct kho_slab_chunk
 *    listing preserved kmalloc objects: each record is the object's
 *    physical address, its slot size (a kmalloc size class) and the order
 *    of its slab. The chunks and every slab holding a preserved object are
 *    preserved blocks; the next kernel rebuilds each slab with exactly the
 *    recorded objects allocated, so kfree works on them.
 */
#ifndef BATON_KHO_ABI_H
#define BATON_KHO_ABI_H

#include "types.h"

#define KHO_COMPATIBLE "kho-v3"
/* Linux 7.3's root FDT says "kho-v4": its root FDT, radix tree and vmalloc
 * layouts are kho-v3's (the bump came with a serialization format for Live
 * Update that lives in its own subtrees, and the optional "kexec-metadata"
 * subtree, kho/metadata_in.c and metadata_out.c), so Baton reads it as kho-v3 and
 * says which it met. */
#define KHO_COMPATIBLE_V4 "kho-v4"
#define KHO_PROP_MEMORY_MAP "preserved-memory-map"
#define KHO_PROP_SUBTREE_DATA "preserved-data"
#define KHO_PROP_SUBTREE_SIZE "blob-size"
#define KHO_PROP_EXTENSIONS "baton,extensions"
#define KHO_BATON_EXTENSIONS "baton-kho-v1"

/* Who wrote the handover: Linux 7.3's "kexec-metadata" subtree
 * (include/linux/kho/abi/kexec_metadata.h), a packed 73-byte blob in a
 * preserved page. The next kernel reads it (and Linux prints "exec from:
 * <previous_release> (count <kexec_count>)"); both sides write it. */
#define KHO_METADATA_SUBTREE "kexec-metadata"
#define KHO_METADATA_VERSION 1
#define KHO_METADATA_RELEASE_LEN 65 /* Linux's __NEW_UTS_LEN + 1 */
struct kho_kexec_metadata {
	u32 version;
	char previous_release[KHO_METADATA_RELEASE_LEN];
	u32 kexec_count; /* kexecs since the last cold boot, this one included */
} __attribute__((packed));
_Static_assert(sizeof(struct kho_kexec_metadata) == 73, "Linux's layout");

#define KHO_CHOSEN_FDT "linux,kho-fdt"
#define KHO_CHOSEN_SCRATCH "linux,kho-scratch"

/* The radix tree, for 4 KiB pages. */
#define KHO_ORDER0_LOG2 52 /* 64 - PAGE_SHIFT */
#define KHO_TABLE_BITS 9   /* 512 entries per node */
#define KHO_BITMAP_BITS 15 /* 4 KiB leaf = 32768 bits */
#define KHO_TREE_LEVELS 6  /* 5 table levels + the leaf */

struct kho_radix_node {
	u64 table[1 << KHO_TABLE_BITS]; /* physical addresses, 0 = empty */
};
struct kho_radix_leaf {
	u64 bitmap[(1 << KHO_BITMAP_BITS) / 64];
};
_Static_assert(sizeof(struct kho_radix_node) == 4096, "a radix node is one page");
_Static_assert(sizeof(struct kho_radix_leaf) == 4096, "a radix leaf is one page");
_Static_assert(KHO_BITMAP_BITS + (KHO_TREE_LEVELS - 1) * KHO_TABLE_BITS >= 60,
	       "the levels cover every key bit below the order-0 marker bit");

struct kho_scratch {
	u64 addr;
	u64 size;
};
_Static_assert(sizeof(struct kho_scratch) == 16, "scratch entries are {u64, u64}");

struct kho_vmalloc {
	u64 first;
	u32 total_pages;
	u16 flags;
	u16 order;
};
_Static_assert(sizeof(struct kho_vmalloc) == 16, "Linux's struct kho_vmalloc is 16 bytes");

#define KHO_VMALLOC_ALLOC 0x0001
/* Linux's VM_ALLOW_HUGE_VMAP area: its chunks list blocks of 2^order pages
 * (total_pages >> order of them). Baton writes order 0 and reads both. */
#define KHO_VMALLOC_HUGE_VMAP 0x0002
#define KHO_VMALLOC_CHUNK_ENTRIES 511
struct kho_vmalloc_chunk {
	u64 next;
	u64 phys[KHO_VMALLOC_CHUNK_ENTRIES];
};
_Static_assert(sizeof(struct kho_vmalloc_chunk) == 4096, "a vmalloc chunk is one page");

/* Baton extension: preserved slab objects. */
#define KHO_SLAB_SUBTREE "baton,slab"
struct kho_slab_rec {
	u64 phys;
	u32 slot_size;
	u32 slab_order;
};
#define KHO_SLAB_CHUNK_RECS 255
struct kho_slab_chunk {
	u64 next;
	u64 count;
	struct kho_slab_rec rec[KHO_SLAB_CHUNK_RECS];
};
_Static_assert(sizeof(struct kho_slab_chunk) == 4096, "a slab chunk is one page");

#endif

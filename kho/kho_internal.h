/*
 * kho_internal.h — state shared by the files of kho/. Not for callers.
 */
#ifndef BATON_KHO_INTERNAL_H
#define BATON_KHO_INTERNAL_H

#include "kho.h"
#include "memblock.h"

/* A preserved block found in a handover. */
struct kho_block {
	phys_addr_t pa;
	u64 order;
};

struct kho_subtree {
	char name[KHO_NAME_MAX];
	phys_addr_t blob;
	u64 size;
};

struct kho_state {
	/* Outgoing: named blobs for the root FDT. */
	struct kho_subtree subtrees[KHO_MAX_SUBTREES];
	/* Outgoing: the tree callers fill. */
	struct kho_radix tree;
	/* Scratch: handed over (KHO boot) or reserved (first boot). */
	struct kho_scratch scratch[KHO_MAX_SCRATCH];
	int nr_scratch;
	/* Incoming: what the last generation preserved, sorted by pa. */
	struct kho_block *blocks;    /* as walked: grouped by order */
	u64 nr_blocks;
	struct memblock_region *runs; /* the same memory, merged, by address */
	u64 nr_runs;
	phys_addr_t in_fdt;       /* the root FDT handed over, 0 on a cold boot */
};

extern struct kho_state kho;

bool kho_in_scratch(phys_addr_t base, u64 size);
void kho_serialize_reset(void);
/* Is a preserved block of that order waiting at phys? kho_waiting says
 * why not; kho_block_waits only answers. */
bool kho_waiting(phys_addr_t phys, unsigned order);
bool kho_block_waits(phys_addr_t phys, unsigned order);
/* subtree.c: write the table into the outgoing root FDT; read a subtree
 * node's preserved-data and blob-size (false unless both are 8 bytes). */
int kho_subtrees_write(void *fdt);
bool kho_subtree_props(const void *fdt, int node, phys_addr_t *blob, u64 *size);
/* slab.c: forget its state; add its subtree before serializing. */
void kho_slab_reset(void);
int kho_slab_serialize(void);

#endif

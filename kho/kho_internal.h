/*
 * kho_internal.h — state shared by the files of kho/. Not for callers.
 *
 * kho/ has three layers, and calls go down or sideways within a side only:
 *   shared    state.c (struct kho_state, scratch), radix.c, subtree.c,
 *             alloc.c (the outgoing side's own pages), fault.c (kho.fail=)
 *   outgoing  preserve.c, serialize.c, slab_out.c, metadata_out.c
 *   incoming  validate.c, restore.c, slab_in.c, metadata_in.c
 * Above both sides: boot.c (kho_boot, kho_reset) and vmalloc.c (whose
 * preserve and restore calls each use one side). The outgoing side never
 * calls the incoming one, nor the other way round (tools/modules).
 */
#ifndef BATON_KHO_INTERNAL_H
#define BATON_KHO_INTERNAL_H

#include "kho.h"
#include "memblock.h"

/*
 * Preserved blocks found in a handover, as runs: blocks of one order that
 * touch, [pa, end), each 2^order pages, aligned to its size. e.g. the
 * order-0 blocks at 0x40000000, 0x40001000 and 0x40002000 are the run
 * { 0x40000000, 0x40003000, 0 }; an order-9 block at 0x40200000 alone is
 * { 0x40200000, 0x40400000, 9 }. pa < end, (end - pa) and pa are
 * multiples of PAGE_SIZE << order.
 */
struct kho_block_run {
	phys_addr_t pa, end;
	u64 order;
};

struct kho_subtree {
	char name[KHO_NAME_MAX];
	phys_addr_t blob;
	u64 size;
};

/* Who may take a waiting preserved block (restore.c explains). */
enum { KHO_OWNER_ANY, KHO_OWNER_CORE, KHO_OWNER_SLAB, KHO_OWNER_TAKING };
struct kho_owned {
	phys_addr_t pa; /* a block's head */
	u64 owner;
};

struct kho_state {
	/* Outgoing: named blobs for the root FDT. */
	struct kho_subtree subtrees[KHO_MAX_SUBTREES];
	/* Outgoing: the tree callers fill. */
	struct kho_radix tree;
	/* Scratch: handed over (KHO boot) or reserved (first boot). */
	struct kho_scratch scratch[KHO_MAX_SCRATCH];
	int nr_scratch;
	/* Incoming: what the last generation preserved (validate.c). */
	struct kho_block_run *blocks; /* as walked: grouped by order */
	u64 nr_block_runs;
	u64 nr_blocks;                /* the blocks those runs hold */
	struct memblock_region *runs; /* the same memory, merged, by address */
	u64 nr_runs;
	struct kho_owned *owned; /* blocks not any restore's to take */
	u64 nr_owned;
	phys_addr_t in_fdt;  /* the root FDT handed over, 0 on a cold boot */
	const char *version; /* its compatible: KHO_COMPATIBLE or _V4 */
	/* The kexec count its kexec-metadata said (metadata_in.c), 0 on a cold
	 * boot; metadata_out.c writes one more. */
	u32 in_kexec_count;
	/* Outgoing: pages held through kho_page_alloc (alloc.c). */
	u64 own_pages;
};

extern struct kho_state kho;

/* How a run of pages [pfn, end) is split into preserved blocks, as Linux
 * splits it: at each step the largest block aligned at pfn that fits, with
 * no cap but KHO_MAX_BLOCK_ORDER. kho_preserve_pages and kho_restore_pages
 * both walk a run with it. */
static inline unsigned kho_run_order(u64 pfn, u64 end)
{
	unsigned order = 0;

	while (order < KHO_MAX_BLOCK_ORDER && !(pfn & (1ULL << order)) &&
	       pfn + (2ULL << order) <= end)
		order++;
	return order;
}

/* A zeroed page for the outgoing side's bookkeeping, unless kho.fail=
 * fails this allocation at site (NULL then, as when memory ran out); and
 * its free. Both keep kho_own_pages() (alloc.c). */
struct page *kho_page_alloc(enum kho_fail_site site);
void kho_page_free(struct page *p);

bool kho_in_scratch(phys_addr_t base, u64 size);
/* Does one scratch area hold all of [base, base + size)? */
bool kho_in_scratch_whole(phys_addr_t base, u64 size);
void kho_serialize_reset(void);
/* The outgoing kexec-metadata subtree (metadata_out.c): forget it, write
 * it (its page is kept for the next write), drop it (page and subtree). */
void kho_metadata_reset(void);
int kho_metadata_write(void);
void kho_metadata_drop(void);
/* Is a preserved block of that order waiting at phys for owner?
 * kho_waiting_for says why not; kho_block_waits_for only answers.
 * kho_waiting: for any restore (KHO_OWNER_ANY). */
bool kho_waiting_for(phys_addr_t phys, unsigned order, unsigned owner);
bool kho_block_waits_for(phys_addr_t phys, unsigned order, unsigned owner);
bool kho_waiting(phys_addr_t phys, unsigned order);
/* A restore that proves a whole structure before it takes any of it:
 * kho_take marks an ANY block TAKING (-ENOENT, with a message, if it is
 * not waiting for any restore: listed twice, or another's); kho_untake
 * undoes it; kho_restore_owned(..., KHO_OWNER_TAKING, md) then takes it. */
int kho_take(phys_addr_t phys, unsigned order);
void kho_untake(phys_addr_t phys, unsigned order);
struct page *kho_restore_owned(phys_addr_t phys, unsigned order, unsigned owner, unsigned long md);
/* subtree.c: write the table into the outgoing root FDT; read a subtree
 * node's preserved-data and blob-size (false unless both are 8 bytes). */
int kho_subtrees_write(void *fdt);
bool kho_subtree_props(const void *fdt, int node, phys_addr_t *blob, u64 *size);
/* slab_out.c, slab_in.c: forget their state; slab_out.c adds its subtree
 * before serializing. */
void kho_slab_out_reset(void);
void kho_slab_in_reset(void);
int kho_slab_serialize(void);

#endif

/*
 * misuse.h (mm) — how the allocators report their callers' misuse: a
 * double or foreign free, a write after free, a freelist word or list node
 * overwritten, a reference put that was never taken. Each finding is one
 * line on the console (LOG_ERR) that says what happened, where (pfn,
 * address, cache) and what the allocator did about it, and one count in
 * misuse_count[], which the tests and the self-tests read:
 *
 *     misuse_report(MISUSE_BUDDY_DOUBLE_FREE, "buddy: free of pfn 0x%llx ...", ...);
 *
 * The allocator's own state is never given up to a report: what was wrong
 * is refused or kept out of use (leaked), and the structures stay what
 * their checkers (buddy_check, slab_check, vmalloc_check) accept.
 *
 * Used by mm/buddy.c, folio.c, slab.c, kmalloc.c and vmalloc.c on their
 * slow paths. The counts live in mm/buddy.c, which every build of mm/
 * links (every allocator sits on it); buddy_init starts them at zero.
 */
#ifndef BATON_MM_MISUSE_H
#define BATON_MM_MISUSE_H

#include "printk.h"
#include "types.h"

enum misuse_kind {
	MISUSE_BUDDY_DOUBLE_FREE, /* a free of a block that is free already */
	MISUSE_BUDDY_BAD_FREE,    /* not the head of an allocated block of that order */
	MISUSE_BUDDY_NOT_OURS,    /* a free of reserved or KHO-preserved memory */
	MISUSE_BUDDY_LIST,        /* a free block's list node overwritten */
	MISUSE_PAGE_POISON,       /* a poisoned free page written after free */
	MISUSE_FOLIO_REFCOUNT,    /* folio_put with no reference left */
	MISUSE_SLAB_BAD_FREE,     /* double free, not an object, wrong cache */
	MISUSE_SLAB_FREELIST, /* a free object's freelist word, or a slab's freelist, overwritten */
	MISUSE_SLAB_MAGAZINE, /* an object waiting in a magazine or the free queue written over */
	MISUSE_SLAB_POISON,   /* a poisoned free object written after free */
	MISUSE_VMALLOC_BAD_FREE, /* vfree of no area's start */
	MISUSE_KINDS
};

/* Reports of each kind since buddy_init. */
extern u64 misuse_count[MISUSE_KINDS];

#define misuse_report(kind, ...)      \
	do {                          \
		misuse_count[kind]++; \
		pr_err(__VA_ARGS__);  \
	} while (0)

/* All reports since buddy_init. */
static inline u64 misuse_total(void)
{
	u64 n = 0;

	for (int k = 0; k < MISUSE_KINDS; k++)
		n += misuse_count[k];
	return n;
}

#endif

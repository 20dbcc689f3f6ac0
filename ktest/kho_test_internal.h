/*
 * kho_test_internal.h — what the KHO self-test (ktest/kho_test.c) and its
 * soak (ktest/kho_soak.c) share: the items of a preserved set and the
 * calls between the two files. Not for other callers; the chain uses
 * include/kho_test.h.
 *
 * kho_test.c owns the items: it makes, fills, preserves, restores, checks
 * and frees them, and hands them on in its manifest. kho_soak.c, when
 * kho_test.soak=SEED asks for it, decides what a generation keeps and
 * what it adds, checks each generation for leaks, and keeps the chain's
 * record (kho_soak.c's header says how).
 */
#ifndef BATON_KHO_TEST_INTERNAL_H
#define BATON_KHO_TEST_INTERNAL_H

#include "kho.h"
#include "ktest.h"
#include "types.h"

/* Items a set holds at most (the manifest's size). */
#define KHO_TEST_MAX_ITEMS 256

/* What an item is, and what its param says. */
enum kho_test_kind {
	KHO_TEST_FOLIO,   /* folio_alloc'd; param = order */
	KHO_TEST_PAGES,   /* alloc_pages'd; param = order */
	KHO_TEST_SLAB,    /* kmalloc'd; param = its slot size (ksize) */
	KHO_TEST_VMALLOC, /* vmalloc'd; param = its pages */
	KHO_TEST_BLOB,    /* alloc_pages'd, named by a subtree of its own; param = order */
	KHO_TEST_KINDS
};

/*
 * One item, as the manifest hands it on (so: fixed-width fields, physical
 * addresses). Invariants: kind < KHO_TEST_KINDS; 0 < bytes <= the item's
 * size (PAGE_SIZE << param for the page kinds, param for a slab object,
 * param pages for a vmalloc area); sum = kho_test_checksum of its first
 * bytes; pa is the block's (the object's) physical address, 0 for a
 * vmalloc area, whose descriptor vm is (written when it is preserved).
 * Example: an order-3 folio at 0x48200000 filled whole is
 * { 0x48200000, 32768, sum, KHO_TEST_FOLIO, 3, {0} }.
 */
struct kho_test_item {
	u64 pa;
	u64 bytes;
	u64 sum;
	u32 kind;
	u32 param;
	struct kho_vmalloc vm;
};
_Static_assert(sizeof(struct kho_test_item) == 48, "the manifest's items are 48 bytes each");

/* An item this generation holds, and where it is mapped. */
struct kho_test_held {
	struct kho_test_item it;
	void *va;
};

/* ---- kho_test.c, for the soak ---- */

/* The generation's pseudo-random sequence (seeded by the soak when it runs). */
u64 kho_test_rand(void);
/* Allocate an item of that kind (param as in enum kho_test_kind; for a
 * slab object or a vmalloc area, bytes is the request) and fill its first
 * bytes. false when there is no memory (nothing is left allocated). */
bool kho_test_make(struct kho_test_held *h, enum kho_test_kind kind, u32 param, u64 bytes);
/* Pages the item takes from the page allocator as itself (a slab object
 * takes none of its own: its slab's are counted as slab pages). */
u64 kho_test_item_pages(const struct kho_test_item *it);

/* ---- kho_soak.c, for kho_test.c ---- */

/* The generation's start: draw its choices from the soak's seed and the
 * generation's number, print them, and return the seed of kho_test.c's
 * own sequence (the data it fills items with). */
u64 kho_soak_stream(u64 generation);
/* During the restore phase: take the soak's record from the handover
 * (none on a cold boot). During the check phase: check it. */
void kho_soak_restore(void);
void kho_soak_check_record(struct ktest_ctx *t);
/* Keep this restored item for the next set (else it is freed)? Called for
 * every item received, in order; *kept_pages is what is kept so far. */
bool kho_soak_keep(const struct kho_test_held *h, u64 kept_pages, int nkept);
/* Add this generation's new items to set[*n], up to max items in all. */
void kho_soak_fill(struct kho_test_held *set, int *n, int max);
/* After restore and free (the kept items in kept[0..nkept)): the leak
 * check, this generation's line and, at the end of the chain, the
 * summary. */
void kho_soak_account(struct ktest_ctx *t, const struct kho_test_held *kept, int nkept,
		      int received, bool last);
/* When the set (set[0..n)) is preserved: record its size, print the line
 * and preserve the record. 0 or the first error. */
int kho_soak_preserve(const struct kho_test_held *set, int n);

#endif

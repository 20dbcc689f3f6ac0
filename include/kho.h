/*
 * kho.h — Kexec HandOver: memory preserved by one generation and restored,
 * as its allocator made it, by the next (DESIGN.md section 6; the ABI is
 * kho/abi.h).
 *
 *     f = folio_alloc(gfp, order);   kho_preserve_folio(f);
 *     ... kexec ...
 *     f = kho_restore_folio(phys);   folio_put(f);
 *
 * Every restore sits on kho_restore_page_desc(), which gives a preserved
 * block back to the page allocator with the memdesc word its new owner
 * wants, the mirror of alloc_page_desc().
 */
#ifndef BATON_KHO_H
#define BATON_KHO_H

#include "types.h"

struct folio;
struct page;

/* Errors, as negative returns. */
#define KHO_EINVAL 1  /* not something that can be preserved */
#define KHO_EEXIST 2  /* preserved already */
#define KHO_ENOMEM 3  /* no memory for the bookkeeping */
#define KHO_ENOENT 4  /* not preserved */

/* The radix tree of preserved blocks (kho/radix.c). root is the physical
 * address of the level-5 node, 0 while empty. */
struct kho_radix {
	phys_addr_t root;
};

u64 kho_radix_key(phys_addr_t pa, unsigned int order);
/* false when key encodes no valid (pa, order). */
bool kho_radix_decode(u64 key, phys_addr_t *pa, unsigned int *order);
/* Add or remove one block; nodes come from (and go back to) the page
 * allocator. -KHO_EEXIST / -KHO_ENOENT / -KHO_ENOMEM. */
int kho_radix_set(struct kho_radix *t, phys_addr_t pa, unsigned int order);
int kho_radix_clear(struct kho_radix *t, phys_addr_t pa, unsigned int order);
/* Free every node of a tree built here. */
void kho_radix_free(struct kho_radix *t);

/* Walking a tree from a handover trusts nothing: before a node is read,
 * node_ok(phys) must accept it; every set bit is decoded and handed to fn.
 * A refusal from either stops the walk. Returns 0, or -1 with *why set. */
struct kho_radix_walker {
	bool (*node_ok)(phys_addr_t node, void *arg, const char **why);
	bool (*block)(phys_addr_t pa, unsigned int order, void *arg, const char **why);
	void *arg;
};
int kho_radix_walk(phys_addr_t root, const struct kho_radix_walker *w, const char **why);

#endif

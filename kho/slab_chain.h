/*
 * slab_chain.h — the chain of slab records ("baton,slab", kho/abi.h) as
 * both sides walk it: slab_out.c builds and edits the outgoing chain,
 * slab_in.c reads the incoming one. Included by those two files only.
 */
#ifndef BATON_KHO_SLAB_CHAIN_H
#define BATON_KHO_SLAB_CHAIN_H

#include "kho.h"
#include "page.h"

/* Every record, with its chunk: fn returns false to stop. */
static inline void each_rec(struct kho_slab_chunk *c, bool (*fn)(struct kho_slab_rec *r, void *arg),
			    void *arg)
{
	for (; c; c = c->next ? phys_to_virt(c->next) : NULL) {
		for (u64 i = 0; i < c->count; i++) {
			if (!fn(&c->rec[i], arg))
				return;
		}
	}
}

struct find {
	phys_addr_t phys;
	struct kho_slab_rec *found;
};

static inline bool find_rec(struct kho_slab_rec *r, void *arg)
{
	struct find *f = arg;

	if (r->slot_size && r->phys == f->phys) {
		f->found = r;
		return false;
	}
	return true;
}

#endif

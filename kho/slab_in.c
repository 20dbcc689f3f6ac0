/*
 * slab_in.c (kho) — restoring kmalloc objects, the incoming half of
 * Baton's "baton,slab" extension (slab_out.c preserves them, and says why):
 *
 *     p = kho_restore_slab(phys);   kfree(p);
 *
 * The first restore reads and checks the whole chain. Restoring an object
 * restores its slab as a slab of the kmalloc class of that slot size, with
 * every recorded object of it allocated and the other slots free -- so the
 * allocator never hands out a slot a later restore will claim.
 */
#include "kho.h"
#include "kho_internal.h"
#include "slab_chain.h"
#include "buddy.h"
#include "kstring.h"
#include "printk.h"
#include "slab.h"

/* Incoming: the chain, checked once; claimed records get slot_size 0. */
static struct kho_slab_chunk *in_first;
static u64 in_left; /* records not restored yet */
/* The incoming record chain, checked once, at the first restore. */
static enum { CHAIN_UNREAD, CHAIN_GOOD, CHAIN_REFUSED } in_state;

void kho_slab_in_reset(void)
{
	in_first = NULL;
	in_left = 0;
	in_state = CHAIN_UNREAD;
}

/* Check the incoming chain once. Its shape (chunks, counts, slots inside
 * their slabs, one size per slab, no record twice, every page owned once)
 * was proven by the scan (kho/validate.c, rules 15 and 17), which also made
 * the chunks and slabs this file's alone (KHO_OWNER_SLAB); what it could
 * not know, before the allocators existed, is checked here: each slot size
 * is a kmalloc class whose slabs have the recorded order. The chunks stay
 * preserved until the last record is restored, then go back to the
 * allocator. */
static bool chain_ok(void)
{
	phys_addr_t pa;
	u64 size, chunks = 0;

	if (kho_retrieve_subtree(KHO_SLAB_SUBTREE, &pa, &size) < 0)
		return true; /* nothing preserved: fine */
	if (size != PAGE_SIZE)
		return false;
	for (; pa; pa = ((struct kho_slab_chunk *)phys_to_virt(pa))->next) {
		const struct kho_slab_chunk *c;

		if (++chunks > (1u << 20) || (pa & (PAGE_SIZE - 1)) ||
		    !kho_waiting_for(pa, 0, KHO_OWNER_SLAB))
			return false;
		c = phys_to_virt(pa);
		if (c->count > KHO_SLAB_CHUNK_RECS)
			return false;
		for (u64 i = 0; i < c->count; i++) {
			const struct kho_slab_rec *r = &c->rec[i];
			struct kmem_cache *kc = kmalloc_class_cache(r->slot_size);
			phys_addr_t base;

			if (!kc || r->slab_order > MAX_ORDER ||
			    kmem_cache_slab_order(kc) != r->slab_order)
				return false;
			base = ALIGN_DOWN(r->phys, PAGE_SIZE << r->slab_order);
			if ((r->phys - base) % r->slot_size ||
			    !kho_block_waits_for(base, r->slab_order, KHO_OWNER_SLAB))
				return false;
			in_left++;
		}
		if (!in_first)
			in_first = phys_to_virt(pa);
	}
	return true;
}

/* slab_adopt's way to take a slab: from this file's own blocks. */
static struct page *restore_slab_block(phys_addr_t phys, unsigned int order, unsigned long md)
{
	return kho_restore_owned(phys, order, KHO_OWNER_SLAB, md);
}

struct gather {
	phys_addr_t base;
	u32 order;
	u32 n;
	u32 offs[512];
};

static bool gather_slab(struct kho_slab_rec *r, void *arg)
{
	struct gather *g = arg;

	if (r->slot_size && ALIGN_DOWN(r->phys, PAGE_SIZE << r->slab_order) == g->base &&
	    g->n < 512)
		g->offs[g->n++] = (u32)(r->phys - g->base);
	return true;
}

void *kho_restore_slab(phys_addr_t phys)
{
	static struct gather g;
	struct find f = { phys, NULL };
	struct kmem_cache *c;
	void *obj;

	if (in_state == CHAIN_UNREAD)
		in_state = chain_ok() ? CHAIN_GOOD : CHAIN_REFUSED;
	if (in_state == CHAIN_REFUSED) {
		pr_err("kho: the preserved slab records are damaged; no slab object restored");
		return NULL;
	}
	each_rec(in_first, find_rec, &f);
	if (!f.found) {
		pr_err("kho: no slab object was preserved at 0x%llx (or it was restored); not restored",
		       (unsigned long long)phys);
		return NULL;
	}
	c = kmalloc_class_cache(f.found->slot_size);
	g.base = ALIGN_DOWN(phys, PAGE_SIZE << f.found->slab_order);
	g.order = f.found->slab_order;
	g.n = 0;
	obj = phys_to_virt(phys);
	if (kho_block_waits_for(g.base, g.order, KHO_OWNER_SLAB)) { /* first of its slab */
		each_rec(in_first, gather_slab, &g);
		if (slab_adopt(c, g.base, g.offs, g.n, restore_slab_block))
			return NULL;
	}
	f.found->slot_size = 0; /* claimed */
	if (--in_left == 0) {   /* the chain has served: free its pages */
		for (phys_addr_t pa = virt_to_phys(in_first); pa;) {
			struct page *cp =
				kho_restore_owned(pa, 0, KHO_OWNER_SLAB, MEMDESC_PAGES_OF(0));

			if (!cp) /* cannot happen: the chain was proven whole */
				break;
			pa = ((struct kho_slab_chunk *)page_address(cp))->next;
			__free_pages(cp, 0);
		}
		in_first = NULL;
	}
	return obj;
}

/*
 * slab_out.c (kho) — preserving kmalloc objects (slab_in.c restores them):
 * Baton's extension "baton-kho-v1" (kho/abi.h). Linux has no slab preservation; the design
 * argued for it is the mirror of kmalloc/kfree:
 *
 *     p = kmalloc(n);    kho_preserve_slab(p);
 *     p = kho_restore_slab(phys);   kfree(p);
 *
 * Outgoing, here: each preserved object gets a record {phys, slot size, slab
 * order} in a chain of chunk pages, and its slab's pages are preserved (one
 * block per slab, however many of its objects are kept). At serialize time
 * the chain becomes the subtree "baton,slab".
 *
 * Incoming (slab_in.c): the first restore reads and checks the whole chain. Restoring
 * an object restores its slab as a slab of the kmalloc class of that slot
 * size, with every recorded object of it allocated and the other slots free
 * -- so the allocator never hands out a slot a later restore will claim.
 */
#include "kho.h"
#include "kho_internal.h"
#include "slab_chain.h"
#include "buddy.h"
#include "kstring.h"
#include "panic.h"
#include "printk.h"
#include "slab.h"

static struct kho_slab_chunk *out_first, *out_last;

void kho_slab_out_reset(void)
{
	out_first = out_last = NULL;
}

/* What the records say of one slab: how many objects of it are kept, and
 * whether one of them is the object at phys. */
struct same_slab {
	phys_addr_t base;
	u32 order;
	u64 count;
	phys_addr_t phys;
	bool has_phys;
};

static bool count_same_slab(struct kho_slab_rec *r, void *arg)
{
	struct same_slab *s = arg;

	if (r->slot_size && ALIGN_DOWN(r->phys, PAGE_SIZE << r->slab_order) == s->base) {
		s->count++;
		s->has_phys |= r->phys == s->phys;
	}
	return true;
}

static void unpreserve_slab_pages(phys_addr_t base, u32 order)
{
	kho_unpreserve_pages(pfn_to_page(base >> PAGE_SHIFT), 1UL << order);
}

/*
 * The chain: out_first .. out_last, linked by next. Every chunk before
 * out_last is full (KHO_SLAB_CHUNK_RECS records); out_last holds at least
 * one, unless it is out_first (an empty chain keeps its first chunk). e.g.
 * 300 records: a full chunk, then one of 45. Preserving appends at the
 * end; unpreserving moves the last record into the hole and drops
 * out_last when that empties it.
 */
int kho_preserve_slab(void *obj)
{
	struct slab_object_info info;
	struct same_slab same;
	struct kho_slab_rec *r;

	if (!obj || !slab_object_info(obj, &info) ||
	    kmalloc_class_cache(info.slot_size) != info.cache) {
		pr_err("kho: %p is not an allocated kmalloc object; not preserved", obj);
		return -EINVAL;
	}
	same = (struct same_slab){ info.slab_base, info.slab_order, 0, virt_to_phys(obj), false };
	each_rec(out_first, count_same_slab, &same);
	if (same.has_phys)
		return -EEXIST;
	if (!same.count) { /* the first object of this slab: preserve the slab */
		int err = kho_preserve_pages(pfn_to_page(info.slab_base >> PAGE_SHIFT),
					     1UL << info.slab_order);

		if (err)
			return err;
	}
	if (!out_last || out_last->count == KHO_SLAB_CHUNK_RECS) {
		struct page *cp = kho_page_alloc(KHO_FAIL_SLAB);

		if (!cp || kho_preserve_pages(cp, 1) < 0) {
			if (cp)
				kho_page_free(cp);
			if (!same.count)
				unpreserve_slab_pages(info.slab_base, info.slab_order);
			return -ENOMEM;
		}
		if (out_last)
			out_last->next = page_to_phys(cp);
		else
			out_first = page_address(cp);
		out_last = page_address(cp);
	}
	r = &out_last->rec[out_last->count++];
	*r = (struct kho_slab_rec){ virt_to_phys(obj), info.slot_size, info.slab_order };
	return 0;
}

bool kho_slab_preserved(const void *obj)
{
	struct find f = { virt_to_phys(obj), NULL };

	each_rec(out_first, find_rec, &f);
	return f.found != NULL;
}

static void drop_chunk(struct kho_slab_chunk *c)
{
	kho_unpreserve_pages(virt_to_page(c), 1);
	kho_page_free(virt_to_page(c));
}

int kho_unpreserve_slab(void *obj)
{
	struct find f = { virt_to_phys(obj), NULL };
	struct same_slab same;
	struct kho_slab_rec *r;

	each_rec(out_first, find_rec, &f);
	if (!f.found)
		return -ENOENT;
	r = f.found;
	same = (struct same_slab){ ALIGN_DOWN(r->phys, PAGE_SIZE << r->slab_order), r->slab_order,
				   0, 0, false };
	/* Move the chain's last record into the hole (out_last holds one: a
	 * record was found). */
	BUG_ON(!out_last->count);
	*r = out_last->rec[--out_last->count];
	memset(&out_last->rec[out_last->count], 0, sizeof(*r));
	if (!out_last->count && out_last != out_first) {
		struct kho_slab_chunk *prev = out_first;

		while (phys_to_virt(prev->next) != out_last)
			prev = phys_to_virt(prev->next);
		drop_chunk(out_last);
		prev->next = 0;
		out_last = prev;
	}
	each_rec(out_first, count_same_slab, &same);
	if (!same.count) /* no object of that slab is kept any more */
		unpreserve_slab_pages(same.base, same.order);
	return 0;
}

static bool count_rec(struct kho_slab_rec *r, void *arg)
{
	(void)r;
	(*(u64 *)arg)++;
	return true;
}

int kho_slab_serialize(void)
{
	u64 n = 0;

	kho_remove_subtree(KHO_SLAB_SUBTREE);
	each_rec(out_first, count_rec, &n);
	if (!n) { /* everything was unpreserved: the chain goes too */
		while (out_first) {
			struct kho_slab_chunk *next =
				out_first->next ? phys_to_virt(out_first->next) : NULL;

			drop_chunk(out_first);
			out_first = next;
		}
		out_last = NULL;
		return 0;
	}
	return kho_add_subtree(KHO_SLAB_SUBTREE, out_first, PAGE_SIZE);
}

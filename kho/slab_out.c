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
#include "printk.h"
#include "slab.h"

static struct kho_slab_chunk *out_first, *out_last;

void kho_slab_out_reset(void)
{
	out_first = out_last = NULL;
}

struct same_slab {
	phys_addr_t base;
	u32 order;
	u64 count;
};

static bool count_same_slab(struct kho_slab_rec *r, void *arg)
{
	struct same_slab *s = arg;

	if (r->slot_size && ALIGN_DOWN(r->phys, PAGE_SIZE << r->slab_order) == s->base)
		s->count++;
	return true;
}

int kho_preserve_slab(void *obj)
{
	struct slab_object_info info;
	struct same_slab same;
	struct kho_slab_rec *r;
	int err;

	if (!obj || !slab_object_info(obj, &info) ||
	    kmalloc_class_cache(info.slot_size) != info.cache) {
		pr_err("kho: %p is not an allocated kmalloc object; not preserved", obj);
		return -EINVAL;
	}
	same = (struct same_slab){ info.slab_base, info.slab_order, 0 };
	each_rec(out_first, count_same_slab, &same);
	if (!same.count) { /* the first object of this slab: preserve the slab */
		err = kho_preserve_pages(pfn_to_page(info.slab_base >> PAGE_SHIFT),
					 1UL << info.slab_order);
		if (err)
			return err;
	}
	if (!out_last || out_last->count == KHO_SLAB_CHUNK_RECS) {
		struct page *cp = alloc_pages(__GFP_ZERO, 0);

		if (!cp || kho_preserve_pages(cp, 1) < 0) {
			if (cp)
				__free_pages(cp, 0);
			if (!same.count)
				kho_unpreserve_pages(pfn_to_page(info.slab_base >> PAGE_SHIFT),
						     1UL << info.slab_order);
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

int kho_unpreserve_slab(void *obj)
{
	struct find f = { virt_to_phys(obj), NULL };
	struct same_slab same;
	struct kho_slab_rec *r;

	each_rec(out_first, find_rec, &f);
	if (!f.found)
		return -ENOENT;
	r = f.found;
	same = (struct same_slab){ ALIGN_DOWN(r->phys, PAGE_SIZE << r->slab_order),
				   r->slab_order, 0 };
	/* Move the chain's last record into the hole. */
	*r = out_last->rec[--out_last->count];
	each_rec(out_first, count_same_slab, &same);
	if (!same.count) /* no object of that slab is kept any more */
		kho_unpreserve_pages(pfn_to_page(same.base >> PAGE_SHIFT), 1UL << same.order);
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
			struct kho_slab_chunk *next = out_first->next ? phys_to_virt(out_first->next)
								      : NULL;

			kho_unpreserve_pages(virt_to_page(out_first), 1);
			__free_pages(virt_to_page(out_first), 0);
			out_first = next;
		}
		out_last = NULL;
		return 0;
	}
	return kho_add_subtree(KHO_SLAB_SUBTREE, out_first, PAGE_SIZE);
}


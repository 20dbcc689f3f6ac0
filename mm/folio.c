/*
 * folio.c — folios: refcounted blocks of pages with a descriptor
 * (include/folio.h). The descriptors come from a slab cache; the pages from
 * alloc_page_desc, tagged with the descriptor so page_folio() works on any
 * page of the folio.
 */
#include "folio.h"
#include "buddy.h"
#include "panic.h"
#include "printk.h"
#include "slab.h"

static struct kmem_cache *folio_cache;

void folio_init(void)
{
	folio_cache = kmem_cache_create("folio", sizeof(struct folio), 16);
	if (!folio_cache)
		panic("folio: cannot create the descriptor cache");
}

struct folio *folio_alloc(gfp_t gfp, unsigned int order)
{
	struct folio *f;
	struct page *page;

	if (order > MAX_ORDER)
		return NULL;
	f = kmem_cache_alloc(folio_cache, GFP_KERNEL);
	if (!f)
		return NULL;
	page = alloc_page_desc(gfp, order, memdesc_ptr(MEMDESC_FOLIO, f));
	if (!page) {
		kmem_cache_free(folio_cache, f);
		return NULL;
	}
	*f = (struct folio){ .page = page, .order = order, .refcount = 1 };
	return f;
}

void folio_get(struct folio *f)
{
	BUG_ON(f->refcount <= 0);
	f->refcount++;
}

void folio_put(struct folio *f)
{
	if (f->refcount <= 0) {
		pr_err("folio: put of folio %p (pfn 0x%llx) with refcount %d; ignored", (void *)f,
		       (unsigned long long)folio_pfn(f), f->refcount);
		return;
	}
	if (--f->refcount)
		return;
	free_page_desc(f->page, f->order);
	kmem_cache_free(folio_cache, f);
}

struct folio *folio_desc_alloc(void)
{
	return kmem_cache_alloc(folio_cache, GFP_KERNEL);
}

void folio_desc_free(struct folio *f)
{
	kmem_cache_free(folio_cache, f);
}

/*
 * folio.c — folios: refcounted blocks of pages with a descriptor
 * (include/folio.h). The descriptors come from a slab cache; the pages from
 * alloc_page_desc, tagged with the descriptor so page_folio() works on any
 * page of the folio.
 *
 * folio_put checks the folio before it takes a reference away: a put of
 * a descriptor that is no live folio (freed by an earlier last put, or a
 * stray pointer) or of one with no reference left is a refcount
 * underflow, reported (mm/misuse.h) and ignored.
 */
#include "folio.h"
#include "buddy.h"
#include "mm/misuse.h"
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

/* Is f a folio handed out and not freed: an allocated object of the
 * descriptor cache, not waiting free in a magazine or the free queue,
 * whose first page names it? Reads nothing f does not pass first. */
static bool folio_live(const struct folio *f)
{
	struct slab *s = slab_of_page(f);
	const struct page *page;

	if (!s || s->cache != folio_cache || !slab_free_ok(s, f))
		return false;
	page = f->page;
	return (uintptr_t)page - (uintptr_t)memmap <
		       (memmap_end_pfn - memmap_start_pfn) * sizeof(struct page) &&
	       page->memdesc == memdesc_ptr(MEMDESC_FOLIO, f);
}

static __noinline void put_refused(const struct folio *f)
{
	if (!folio_live(f))
		misuse_report(MISUSE_FOLIO_REFCOUNT,
			      "folio: refcount underflow: folio_put of %p, which is no live folio "
			      "(put after its last reference was dropped, or not a folio); the put "
			      "is ignored",
			      (const void *)f);
	else
		misuse_report(MISUSE_FOLIO_REFCOUNT,
			      "folio: refcount underflow: folio_put of folio %p (pfn 0x%llx order "
			      "%u) with refcount %d; the put is ignored, the folio stays allocated",
			      (const void *)f, (unsigned long long)folio_pfn(f), f->order,
			      f->refcount);
}

void folio_put(struct folio *f)
{
	if (unlikely(!folio_live(f) || f->refcount <= 0)) {
		put_refused(f);
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

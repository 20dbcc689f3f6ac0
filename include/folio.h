/*
 * folio.h — a folio is a block of 2^order pages allocated as one object,
 * with a reference count; the last folio_put frees it. Its descriptor,
 * struct folio, is allocated separately (from a slab cache) and every page
 * of the block points at it through its memdesc word (include/page.h).
 */
#ifndef BATON_FOLIO_H
#define BATON_FOLIO_H

#include "compiler.h"
#include "gfp.h"
#include "page.h"

/*
 * Invariants: refcount >= 1 while the folio is reachable; for every page p
 * of [page, page + 2^order), p->memdesc == memdesc_ptr(MEMDESC_FOLIO, folio).
 */
struct folio {
	struct page *page; /* first page */
	u32 order;
	s32 refcount;
} __aligned(16);

struct folio *folio_alloc(gfp_t gfp, unsigned int order);
void folio_get(struct folio *folio);
void folio_put(struct folio *folio);

static inline unsigned int folio_order(const struct folio *f)
{
	return f->order;
}
static inline u64 folio_nr_pages(const struct folio *f)
{
	return 1UL << f->order;
}
static inline u64 folio_size(const struct folio *f)
{
	return PAGE_SIZE << f->order;
}
static inline u64 folio_pfn(const struct folio *f)
{
	return page_to_pfn(f->page);
}
static inline void *folio_address(const struct folio *f)
{
	return page_address(f->page);
}

/* The folio a page belongs to, or NULL if it belongs to none. */
static inline struct folio *page_folio(const struct page *page)
{
	return memdesc_type(page->memdesc) == MEMDESC_FOLIO ? memdesc_to_ptr(page->memdesc) : NULL;
}

static inline struct folio *virt_to_folio(const void *addr)
{
	return page_folio(virt_to_page(addr));
}

/* A bare descriptor, for KHO's restore (which brings its own pages and
 * fills in every field): not zeroed. */
struct folio *folio_desc_alloc(void);
void folio_desc_free(struct folio *folio);

/* Set up the folio descriptor cache; needs the slab allocator. */
void folio_init(void);

#endif

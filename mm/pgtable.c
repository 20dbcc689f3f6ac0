/*
 * pgtable.c — page-table pages from the page allocator
 * (include/pgtable.h). Tables are never given back: vmalloc's address
 * range keeps its tables for the next area.
 */
#include "pgtable.h"
#include "buddy.h"
#include "page.h"

phys_addr_t pgtable_page_alloc(void)
{
	struct page *pg = alloc_page_desc(__GFP_ZERO, 0, memdesc_make(MEMDESC_PGTABLE, 0));

	return pg ? page_to_phys(pg) : 0;
}

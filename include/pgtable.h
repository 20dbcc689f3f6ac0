/*
 * pgtable.h — page-table pages from the page allocator, for both arches'
 * table walkers (arch/arm64/mmu.c, arch/x86_64/pgtable.c): one place that
 * says what a table page is to the allocator (mm/pgtable.c).
 */
#ifndef BATON_PGTABLE_H
#define BATON_PGTABLE_H

#include "types.h"

/* A zeroed page for a page table, marked MEMDESC_PGTABLE in the memmap
 * (so the memory census counts it as such). Its physical address, or 0
 * when memory is out. */
phys_addr_t pgtable_page_alloc(void);

#endif

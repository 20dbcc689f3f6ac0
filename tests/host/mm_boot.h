/*
 * mm_boot.h — bring up mm/ on fake RAM for a host test, as kernel_main does
 * on a machine: memblock -> buddy -> slab -> folio.
 */
#ifndef BATON_TESTS_HOST_MM_BOOT_H
#define BATON_TESTS_HOST_MM_BOOT_H

#include "types.h"

#define MM_RAM_BASE 0x40000000ULL

/* ram_size bytes of RAM at MM_RAM_BASE, the first MiB reserved. */
void mm_boot(u64 ram_size);

/* Pages the allocators hold for themselves: slab pages of every cache. */
u64 mm_slab_pages(void);

#endif

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

/*
 * One generation of a kernel with KHO on fake RAM that survives between
 * calls, as kernel_main brings it up: memblock (the first MiB reserved as
 * "firmware", MM_KERNEL_IMAGE as this kernel's image), the KHO scan of
 * boot_fdt's handover (if any), MM_KHO_SCRATCH of fresh scratch on a cold
 * boot, then buddy, the preserved marks, slab, folios, vmalloc. The two-
 * kernel tests call it once per generation.
 */
#define MM_KERNEL_IMAGE(ram_base) ((ram_base) + (2ULL << 20))
#define MM_KHO_SCRATCH (16ULL << 20)
void mm_boot_generation(u64 ram_base, u64 ram_size, const void *boot_fdt);

/* Pages the allocators hold for themselves: slab pages of every cache. */
u64 mm_slab_pages(void);

#endif

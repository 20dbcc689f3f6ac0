/*
 * bootmem.h — turning the boot FDT's memory map into memblock's, at boot.
 */
#ifndef BATON_BOOTMEM_H
#define BATON_BOOTMEM_H

#include "types.h"

/* Fill memblock from fdt (at fdt_phys): /memory as RAM; the reservation
 * block, /reserved-memory, the kernel image, the FDT and the pristine image
 * copy (/chosen/baton,image) as reserved. Maps RAM into the direct map and
 * prints the layout. Panics when the FDT names no RAM. */
void bootmem_init(const void *fdt, phys_addr_t fdt_phys);

#endif

/*
 * arch/mmu.h — how generic code reaches physical memory and devices.
 *
 * Both architectures use the same virtual layout:
 *   PAGE_OFFSET 0xffff800000000000  direct map: virt = phys + PAGE_OFFSET
 *   KERNEL_VBASE 0xffffffff80000000 the kernel image, wherever it was loaded
 * The direct map covers RAM (and, on arm64, devices mapped by arch_ioremap);
 * what exactly is mapped when is each arch's business.
 */
#ifndef BATON_ARCH_MMU_H
#define BATON_ARCH_MMU_H

#include "types.h"

#define PAGE_SHIFT 12
#define PAGE_SIZE (1UL << PAGE_SHIFT)
#define KERNEL_VBASE 0xffffffff80000000UL
#if __STDC_HOSTED__
/* The host unit tests' "physical memory" is an mmap'd arena; its offset is
 * set by tests/host/fake_arch.c. */
extern uintptr_t host_page_offset;
#define PAGE_OFFSET host_page_offset
#else
#define PAGE_OFFSET 0xffff800000000000UL
#endif

static inline void *phys_to_virt(phys_addr_t pa)
{
	return (void *)(uintptr_t)(pa + PAGE_OFFSET);
}

static inline phys_addr_t virt_to_phys(const void *va)
{
	return (phys_addr_t)(uintptr_t)va - PAGE_OFFSET;
}

/* Map size bytes of device registers at phys, uncached; NULL if it cannot. */
void *arch_ioremap(phys_addr_t phys, u64 size);

/* Make [phys, phys + size) of RAM reachable through phys_to_virt (the boot
 * FDT, before the memory map is known). Returns false if it cannot. */
bool arch_map_early(phys_addr_t phys, u64 size);

#endif

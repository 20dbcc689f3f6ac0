/*
 * arch/mmu.h — how generic code reaches physical memory and devices.
 *
 * Both architectures use the same virtual layout:
 *   PAGE_OFFSET   0xffff800000000000 direct map: virt = phys + PAGE_OFFSET
 *   VMALLOC_START 0xffffc90000000000 vmalloc areas, 1 TiB, 4 KiB pages
 *   KERNEL_VBASE  0xffffffff80000000 the kernel image, wherever it was loaded
 * The direct map covers RAM (and, on arm64, devices mapped by arch_ioremap);
 * what exactly is mapped when is each arch's business.
 */
#ifndef BATON_ARCH_MMU_H
#define BATON_ARCH_MMU_H

#include "types.h"
#include "arch/layout.h"

#define PAGE_SIZE (1UL << PAGE_SHIFT)
#if __STDC_HOSTED__
/* The host unit tests' "physical memory" is an mmap'd arena and their
 * vmalloc range a reserved stretch of address space; tests/host/fake_arch.c
 * sets both. */
extern uintptr_t host_page_offset, host_vmalloc_start;
#define PAGE_OFFSET host_page_offset
#define VMALLOC_START host_vmalloc_start
#else
#define PAGE_OFFSET 0xffff800000000000UL
#define VMALLOC_START 0xffffc90000000000UL

#endif
#define VMALLOC_SIZE (1UL << 40)
#define VMALLOC_END (VMALLOC_START + VMALLOC_SIZE)

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

/* Kernel page tables at 4 KiB granularity, for vmalloc. va is page
 * aligned and inside [VMALLOC_START, VMALLOC_END); the mapping is normal
 * memory, read/write. Missing intermediate tables come from the page
 * allocator: false when it has none. */
bool arch_map_kernel_page(unsigned long va, phys_addr_t pa);
/* Remove the mapping of va (if any) and flush it from the TLB. */
void arch_unmap_kernel_page(unsigned long va);
/* What the kernel may do at va, as the page tables say (fault.h has the
 * rules): an OR of these, 0 when va is not mapped. */
#define ARCH_PAGE_READ 1
#define ARCH_PAGE_WRITE 2
#define ARCH_PAGE_EXEC 4
unsigned arch_page_rights(unsigned long va);

/* The guard pages (never mapped) right below the kernel's two stacks: the
 * boot stack the kernel runs on, and the one exceptions run on. */
unsigned long arch_boot_stack_guard(void);
unsigned long arch_exception_stack_guard(void);

/* Where va is mapped to; false when it is not mapped. */
bool arch_kernel_page_phys(unsigned long va, phys_addr_t *pa);

#endif

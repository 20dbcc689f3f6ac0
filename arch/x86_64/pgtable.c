/*
 * pgtable.c — x86-64 kernel page tables at 4 KiB granularity, for vmalloc
 * (the hooks of include/arch/mmu.h). Four levels: PML4, PDPT, PD, PT, each
 * 512 entries; a walk starts from CR3, which entry.S pointed at its boot
 * tables. Tables added here come from the page allocator (memdesc
 * PGTABLE) and are reached through the direct map.
 *
 * Also the direct map above 4 GiB (entry.S maps only the low 4 GiB): 2 MiB
 * pages, with tables from a small pool in bss, because this happens at
 * boot before there is a page allocator.
 */
#include "pgtable.h"
#include "x86.h"
#include "buddy.h"
#include "compiler.h"
#include "arch/mmu.h"

#define PTE_ADDR 0x000ffffffffff000UL

static u64 *table(u64 entry)
{
	return phys_to_virt(entry & PTE_ADDR);
}

static u64 *root(void)
{
	u64 cr3;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	return table(cr3);
}

/* The level-1 entry for va, creating tables on the way when create. */
static u64 *walk(unsigned long va, bool create)
{
	u64 *t = root();

	for (int shift = 39; shift > 12; shift -= 9) {
		u64 *e = &t[(va >> shift) & 511];

		if (!(*e & PTE_P)) {
			phys_addr_t pt = create ? pgtable_page_alloc() : 0;

			if (!pt)
				return NULL;
			*e = pt | PTE_P | PTE_W;
		} else if (*e & PTE_PS) {
			return NULL; /* a large page: not vmalloc's */
		}
		t = table(*e);
	}
	return &t[(va >> 12) & 511];
}

#define EARLY_TABLES 32 /* each maps 1 GiB of RAM above 4 GiB */
static u64 early_pool[EARLY_TABLES][512] __aligned(4096);
static unsigned early_used;

/* A zeroed pool table and its physical address (the pool is in the image,
 * which is below 4 GiB and so in the direct map too). */
static u64 *early_table(u64 *phys)
{
	u64 *t;

	if (early_used == EARLY_TABLES)
		return NULL;
	t = early_pool[early_used++];
	*phys = (u64)(uintptr_t)t - KERNEL_VBASE + image_phys_base;
	return t;
}

bool x86_map_direct(phys_addr_t pa, u64 size)
{
	u64 start = ALIGN_DOWN(pa, MiB(2)), end = ALIGN_UP(pa + size, MiB(2));

	for (u64 a = start; a < end; a += MiB(2)) {
		unsigned long va = PAGE_OFFSET + a;
		u64 *t = root(), *e;

		for (int shift = 39; shift > 21; shift -= 9) {
			e = &t[(va >> shift) & 511];
			if (!(*e & PTE_P)) {
				u64 phys, *next = early_table(&phys);

				if (!next)
					return false;
				*e = phys | PTE_P | PTE_W;
			}
			t = table(*e);
		}
		e = &t[(va >> 21) & 511];
		if (!*e)
			*e = a | PTE_P | PTE_W | PTE_PS | x86_pte_nx;
	}
	__asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
	return true;
}

bool arch_map_kernel_page(unsigned long va, phys_addr_t pa)
{
	u64 *pte = walk(va, true);

	if (!pte)
		return false;
	*pte = pa | PTE_P | PTE_W | x86_pte_nx;
	return true;
}

void arch_unmap_kernel_page(unsigned long va)
{
	u64 *pte = walk(va, false);

	if (pte) {
		*pte = 0;
		__asm__ volatile("invlpg (%0)" : : "r"(va) : "memory");
	}
}

bool arch_kernel_page_phys(unsigned long va, phys_addr_t *pa)
{
	u64 *pte = walk(va, false);

	if (!pte || !(*pte & PTE_P))
		return false;
	*pa = (*pte & PTE_ADDR) | (va & (PAGE_SIZE - 1));
	return true;
}

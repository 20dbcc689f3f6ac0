/*
 * protect.c — x86-64 memory protection (the rules are in fault.h): the
 * kernel image mapped with 4 KiB pages, text read-only and executable,
 * rodata read-only, data and bss writable and never executable, the two
 * stacks' guard pages not mapped; the direct map and vmalloc never
 * executable; the identity map of the low 4 GiB (PML4[0]) out of the
 * tables while the kernel runs, so that page zero and every low address
 * fault. kexec puts the identity map back for its last jump.
 *
 * entry.S mapped everything read/write/executable with 2 MiB pages, from
 * tables in bss that stay the kernel's. x86_protect_kernel (arch_early_init,
 * once the exception handlers are in place) first gives each 2 MiB page of
 * the image a table of 4 KiB pages of the same frames and rights -- only the
 * page size changes, which needs no break in the mapping -- flushes the TLB,
 * then takes rights away page by page and flushes again.
 *
 * Supervisor writes honour read-only pages only with CR0.WP set, and the
 * NX bit means anything only with EFER.NXE (it is reserved otherwise):
 * both are set here, NXE only if CPUID says the CPU has NX.
 */
#include "x86.h"
#include "fault.h"
#include "kernel.h"
#include "printk.h"
#include "panic.h"
#include "arch/mmu.h"

#define MSR_EFER 0xc0000080
#define EFER_NXE (1UL << 11)
#define CR0_WP (1UL << 16)
#define CR4_PGE (1UL << 7)
#define PTE_ADDR 0x000ffffffffff000UL

u64 x86_pte_nx;

extern u64 boot_pml4[512], boot_pd_high[512];            /* entry.S */
extern char boot_stack_guard[], exception_stack_guard[]; /* entry.S */

/* The image's 4 KiB tables: 8 MiB of kernel at most (linker/x86_64.ld
 * checks it). */
#define IMAGE_TABLES 4
static u64 image_pt[IMAGE_TABLES][512] __aligned(4096);

/* Every translation out of the TLB, global ones too. */
static void flush_all(void)
{
	u64 cr4;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	if (cr4 & CR4_PGE)
		__asm__ volatile("mov %0, %%cr4; mov %1, %%cr4"
				 :
				 : "r"(cr4 & ~CR4_PGE), "r"(cr4)
				 : "memory");
	else
		__asm__ volatile("mov %%cr3, %%rax; mov %%rax, %%cr3" ::: "rax", "memory");
}

static u64 image_phys(unsigned long va)
{
	return va - KERNEL_VBASE + image_phys_base;
}

/* The final rights of the image page at va (0: not mapped). */
static u64 image_page_rights(unsigned long va)
{
	if (va >= (unsigned long)_kernel_end || fault_in_stack_guard(va))
		return 0;
	if (va < (unsigned long)__rodata_start)
		return PTE_P;
	if (va < (unsigned long)__data_start)
		return PTE_P | x86_pte_nx;
	return PTE_P | PTE_W | x86_pte_nx;
}

void x86_protect_kernel(void)
{
	unsigned long start = (unsigned long)_kernel_start;
	unsigned slots = (unsigned)(ALIGN_UP((unsigned long)_kernel_end - start, MiB(2)) / MiB(2));
	u32 r[4];
	u64 cr0;

	cpuid(0x80000000, 0, r);
	if (r[0] >= 0x80000001) {
		cpuid(0x80000001, 0, r);
		if (r[3] & (1u << 20)) {
			wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
			x86_pte_nx = 1UL << 63;
		}
	}
	if (!x86_pte_nx)
		pr_warn("x86: the CPU has no NX bit: data stays executable (text is still read-only)");
	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0 | CR0_WP) : "memory");

	BUG_ON(slots > IMAGE_TABLES); /* the linker script's ASSERT says so too */
	/* 1. The same mapping in 4 KiB pages. */
	for (unsigned i = 0; i < slots; i++) {
		for (unsigned j = 0; j < 512; j++) {
			unsigned long va = start + i * MiB(2) + j * PAGE_SIZE;

			image_pt[i][j] = va < (unsigned long)_kernel_end
						 ? image_phys(va) | PTE_P | PTE_W
						 : 0;
		}
		boot_pd_high[i] = image_phys((unsigned long)image_pt[i]) | PTE_P | PTE_W;
	}
	flush_all();
	/* 2. Each page's own rights; the direct map never executable; the
	 * identity map gone. */
	for (unsigned i = 0; i < slots; i++)
		for (unsigned j = 0; j < 512; j++) {
			unsigned long va = start + i * MiB(2) + j * PAGE_SIZE;
			u64 rights = image_page_rights(va);

			image_pt[i][j] = rights ? image_phys(va) | rights : 0;
		}
	boot_pml4[256] |= x86_pte_nx;
	boot_pml4[0] = 0;
	flush_all();
}

void x86_identity_map_on(void)
{
	boot_pml4[0] = (boot_pml4[256] & PTE_ADDR) | PTE_P | PTE_W;
	flush_all();
}

/* arch/mmu.h: the rights of va from a walk of the live tables. A right
 * holds only if every level grants it (W set and NX clear at each). */
unsigned arch_page_rights(unsigned long va)
{
	u64 cr3, *t;
	unsigned rights = ARCH_PAGE_READ | ARCH_PAGE_WRITE | ARCH_PAGE_EXEC;

	__asm__ volatile("mov %%cr3, %0" : "=r"(cr3));
	t = phys_to_virt(cr3 & PTE_ADDR);
	for (int shift = 39; shift >= 12; shift -= 9) {
		u64 e = t[(va >> shift) & 511];

		if (!(e & PTE_P))
			return 0;
		if (!(e & PTE_W))
			rights &= ~ARCH_PAGE_WRITE;
		if (e & x86_pte_nx)
			rights &= ~ARCH_PAGE_EXEC;
		if (shift == 12 || (shift <= 30 && (e & PTE_PS)))
			break;
		t = phys_to_virt(e & PTE_ADDR);
	}
	return rights;
}

unsigned long arch_boot_stack_guard(void)
{
	return (unsigned long)boot_stack_guard;
}

unsigned long arch_exception_stack_guard(void)
{
	return (unsigned long)exception_stack_guard;
}

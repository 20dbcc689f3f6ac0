/*
 * mmu.c — arm64 page tables: 4 KiB granule, 48-bit VAs, 4 levels, blocks
 * only (1 GiB at level 1, 2 MiB at level 2).
 *
 * Two roots:
 *   TTBR0 (low VAs): the identity map of the image, needed for the moment
 *                    the MMU turns on (and later by kexec's trampoline);
 *   TTBR1 (high VAs): the image at KERNEL_VBASE, and the direct map at
 *                    PAGE_OFFSET, filled on demand by arch_map_early (RAM)
 *                    and arch_ioremap (devices).
 *
 * early_map() runs from head.S with the MMU OFF, at the physical address.
 * That is why this file is built with -mstrict-align (no unaligned
 * accesses on Device memory) and without the stack protector (the guard is
 * not set yet), and why it reaches its globals PC-relative only (no
 * pointers stored in data). The self-test arm64.no_map_unmapped asks the
 * MMU (AT S1E1R) that the device tree's no-map regions are not mapped. Tables come from a pool in
 * bss; `va_of_pa` turns a table's physical address into a pointer in both worlds.
 */
#include "arm64.h"
#include "buddy.h"
#include "kernel.h"
#include "kstring.h"
#include "pgtable.h"
#include "fault.h"
#include "printk.h"
#include "bootfdt.h"
#include "ktest.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include <libfdt.h>

#define PTE_VALID (1UL << 0)
#define PTE_TABLE (1UL << 1) /* with VALID: next-level table (L0-L2) */
#define PTE_ATTR(i) ((u64)(i) << 2)
#define PTE_SH_INNER (3UL << 8)
#define PTE_AP_RO (1UL << 7) /* AP[2]: read-only */
#define PTE_AF (1UL << 10)
#define PTE_PXN (1UL << 53)
#define PTE_UXN (1UL << 54)
#define PTE_ADDR_MASK 0x0000fffffffff000UL

/* MAIR slots. */
#define ATTR_DEVICE 0 /* Device-nGnRE */
#define ATTR_NORMAL 1 /* Normal, write-back, read/write-allocate */
#define MAIR_VALUE ((0x04UL << (8 * ATTR_DEVICE)) | (0xffUL << (8 * ATTR_NORMAL)))

#define BLOCK_NORMAL (PTE_VALID | PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF)
/* RAM in the direct map is data: never fetched as instructions, so nothing
 * written there (a kexec slot, preserved pages) is ever speculatively
 * fetched through it. Only the image mappings are executable. */
#define BLOCK_DATA (BLOCK_NORMAL | PTE_PXN | PTE_UXN)
#define BLOCK_DEVICE (PTE_VALID | PTE_ATTR(ATTR_DEVICE) | PTE_AF | PTE_PXN | PTE_UXN)

/* 4 KiB pages of the image (level 3), by section: fault.h's rules. */
#define PAGE_ATTRS (PTE_VALID | PTE_TABLE | PTE_ATTR(ATTR_NORMAL) | PTE_SH_INNER | PTE_AF)
#define PAGE_TEXT (PAGE_ATTRS | PTE_AP_RO | PTE_UXN)
#define PAGE_RODATA (PAGE_ATTRS | PTE_AP_RO | PTE_PXN | PTE_UXN)
#define PAGE_DATA (PAGE_ATTRS | PTE_PXN | PTE_UXN)
/* vmalloc pages are data too. */
#define PAGE_NORMAL PAGE_DATA

#define POOL_PAGES 40
static u64 pool[POOL_PAGES][512] __aligned(4096);
static unsigned pool_used;
static u64 *root_low, *root_high; /* as pointers valid in the current world */
static u64 va_of_pa;              /* pointer = phys + va_of_pa */

u64 image_phys_base;
extern char boot_stack_guard[], exception_stack_guard[]; /* head.S */

/* Tables from the bss pool are reached through the image mapping (or at
 * their physical address with the MMU off); tables from the page
 * allocator, later, through the direct map. */
static u64 *table_ptr(u64 pte)
{
	u64 pa = pte & PTE_ADDR_MASK;
	u64 pool_pa = (u64)(uintptr_t)pool - va_of_pa;

	if (pa >= pool_pa && pa < pool_pa + sizeof(pool))
		return (u64 *)(uintptr_t)(pa + va_of_pa);
	return phys_to_virt(pa);
}

static u64 table_phys(const u64 *t)
{
	return (u64)(uintptr_t)t - va_of_pa;
}

static u64 *new_table(void)
{
	u64 *t;

	if (pool_used == POOL_PAGES)
		return NULL;
	/* &pool is PC-relative: physical with the MMU off, virtual after. */
	t = pool[pool_used++];
	for (int i = 0; i < 512; i++)
		t[i] = 0;
	return t;
}

/*
 * Map [va, va + size) to pa with block descriptors of type attrs. va, pa
 * and size are 2 MiB aligned. Invariant of the tables built here: an entry
 * is either 0, a table, or a block, and a block is never split: mapping
 * over an existing block succeeds only if it maps the same pa with the same
 * attributes.
 */
static bool map_blocks(u64 *root, u64 va, u64 pa, u64 size, u64 attrs)
{
	while (size) {
		u64 *t = root;
		int level;

		for (level = 0; level < 3; level++) {
			unsigned shift = 39 - 9 * level;
			u64 *e = &t[(va >> shift) & 511];
			u64 block = 1UL << shift;

			if (level >= 1 && IS_ALIGNED(va | pa, block) && size >= block && *e == 0) {
				*e = pa | attrs;
				va += block;
				pa += block;
				size -= block;
				break;
			}
			if (level >= 1 && (*e & (PTE_VALID | PTE_TABLE)) == PTE_VALID) {
				/* Already a block: fine if it is this very mapping. */
				u64 off = va & (block - 1);

				if ((*e & PTE_ADDR_MASK) + off != pa ||
				    (*e & ~PTE_ADDR_MASK) != attrs)
					return false;
				u64 step = MIN(size, block - off);
				va += step;
				pa += step;
				size -= step;
				break;
			}
			if (level == 2)
				return false; /* 2 MiB is the smallest we map */
			if (*e == 0) {
				u64 *next = new_table();

				if (!next)
					return false;
				*e = table_phys(next) | PTE_VALID | PTE_TABLE;
			}
			t = table_ptr(*e);
		}
	}
	return true;
}

enum table_source { TABLES_NONE, TABLES_FROM_POOL, TABLES_FROM_ALLOCATOR };

/* The level-3 entry for va under root, creating missing tables from
 * source on the way (the bss pool early, with the MMU off; the page
 * allocator later); NULL when a table is missing and cannot be made, or a
 * block maps va. */
static u64 *walk_4k_in(u64 *root, unsigned long va, enum table_source source)
{
	u64 *t = root;

	for (int level = 0; level < 3; level++) {
		u64 *e = &t[(va >> (39 - 9 * level)) & 511];

		if (*e == 0) {
			u64 *pool_table = source == TABLES_FROM_POOL ? new_table() : NULL;
			phys_addr_t pt = pool_table                        ? table_phys(pool_table)
					 : source == TABLES_FROM_ALLOCATOR ? pgtable_page_alloc()
									   : 0;

			if (!pt)
				return NULL;
			__asm__ volatile("dsb ishst" ::: "memory"); /* zeroes before the link */
			*e = pt | PTE_VALID | PTE_TABLE;
		} else if ((*e & (PTE_VALID | PTE_TABLE)) != (PTE_VALID | PTE_TABLE)) {
			return NULL; /* a block: not vmalloc's */
		}
		t = table_ptr(*e);
	}
	return &t[(va >> 12) & 511];
}

/* The rights of the image's page at offset off (fault.h's rules): text
 * read-only and executable, rodata and the pristine copy of the Image
 * read-only, data and bss read/write, the stacks' guard pages unmapped.
 * Symbols are compared as offsets from _kernel_start, which holds with the
 * MMU off (PC-relative, physical) and on alike. */
static u64 image_page_attrs(u64 off)
{
	u64 text = (u64)(__rodata_start - _kernel_start);
	u64 data = (u64)(__data_start - _kernel_start);
	u64 pristine = (u64)(__pristine_start - _kernel_start);

	if (off == (u64)(boot_stack_guard - _kernel_start) ||
	    off == (u64)(exception_stack_guard - _kernel_start))
		return 0;
	if (off < text)
		return PAGE_TEXT;
	if (off < data || off >= pristine)
		return PAGE_RODATA;
	return PAGE_DATA;
}

/* The image at KERNEL_VBASE in 4 KiB pages, from the pool (MMU off). */
static bool map_image(u64 phys_base)
{
	u64 size = kernel_image_size();

	for (u64 off = 0; off < size; off += PAGE_SIZE) {
		u64 *pte = walk_4k_in(root_high, KERNEL_VBASE + off, TABLES_FROM_POOL);
		u64 attrs = image_page_attrs(off);

		if (!pte)
			return false;
		*pte = attrs ? (phys_base + off) | attrs : 0;
	}
	return true;
}

/* MMU off, physical addresses: see the file comment. x0 = TTBR0, x1 = TTBR1
 * come back in a struct returned in registers. */
struct ttbrs {
	u64 ttbr0, ttbr1;
};

struct ttbrs early_map(u64 phys_base);
struct ttbrs early_map(u64 phys_base)
{
	u64 size = ALIGN_UP(kernel_image_size(), MiB(2));
	struct ttbrs r = { 0, 0 };

	va_of_pa = 0;
	root_low = new_table();
	root_high = new_table();
	if (!map_blocks(root_low, phys_base, phys_base, size, BLOCK_NORMAL) ||
	    !map_image(phys_base))
		return r; /* cannot happen with the pool sized as it is */
	r.ttbr0 = table_phys(root_low);
	r.ttbr1 = table_phys(root_high);
	/* From the MMU-on world, tables are reached through the image map. */
	va_of_pa = KERNEL_VBASE - phys_base;
	root_low = (u64 *)(uintptr_t)(r.ttbr0 + va_of_pa);
	root_high = (u64 *)(uintptr_t)(r.ttbr1 + va_of_pa);
	return r;
}

/* MAIR_EL1 and TCR_EL1 for head.S (x0, x1). */
struct mmu_regs {
	u64 mair, tcr;
};

struct mmu_regs mmu_regs_value(void);
struct mmu_regs mmu_regs_value(void)
{
	u64 parange = read_sysreg(id_aa64mmfr0_el1) & 0xf;
	u64 tcr = 16UL                       /* T0SZ: 48-bit low half */
		  | (1UL << 8) | (1UL << 10) /* IRGN0/ORGN0: WBWA walks */
		  | (3UL << 12)              /* SH0: inner shareable */
		  | (16UL << 16)             /* T1SZ: 48-bit high half */
		  | (1UL << 24) | (1UL << 26) | (3UL << 28) | (2UL << 30) /* TG1: 4 KiB */
		  | (MIN(parange, 5UL) << 32); /* IPS = the CPU's PA range */

	return (struct mmu_regs){ MAIR_VALUE, tcr };
}

static bool map_high(phys_addr_t phys, u64 size, u64 attrs)
{
	u64 base = ALIGN_DOWN(phys, MiB(2));
	u64 end = ALIGN_UP(phys + size, MiB(2));
	bool ok;

	if (phys + size < phys || end > (1UL << 48))
		return false;
	ok = map_blocks(root_high, PAGE_OFFSET + base, base, end - base, attrs);
	__asm__ volatile("dsb ishst; tlbi vmalle1is; dsb ish; isb" ::: "memory");
	return ok;
}

bool arch_map_early(phys_addr_t phys, u64 size)
{
	return map_high(phys, size, BLOCK_DATA);
}

void *arch_ioremap(phys_addr_t phys, u64 size)
{
	return map_high(phys, size, BLOCK_DEVICE) ? phys_to_virt(phys) : NULL;
}

phys_addr_t arch_image_phys_base(void)
{
	return image_phys_base;
}

/* 4 KiB pages for vmalloc: level-3 tables under TTBR1, from the page
 * allocator. Returns the level-3 entry for va, or NULL. */
static u64 *walk_4k(unsigned long va, bool create)
{
	return walk_4k_in(root_high, va, create ? TABLES_FROM_ALLOCATOR : TABLES_NONE);
}

bool arch_map_kernel_page(unsigned long va, phys_addr_t pa)
{
	u64 *pte = walk_4k(va, true);

	if (!pte)
		return false;
	*pte = pa | PAGE_NORMAL;
	__asm__ volatile("dsb ishst; isb" ::: "memory");
	return true;
}

void arch_unmap_kernel_page(unsigned long va)
{
	u64 *pte = walk_4k(va, false);

	if (!pte)
		return;
	*pte = 0;
	__asm__ volatile("dsb ishst; tlbi vaae1is, %0; dsb ish; isb" : : "r"(va >> 12) : "memory");
}

bool arch_kernel_page_phys(unsigned long va, phys_addr_t *pa)
{
	u64 *pte = walk_4k(va, false);

	if (!pte || !(*pte & PTE_VALID))
		return false;
	*pa = (*pte & PTE_ADDR_MASK) | (va & (PAGE_SIZE - 1));
	return true;
}

#define TCR_EPD0 (1UL << 7) /* no walks of TTBR0: every low VA faults */

void arm64_identity_map_off(void)
{
	__asm__ volatile("msr tcr_el1, %0; isb; tlbi vmalle1; dsb nsh; isb"
			 :
			 : "r"(read_sysreg(tcr_el1) | TCR_EPD0)
			 : "memory");
}

void arm64_identity_map_on(void)
{
	__asm__ volatile("msr tcr_el1, %0; isb"
			 :
			 : "r"(read_sysreg(tcr_el1) & ~TCR_EPD0)
			 : "memory");
}

/* Can the MMU translate va for a read (AT S1E1R) or a write (AT S1E1W)? */
static bool at_ok(unsigned long va, bool write)
{
	u64 par;

	if (write)
		__asm__ volatile("at s1e1w, %1; isb; mrs %0, par_el1"
				 : "=r"(par)
				 : "r"(va)
				 : "memory");
	else
		__asm__ volatile("at s1e1r, %1; isb; mrs %0, par_el1"
				 : "=r"(par)
				 : "r"(va)
				 : "memory");
	return !(par & 1); /* PAR_EL1.F: the walk faulted */
}

#define PTE_PXN_TABLE (1UL << 59)

/* arch/mmu.h: read and write as the MMU answers them; execute from the
 * live tables (AT does not tell it): no PXN on the leaf, no PXNTable on the
 * way down. */
unsigned arch_page_rights(unsigned long va)
{
	unsigned rights = 0;
	u64 *t = root_high;

	if (!at_ok(va, false))
		return 0;
	rights = ARCH_PAGE_READ | (at_ok(va, true) ? ARCH_PAGE_WRITE : 0);
	if (va < KERNEL_VBASE && va < PAGE_OFFSET)
		return rights; /* the low half: not the kernel's to run from */
	for (int level = 0; level <= 3; level++) {
		u64 e = t[(va >> (39 - 9 * level)) & 511];
		bool leaf = level == 3 || (e & (PTE_VALID | PTE_TABLE)) == PTE_VALID;

		if (leaf)
			return (e & PTE_PXN) ? rights : rights | ARCH_PAGE_EXEC;
		if (e & PTE_PXN_TABLE)
			return rights;
		t = table_ptr(e);
	}
	return rights;
}

/* Does the direct map translate pa? Asked of the MMU itself (AT S1E1R),
 * not of our idea of the tables. */
static bool direct_mapped(phys_addr_t pa)
{
	return at_ok((unsigned long)phys_to_virt(pa), false);
}

/* Every no-map region of the boot FDT is out of the direct map, with the
 * 2 MiB blocks around it (kernel/bootmem.c), unless it shares a block with
 * the kernel or the FDT (reported at boot); plain reservations stay in. */
KTEST(arm64, no_map_unmapped)
{
	static struct bootfdt_resv r[64];
	phys_addr_t kbase = arch_image_phys_base(), fdt = virt_to_phys(t->fdt);
	u64 ksize = kernel_image_size(), fsize = fdt_totalsize(t->fdt);
	int n = bootfdt_reserved(t->fdt, r, 64);

	KT_EXPECT(t, n >= 0);
	for (int i = 0; i < n; i++) {
		phys_addr_t hb = ALIGN_DOWN(r[i].base, MiB(2));
		phys_addr_t he = ALIGN_UP(r[i].base + r[i].size, MiB(2));

		if (!r[i].no_map) {
			if (!direct_mapped(r[i].base))
				ktest_fail(t, "reserved 0x%llx (%s) is not mapped",
					   (unsigned long long)r[i].base, r[i].name);
			continue;
		}
		if ((kbase < he && hb < kbase + ksize) || (fdt < he && hb < fdt + fsize))
			continue;
		for (phys_addr_t pa = hb; pa < he; pa += MiB(1))
			if (direct_mapped(pa))
				ktest_fail(t, "no-map %s: 0x%llx is in the direct map", r[i].name,
					   (unsigned long long)pa);
		if (direct_mapped(r[i].base + r[i].size - 1))
			ktest_fail(t, "no-map %s: its last byte is in the direct map", r[i].name);
	}
}

unsigned long arch_boot_stack_guard(void)
{
	return (unsigned long)boot_stack_guard;
}

unsigned long arch_exception_stack_guard(void)
{
	return (unsigned long)exception_stack_guard;
}

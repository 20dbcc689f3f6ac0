/*
 * page.h — memdesc: one word per 4 KiB page of RAM (docs/design.md section 5).
 *
 *     struct page { unsigned long memdesc; };   8 bytes per page, 0.2% of RAM
 *
 * The low 4 bits of the word are the page's type; the rest is either a
 * pointer to a typed descriptor (16-byte aligned, so its low bits are free)
 * or small data:
 *
 *   type            rest of the word            which pages
 *   RESERVED  0     0                           not the allocator's
 *   FREE      1     order << 4                  head of a free buddy block
 *                   0xfc << 4                   a page in the buddy's per-CPU
 *                                               cache (include/buddy.h)
 *   FREE_TAIL 2     0                           every other page of it
 *   PAGES     3     order << 4                  every page of an alloc_pages block
 *   FOLIO     4     struct folio *              every page of a folio
 *   SLAB      5     struct slab *               every page of a slab
 *   PGTABLE   6     0                           page-table pages
 *   PRESERVED 7     head: (KHO magic << 16 |    KHO: preserved, not restored
 *                   owner << 8 | order) << 4;   (kho/restore.c)
 *                   tail: 0xff << 4
 *
 * A FREE or FREE_TAIL word may also carry MEMDESC_POISONED: the page holds
 * the page-poison pattern since it was freed (page_poison=, mm/buddy.c),
 * and is checked for it when it is handed out again.
 *
 * Every page of an allocated block carries the same word, so page_folio()
 * and kfree() work from any page, and a free checks that the block it is
 * given really is one block of one kind.
 */
#ifndef BATON_PAGE_H
#define BATON_PAGE_H

#include "types.h"
#include "kerrno.h"
#include "kstring.h"
#include "arch/mmu.h"
#include "arch/string.h"

struct page {
	unsigned long memdesc;
};
_Static_assert(sizeof(struct page) == 8, "memdesc: a struct page is one word");

enum memdesc_type {
	MEMDESC_RESERVED = 0,
	MEMDESC_FREE = 1,
	MEMDESC_FREE_TAIL = 2,
	MEMDESC_PAGES = 3,
	MEMDESC_FOLIO = 4,
	MEMDESC_SLAB = 5,
	MEMDESC_PGTABLE = 6,
	MEMDESC_PRESERVED = 7,
};

#define MEMDESC_TYPE_BITS 4
#define MEMDESC_TYPE_MASK ((1UL << MEMDESC_TYPE_BITS) - 1)

static inline enum memdesc_type memdesc_type(unsigned long md)
{
	return (enum memdesc_type)(md & MEMDESC_TYPE_MASK);
}

static inline unsigned long memdesc_data(unsigned long md)
{
	return md >> MEMDESC_TYPE_BITS;
}

static inline unsigned long memdesc_make(enum memdesc_type type, unsigned long data)
{
	return data << MEMDESC_TYPE_BITS | type;
}

/* A descriptor pointer of a type (FOLIO, SLAB). */
static inline unsigned long memdesc_ptr(enum memdesc_type type, const void *desc)
{
	return (unsigned long)(uintptr_t)desc | type;
}

static inline void *memdesc_to_ptr(unsigned long md)
{
	return (void *)(uintptr_t)(md & ~MEMDESC_TYPE_MASK);
}

#define MEMDESC_PAGES_OF(order) memdesc_make(MEMDESC_PAGES, (order))

/* The poisoned mark of a free page's word (FREE or FREE_TAIL only): a data
 * bit above every order and the per-CPU cache's mark. */
#define MEMDESC_POISONED (0x100UL << MEMDESC_TYPE_BITS)

/* The memmap: struct page for every pfn in [memmap_start_pfn, memmap_end_pfn). */
extern struct page *memmap;
extern u64 memmap_start_pfn, memmap_end_pfn;

/* For the allocators' fast paths (kfree, kmem_cache_free), set with the
 * three above: memmap_pages = memmap_end_pfn - memmap_start_pfn, and
 * memmap_virt_first = (PAGE_OFFSET >> PAGE_SHIFT) + memmap_start_pfn, so
 * that a direct-map address's memmap index is one subtraction, and an
 * address of no page of the memmap gives an index >= memmap_pages. */
extern u64 memmap_pages, memmap_virt_first;

static inline u64 memmap_index_of_virt(const void *va)
{
	return ((u64)(uintptr_t)va >> PAGE_SHIFT) - memmap_virt_first;
}

static inline bool pfn_valid(u64 pfn)
{
	return pfn >= memmap_start_pfn && pfn < memmap_end_pfn;
}

static inline struct page *pfn_to_page(u64 pfn)
{
	return memmap + (pfn - memmap_start_pfn);
}

static inline u64 page_to_pfn(const struct page *page)
{
	return (u64)(page - memmap) + memmap_start_pfn;
}

static inline phys_addr_t page_to_phys(const struct page *page)
{
	return page_to_pfn(page) << PAGE_SHIFT;
}

static inline void *page_address(const struct page *page)
{
	return phys_to_virt(page_to_phys(page));
}

static inline struct page *virt_to_page(const void *addr)
{
	return pfn_to_page(virt_to_phys(addr) >> PAGE_SHIFT);
}

/* Set n memmap words from page on to md: a long fill is the arch's
 * (arch/string.h: x86-64's `rep stosq`, a word an instruction, where the
 * loop spends two, the kernel having no vector registers); a short one
 * stays inline, a call or rep's start costing more than it saves. */
static inline void memdesc_fill(struct page *page, unsigned long md, u64 n)
{
	_Static_assert(sizeof(struct page) == sizeof(u64), "a memmap word is a u64");
	if (n >= ARCH_FILL64_MIN)
		arch_fill64((u64 *)&page->memdesc, md, n);
	else
		memset64((u64 *)&page->memdesc, md, n);
}

/* Give every page of an allocated block a new memdesc word (a slab that
 * becomes its own descriptor, KHO restoring a block). */
static inline void memdesc_set(struct page *page, unsigned int order, unsigned long md)
{
	memdesc_fill(page, md, 1UL << order);
}

/* Count the memmap's pages by type: count[type] for each enum memdesc_type
 * (16 slots). O(pages): for reports and tests. */
void memdesc_census(u64 count[16]);

/* Allocate the memmap from memblock for all of memblock's RAM, every word
 * RESERVED. Returns 0, or -ENOMEM if memblock cannot hold it. */
int memdesc_init(void);
/* The bytes memdesc_init will take from memblock, in one piece. */
u64 memdesc_memmap_bytes(void);

#endif

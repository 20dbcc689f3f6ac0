/*
 * vmalloc.c — vmalloc areas (include/vmalloc.h): order-0 pages from the
 * buddy allocator, mapped one by one into the vmalloc range through the
 * arch's kernel page-table hooks (include/arch/mmu.h).
 *
 * Areas are kept in a list sorted by address; a new one goes into the
 * first gap that fits it and its guard page. The bookkeeping (struct
 * vm_area and the page array) comes from kmalloc. Single CPU, no locking.
 */
#include "vmalloc.h"
#include "buddy.h"
#include "compiler.h"
#include "kstring.h"
#include "mm/misuse.h"
#include "printk.h"
#include "slab.h"

/*
 * Invariant of the area list (vmalloc_check checks it all): sorted by va,
 * inside [VMALLOC_START, VMALLOC_END), and for consecutive areas a, b:
 *   a->va + (a->nr_pages + 1) * PAGE_SIZE <= b->va   (the +1 is the guard);
 * every page i < nr_pages of a is an allocated order-0 block
 * (MEMDESC_PAGES of order 0) in no other area, mapped at
 * a->va + i * PAGE_SIZE to pages[i], and the guard page is never mapped;
 * a and a->pages are live kmalloc memory; nr_areas and nr_pages_mapped
 * count the list.
 */
struct vm_area {
	unsigned long va;
	u64 nr_pages;
	struct page **pages;
	struct vm_area *next;
};

static struct vm_area *areas;
static u64 nr_areas, nr_pages_mapped;

void vmalloc_init(void)
{
	areas = NULL;
	nr_areas = nr_pages_mapped = 0;
}

static unsigned long span(const struct vm_area *a)
{
	return (a->nr_pages + 1) * PAGE_SIZE; /* with its guard page */
}

/* First fit: link a into the list at the lowest gap that holds it. */
static bool place(struct vm_area *a)
{
	unsigned long va = VMALLOC_START;
	struct vm_area **link = &areas;

	for (; *link; link = &(*link)->next) {
		if ((*link)->va - va >= span(a))
			break;
		va = (*link)->va + span(*link);
	}
	if (VMALLOC_END - va < span(a))
		return false;
	a->va = va;
	a->next = *link;
	*link = a;
	return true;
}

static void unplace(struct vm_area *a)
{
	for (struct vm_area **link = &areas; *link; link = &(*link)->next) {
		if (*link == a) {
			*link = a->next;
			return;
		}
	}
}

/* Unmap and free every page of a mapped area, then a itself. */
static void area_release(struct vm_area *a)
{
	for (u64 i = 0; i < a->nr_pages; i++) {
		arch_unmap_kernel_page(a->va + i * PAGE_SIZE);
		__free_pages(a->pages[i], 0);
	}
	nr_pages_mapped -= a->nr_pages;
	nr_areas--;
	unplace(a);
	kfree(a->pages);
	kfree(a);
}

/* Place a, whose pages are filled in, and map them. On failure nothing
 * stays mapped or placed, and the pages are still the caller's. */
static void *area_map(struct vm_area *a)
{
	if (!place(a))
		return NULL;
	for (u64 i = 0; i < a->nr_pages; i++) {
		if (!arch_map_kernel_page(a->va + i * PAGE_SIZE, page_to_phys(a->pages[i]))) {
			for (u64 j = 0; j < i; j++)
				arch_unmap_kernel_page(a->va + j * PAGE_SIZE);
			unplace(a);
			return NULL;
		}
	}
	nr_pages_mapped += a->nr_pages;
	nr_areas++;
	return (void *)a->va;
}

static void *vmalloc_gfp(size_t size, gfp_t gfp)
{
	struct vm_area *a;
	u64 n = ALIGN_UP((u64)size, PAGE_SIZE) / PAGE_SIZE, got = 0;
	void *va = NULL;

	if (size == 0 || n >= VMALLOC_SIZE / PAGE_SIZE)
		return NULL;
	a = kzalloc(sizeof(*a), GFP_KERNEL);
	if (!a)
		return NULL;
	a->nr_pages = n;
	a->pages = kmalloc(n * sizeof(*a->pages), GFP_KERNEL); /* up to 4 MiB: 2 GiB areas */
	if (a->pages) {
		while (got < n && (a->pages[got] = alloc_pages(gfp, 0)) != NULL)
			got++;
		if (got == n)
			va = area_map(a);
	}
	if (!va) { /* undo: nothing is lost on failure */
		while (got)
			__free_pages(a->pages[--got], 0);
		kfree(a->pages);
		kfree(a);
	}
	return va;
}

void *vmalloc_adopt(struct page **pages, u64 nr_pages)
{
	struct vm_area *a = kzalloc(sizeof(*a), GFP_KERNEL);
	void *va;

	if (!a)
		return NULL;
	a->pages = pages;
	a->nr_pages = nr_pages;
	va = area_map(a);
	if (!va)
		kfree(a);
	return va;
}

void *vmalloc(size_t size)
{
	return vmalloc_gfp(size, GFP_KERNEL);
}

void *vzalloc(size_t size)
{
	return vmalloc_gfp(size, __GFP_ZERO);
}

static struct vm_area *find_area(const void *addr)
{
	for (struct vm_area *a = areas; a; a = a->next) {
		if ((unsigned long)addr >= a->va && (unsigned long)addr < a->va + span(a))
			return a;
	}
	return NULL;
}

bool is_vmalloc_addr(const void *addr)
{
	return (unsigned long)addr >= VMALLOC_START && (unsigned long)addr < VMALLOC_END;
}

void vfree(const void *addr)
{
	struct vm_area *a;

	if (!addr)
		return;
	a = find_area(addr);
	if (!a || a->va != (unsigned long)addr) {
		misuse_report(
			MISUSE_VMALLOC_BAD_FREE,
			"vfree: %p is not the start of a vmalloc area (freed already?); ignored",
			addr);
		return;
	}
	area_release(a);
}

struct page *vmalloc_to_page(const void *addr)
{
	struct vm_area *a = find_area(addr);
	u64 i;

	if (!a)
		return NULL;
	i = ((unsigned long)addr - a->va) / PAGE_SIZE;
	return i < a->nr_pages ? a->pages[i] : NULL; /* NULL: the guard page */
}

void *kvmalloc(size_t size, gfp_t gfp)
{
	void *p = NULL;

	if (size <= KVMALLOC_KMALLOC_MAX)
		p = kmalloc(size, gfp);
	return p ? p : vmalloc_gfp(size, gfp);
}

void kvfree(const void *addr)
{
	if (is_vmalloc_addr(addr))
		vfree(addr);
	else
		kfree(addr);
}

void vmalloc_stats(struct vmalloc_stats *st)
{
	st->areas = nr_areas;
	st->pages = nr_pages_mapped;
}

bool vmalloc_area_pages(const void *addr, struct page *const **pages, u64 *nr_pages)
{
	struct vm_area *a = find_area(addr);

	if (!a || a->va != (unsigned long)addr)
		return false;
	*pages = a->pages;
	*nr_pages = a->nr_pages;
	return true;
}

static bool in_memmap(const struct page *page)
{
	return (uintptr_t)page - (uintptr_t)memmap <
		       (memmap_end_pfn - memmap_start_pfn) * sizeof(struct page) &&
	       ((uintptr_t)page - (uintptr_t)memmap) % sizeof(struct page) == 0;
}

/* One area's pages: each an allocated order-0 block met for the first
 * time (marked with the word seen as it is met), mapped where it belongs;
 * and its guard page unmapped. */
static int check_area_pages(const struct vm_area *a, unsigned long seen, char *why, size_t n)
{
	phys_addr_t pa;

	for (u64 i = 0; i < a->nr_pages; i++) {
		struct page *page = a->pages[i];
		unsigned long va = a->va + i * PAGE_SIZE;

		if (!in_memmap(page) || page->memdesc != MEMDESC_PAGES_OF(0))
			return err_why(why, n, -EINVAL, "vmalloc: area 0x%lx page %llu is %p, %s",
				       a->va, (unsigned long long)i, (const void *)page,
				       in_memmap(page) && page->memdesc == seen
					       ? "in another area too"
					       : "no allocated order-0 block");
		if (!arch_kernel_page_phys(va, &pa) || pa != page_to_phys(page))
			return err_why(why, n, -EINVAL,
				       "vmalloc: 0x%lx (area 0x%lx page %llu) is not "
				       "mapped to its page 0x%llx",
				       va, a->va, (unsigned long long)i,
				       (unsigned long long)page_to_phys(page));
		page->memdesc = seen;
	}
	if (arch_kernel_page_phys(a->va + a->nr_pages * PAGE_SIZE, &pa))
		return err_why(why, n, -EINVAL,
			       "vmalloc: the guard page of area 0x%lx is mapped "
			       "(to 0x%llx)",
			       a->va, (unsigned long long)pa);
	return 0;
}

int vmalloc_check(char *why, size_t n)
{
	/* A PAGES word with no order: the mark of a page met in this walk. */
	const unsigned long seen = memdesc_make(MEMDESC_PAGES, 0xfff);
	unsigned long end = VMALLOC_START; /* where the last area's guard page ends */
	u64 count = 0, pages = 0;
	const struct vm_area *a;
	int err = 0;

	/* The list and its bookkeeping first, so that the walks below follow
	 * only pointers checked here. */
	for (a = areas; a; a = a->next) {
		if (kmalloc_live_size(a) < sizeof(*a) || ++count > VMALLOC_SIZE / (2 * PAGE_SIZE))
			return err_why(why, n, -EINVAL,
				       "vmalloc: the area list reaches %p, no live "
				       "area (or loops)",
				       (const void *)a);
		if (a->va % PAGE_SIZE || a->va < end || a->nr_pages == 0 ||
		    a->nr_pages >= VMALLOC_SIZE / PAGE_SIZE || VMALLOC_END - a->va < span(a))
			return err_why(why, n, -EINVAL,
				       "vmalloc: area 0x%lx of %llu pages is out of "
				       "order, overlaps the one before or leaves the range",
				       a->va, (unsigned long long)a->nr_pages);
		if (kmalloc_live_size(a->pages) < a->nr_pages * sizeof(*a->pages))
			return err_why(why, n, -EINVAL,
				       "vmalloc: area 0x%lx's page array %p is no live "
				       "kmalloc block of %llu entries",
				       a->va, (const void *)a->pages,
				       (unsigned long long)a->nr_pages);
		end = a->va + span(a);
		pages += a->nr_pages;
	}
	if (count != nr_areas || pages != nr_pages_mapped)
		return err_why(why, n, -EINVAL,
			       "vmalloc: %llu areas of %llu pages on the list, %llu "
			       "and %llu counted",
			       (unsigned long long)count, (unsigned long long)pages,
			       (unsigned long long)nr_areas, (unsigned long long)nr_pages_mapped);
	/* Then every page, marked as it is met; then the marks taken away. */
	for (a = areas; a && !err; a = a->next)
		err = check_area_pages(a, seen, why, n);
	for (a = areas; a; a = a->next) {
		for (u64 i = 0; i < a->nr_pages; i++) {
			if (in_memmap(a->pages[i]) && a->pages[i]->memdesc == seen)
				a->pages[i]->memdesc = MEMDESC_PAGES_OF(0);
		}
	}
	return err;
}

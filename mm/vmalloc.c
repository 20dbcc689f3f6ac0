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
#include "printk.h"
#include "slab.h"

/*
 * Invariant of the area list: sorted by va, and for consecutive areas a, b:
 *   a->va + (a->nr_pages + 1) * PAGE_SIZE <= b->va   (the +1 is the guard);
 * every page i < nr_pages of a is mapped at a->va + i * PAGE_SIZE to
 * pages[i], and the guard page is never mapped.
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
		pr_err("vfree: %p is not the start of a vmalloc area; ignored", addr);
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

/*
 * vmalloc.h — virtually contiguous memory made of scattered pages.
 *
 *     p = vmalloc(n);       vfree(p);
 *     p = kvmalloc(n, gfp); kvfree(p);   (kmalloc when it is small enough)
 *
 * Each area is whole pages in [VMALLOC_START, VMALLOC_END), followed by one
 * unmapped guard page, so running off its end faults instead of landing in
 * the next area.
 */
#ifndef BATON_VMALLOC_H
#define BATON_VMALLOC_H

#include "gfp.h"
#include "page.h"

/* Start with no areas (boot; each host-test generation). */
void vmalloc_init(void);

void *vmalloc(size_t size);
void *vzalloc(size_t size);
/* Refuses an address vmalloc did not return, with a line and a count
 * (MISUSE_VMALLOC_BAD_FREE, mm/misuse.h): the area stays as it was. */
void vfree(const void *addr);

/* kmalloc up to KVMALLOC_KMALLOC_MAX, vmalloc above (or when kmalloc fails). */
#define KVMALLOC_KMALLOC_MAX (4 * PAGE_SIZE)
void *kvmalloc(size_t size, gfp_t gfp);
void kvfree(const void *addr);

bool is_vmalloc_addr(const void *addr);
/* The page behind a vmalloc address, or NULL. */
struct page *vmalloc_to_page(const void *addr);

/* For KHO. The pages of the area that starts at addr (false if none).
 * vmalloc_adopt maps pages[0..nr_pages) -- order-0 blocks already
 * allocated, pages itself from kmalloc -- as a new area that vfree frees
 * like its own; NULL (pages untouched) on failure. */
bool vmalloc_area_pages(const void *addr, struct page *const **pages, u64 *nr_pages);
void *vmalloc_adopt(struct page **pages, u64 nr_pages);

struct vmalloc_stats {
	u64 areas, pages;
};
void vmalloc_stats(struct vmalloc_stats *st);

/* Walk every area and check the invariants of mm/vmalloc.c against the
 * allocators and the page tables: sorted, inside the range, apart by a
 * guard page that is unmapped, every page an allocated order-0 block
 * mapped where it belongs and in no other area, the bookkeeping live
 * kmalloc memory, the counts right. Returns 0, or -EINVAL with the first
 * inconsistency in why (kerrno.h). O(mapped pages); for tests and the
 * self-tests. */
int vmalloc_check(char *why, size_t n);

#endif

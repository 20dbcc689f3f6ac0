/*
 * memdesc.c — the memmap: one struct page (one word) per 4 KiB page, for
 * every pfn from the lowest to the highest RAM address memblock knows,
 * holes included (a hole costs 8 bytes per 4 KiB, 0.2%).
 *
 * Called once, by buddy_init, before the buddy allocator exists: the array
 * itself comes from memblock. Every word starts RESERVED; the buddy
 * allocator marks what it receives.
 */
#include "page.h"
#include "compiler.h"
#include "kstring.h"
#include "memblock.h"
#include "printk.h"

struct page *memmap;
u64 memmap_start_pfn, memmap_end_pfn;
u64 memmap_pages, memmap_virt_first; /* page.h: derived from the two above */

/* The pfns the memmap covers: from the first page of RAM to the last. */
static bool memmap_span(u64 *first, u64 *last)
{
	const struct memblock_list *mem = &memblock.memory;

	if (mem->cnt == 0)
		return false;
	*first = ALIGN_UP(mem->r[0].base, PAGE_SIZE) >> PAGE_SHIFT;
	*last = (mem->r[mem->cnt - 1].base + mem->r[mem->cnt - 1].size) >> PAGE_SHIFT;
	return true;
}

u64 memdesc_memmap_bytes(void)
{
	u64 first, last;

	return memmap_span(&first, &last)
		       ? ALIGN_UP((last - first) * sizeof(struct page), PAGE_SIZE)
		       : 0;
}

int memdesc_init(void)
{
	u64 first, last, bytes;
	phys_addr_t pa;

	if (!memmap_span(&first, &last))
		return -ENOMEM;
	bytes = memdesc_memmap_bytes();
	pa = memblock_alloc(bytes, PAGE_SIZE);
	if (!pa) {
		pr_err("memdesc: no room for a %llu KiB memmap in free memory; the page allocator cannot start",
		       (unsigned long long)(bytes >> 10));
		return -ENOMEM;
	}
	memmap = phys_to_virt(pa);
	memset(memmap, 0, bytes); /* MEMDESC_RESERVED is 0 */
	memmap_start_pfn = first;
	memmap_end_pfn = last;
	memmap_pages = last - first;
	memmap_virt_first = (PAGE_OFFSET >> PAGE_SHIFT) + first;
	pr_info("memdesc: %llu pages, memmap %llu KiB at 0x%llx (%zu bytes per page)",
		(unsigned long long)(last - first), (unsigned long long)(bytes >> 10),
		(unsigned long long)pa, sizeof(struct page));
	return 0;
}

void memdesc_census(u64 count[16])
{
	for (int i = 0; i < 16; i++)
		count[i] = 0;
	for (u64 pfn = memmap_start_pfn; pfn < memmap_end_pfn; pfn++)
		count[memdesc_type(pfn_to_page(pfn)->memdesc)]++;
}

/*
 * alloc.c (kho) — the pages the outgoing side allocates for itself: radix
 * nodes (radix.c), vmalloc chunks (vmalloc.c), slab record chunks
 * (slab_out.c), the kexec-metadata record (metadata_out.c), the root FDT
 * and the scratch array (serialize.c). Each comes zeroed from the page
 * allocator through kho_page_alloc, after the fault-injection check of its
 * site (kho.fail=, fault.c), and goes back through kho_page_free; the
 * count of those held is kho_own_pages(), which the fault tests weigh
 * against the allocator's free pages to prove a failed attempt leaked
 * nothing. The incoming side frees what the last kernel allocated with
 * the page allocator directly: those pages were never counted here.
 */
#include "kho.h"
#include "kho_internal.h"
#include "buddy.h"
#include "panic.h"

struct page *kho_page_alloc(enum kho_fail_site site)
{
	struct page *p;

	if (kho_fail(site))
		return NULL;
	p = alloc_pages(__GFP_ZERO, 0);
	if (p)
		kho.own_pages++;
	return p;
}

void kho_page_free(struct page *p)
{
	BUG_ON(kho.own_pages == 0);
	kho.own_pages--;
	__free_pages(p, 0);
}

u64 kho_own_pages(void)
{
	return kho.own_pages;
}

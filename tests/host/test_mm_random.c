/*
 * test_mm_random.c — a million random operations across every allocator of
 * mm/ (alloc_pages of every order, folios, kmalloc of small and large
 * sizes, a kmem_cache, vmalloc), checked against a reference model:
 *   - no two live allocations share a byte: a shadow of fake RAM says which
 *     allocation owns each page (page-sized and larger allocations) or each
 *     8-byte granule (smaller ones; every allocator aligns to 8 at least),
 *     and how many small owners each page has,
 *   - every allocation's contents survive until it is freed (stamps at
 *     both ends, checked before each free),
 *   - the page count adds up at all times: free pages + slab pages + pages
 *     the model says are held == the same total as at the start,
 *   - at the end everything is freed and the total is back,
 *   - every checker (buddy_verify, slab_check, vmalloc_check) passes along
 *     the way and at the end, and no misuse was reported.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "host.h"
#include "mm_boot.h"
#include "buddy.h"
#include "folio.h"
#include "slab.h"
#include "vmalloc.h"
#include "mm/misuse.h"

/* The allocators' own checkers pass (each says why when it does not). */
static void checkers_pass(void)
{
	char why[ERR_WHY_MAX];

	if (buddy_verify(why, sizeof(why)) || slab_check(why, sizeof(why)) ||
	    vmalloc_check(why, sizeof(why))) {
		host_fail(__FILE__, __LINE__, "%s", why);
		host_stop();
	}
}

#define RAM (64ULL << 20)
#define OPS 1000000
#define MAX_LIVE 4096

enum kind { PAGES, FOLIO, KMALLOC, CACHE, VMALLOC, KINDS };

struct alloc {
	enum kind kind;
	void *p;   /* the address the caller uses */
	u64 size;  /* bytes the caller asked for */
	u32 order; /* PAGES, FOLIO */
	u32 id;
	struct folio *folio;
};

static struct alloc live[MAX_LIVE];
static u32 nlive;
static u32 *page_owner;  /* per page: id + 1 of a page-granular owner */
static u32 *small_owner; /* per 8-byte granule: id + 1 of a small owner */
static u32 *small_count; /* per page: granules held by small owners */
static struct kmem_cache *cache;
static u64 rng = 0x2545f4914f6cdd1dULL;

/* Call fn on each direct-map stretch [addr, addr + len) of an allocation. */
static void each_piece(const struct alloc *a, void (*fn)(u8 *addr, u64 len, u32 id))
{
	if (a->kind == VMALLOC) {
		for (u64 off = 0; off < a->size; off += PAGE_SIZE) {
			struct page *pg = vmalloc_to_page((u8 *)a->p + off);

			REQUIRE(pg);
			fn(page_address(pg), MIN(PAGE_SIZE, a->size - off), a->id);
		}
	} else {
		fn(a->p, a->size, a->id);
	}
}

static u64 offset_of(const u8 *addr)
{
	u64 i = virt_to_phys(addr) - MM_RAM_BASE;

	REQUIRE(i < RAM);
	return i;
}

/* Page-aligned stretches whole pages at a time, the rest by granule. */
static void claim(u8 *addr, u64 len, u32 id)
{
	u64 off = offset_of(addr);

	if (off % PAGE_SIZE == 0 && len % PAGE_SIZE == 0) {
		for (u64 pg = off / PAGE_SIZE; pg < (off + len) / PAGE_SIZE; pg++) {
			REQUIRE(page_owner[pg] == 0 && small_count[pg] == 0);
			page_owner[pg] = id + 1;
		}
		return;
	}
	for (u64 g = off / 8; g < (off + len + 7) / 8; g++) {
		REQUIRE(small_owner[g] == 0 && page_owner[g * 8 / PAGE_SIZE] == 0);
		small_owner[g] = id + 1;
		small_count[g * 8 / PAGE_SIZE]++;
	}
}

static void release(u8 *addr, u64 len, u32 id)
{
	u64 off = offset_of(addr);

	if (off % PAGE_SIZE == 0 && len % PAGE_SIZE == 0) {
		for (u64 pg = off / PAGE_SIZE; pg < (off + len) / PAGE_SIZE; pg++) {
			REQUIRE(page_owner[pg] == id + 1);
			page_owner[pg] = 0;
		}
		return;
	}
	for (u64 g = off / 8; g < (off + len + 7) / 8; g++) {
		REQUIRE(small_owner[g] == id + 1);
		small_owner[g] = 0;
		small_count[g * 8 / PAGE_SIZE]--;
	}
}

static void stamp(u8 *addr, u64 len, u32 id)
{
	memset(addr, (int)(id * 7 + 1), MIN(len, 16));
	memset(addr + len - MIN(len, 16), (int)(id * 13 + 5), MIN(len, 16));
}

static void check_stamp(u8 *addr, u64 len, u32 id)
{
	u8 head = (u8)(id * 7 + 1), tail = (u8)(id * 13 + 5);

	for (u64 j = 0; j < MIN(len, 16); j++)
		REQUIRE(addr[len - 1 - j] == tail);
	for (u64 j = 0; j < MIN(len, 16) && j < len - MIN(len, 16); j++)
		REQUIRE(addr[j] == head);
}

/* Pages an allocation holds outside slabs. */
static u64 pages_held(const struct alloc *a)
{
	switch (a->kind) {
	case PAGES:
	case FOLIO:
		return 1UL << a->order;
	case KMALLOC:
		return a->size > KMALLOC_MAX_CACHE_SIZE ? ksize(a->p) / PAGE_SIZE : 0;
	case VMALLOC:
		return ALIGN_UP(a->size, PAGE_SIZE) / PAGE_SIZE;
	default:
		return 0;
	}
}

static u64 total(u64 model_pages)
{
	struct buddy_stats st;

	buddy_stats(&st);
	return st.free_pages + mm_slab_pages() + model_pages;
}

static bool do_alloc(struct alloc *a, u64 r)
{
	a->kind = (enum kind)((r >> 4) % KINDS);
	switch (a->kind) {
	case PAGES: {
		struct page *pg;

		a->order = (r >> 8) % 4 ? (r >> 12) % 3 : (r >> 12) % (MAX_ORDER + 1);
		pg = alloc_pages(GFP_KERNEL, a->order);
		a->p = pg ? page_address(pg) : NULL;
		a->size = PAGE_SIZE << a->order;
		break;
	}
	case FOLIO:
		a->order = (r >> 8) % 5;
		a->folio = folio_alloc(GFP_KERNEL, a->order);
		a->p = a->folio ? folio_address(a->folio) : NULL;
		a->size = PAGE_SIZE << a->order;
		break;
	case KMALLOC:
		a->size = (r >> 8) % 16 ? 1 + (r >> 12) % 512 : 1 + (r >> 12) % (6 * PAGE_SIZE);
		a->p = kmalloc(a->size, GFP_KERNEL);
		break;
	case CACHE:
		a->size = 72;
		a->p = kmem_cache_alloc(cache, GFP_KERNEL);
		break;
	case VMALLOC:
		a->size = 1 + (r >> 8) % (8 * PAGE_SIZE);
		a->p = vmalloc(a->size);
		break;
	default:
		return false;
	}
	return a->p != NULL;
}

static void do_free(struct alloc *a)
{
	switch (a->kind) {
	case PAGES:
		__free_pages(virt_to_page(a->p), a->order);
		break;
	case FOLIO:
		folio_put(a->folio);
		break;
	case KMALLOC:
		kfree(a->p);
		break;
	case CACHE:
		kmem_cache_free(cache, a->p);
		break;
	case VMALLOC:
		vfree(a->p);
		break;
	default:
		break;
	}
}

TEST(mm, million_mixed_operations_against_a_model)
{
	u64 model_pages = 0, start_total, failures = 0, allocs = 0;
	u32 next_id = 0;

	mm_boot(RAM);
	page_owner = calloc(RAM / PAGE_SIZE, sizeof(u32));
	small_count = calloc(RAM / PAGE_SIZE, sizeof(u32));
	small_owner = calloc(RAM / 8, sizeof(u32));
	REQUIRE(page_owner && small_count && small_owner);
	cache = kmem_cache_create("random-72", 72, 0);
	REQUIRE(cache);
	start_total = total(0);

	for (long op = 0; op < OPS; op++) {
		u64 r = host_rand(&rng);

		if (nlive < MAX_LIVE && (nlive == 0 || (r & 3) < 2)) {
			struct alloc *a = &live[nlive];

			a->id = next_id++;
			if (!do_alloc(a, r)) {
				failures++; /* out of memory is allowed, and changes nothing */
				continue;
			}
			each_piece(a, claim);
			each_piece(a, stamp);
			allocs++;
			model_pages += pages_held(a);
			nlive++;
		} else {
			u32 i = (u32)((r >> 8) % nlive);
			struct alloc a = live[i];

			each_piece(&a, check_stamp);
			each_piece(&a, release);
			model_pages -= pages_held(&a);
			do_free(&a);
			live[i] = live[--nlive];
		}
		if (op % 1024 == 0)
			REQUIRE(total(model_pages) == start_total);
		if (op % 250000 == 0)
			checkers_pass();
	}
	while (nlive) {
		struct alloc a = live[--nlive];

		each_piece(&a, check_stamp);
		model_pages -= pages_held(&a);
		do_free(&a);
	}
	EXPECT_EQ(model_pages, 0);
	EXPECT_EQ(total(0), start_total);
	EXPECT_EQ(kmem_cache_destroy(cache), 0);
	checkers_pass();
	EXPECT_EQ(misuse_total(), 0);
	EXPECT_NO_LOG("refused");
	EXPECT_NO_LOG("ignored");
	free(page_owner);
	free(small_count);
	free(small_owner);
	/* The run really ran: most allocations succeeded, and some big ones
	 * met a full or fragmented 64 MiB. */
	EXPECT(allocs > OPS / 3);
	EXPECT(failures > 0);
}

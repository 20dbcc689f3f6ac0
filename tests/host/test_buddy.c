/*
 * test_buddy.c — mm/memdesc.c and mm/buddy.c on fake RAM: the hand-over
 * from memblock, split and merge, refused frees, running out of memory, and
 * a million random operations checked against a reference model.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "host.h"
#include "buddy.h"
#include "memblock.h"
#include "mm/misuse.h"

#define RAM_BASE 0x40000000ULL
#define RAM_SIZE (64ULL << 20)

static struct buddy_stats start;

/* 64 MiB of RAM at 1 GiB, the first MiB reserved (as firmware would),
 * handed to the buddy allocator. */
static void boot(void)
{
	host_ram(RAM_BASE, RAM_SIZE);
	memblock_reset();
	memblock_add(RAM_BASE, RAM_SIZE);
	memblock_reserve(RAM_BASE, 1 << 20);
	host_console_register();
	REQUIRE(buddy_init() == 0);
	host_log_clear();
	buddy_stats(&start);
}

/* Every page back: the free count at once, and, once the per-CPU cache
 * is drained, the very blocks buddy_init made. */
static void expect_back_to_start(void)
{
	struct buddy_stats now;

	buddy_check();
	buddy_stats(&now);
	EXPECT_EQ(now.free_pages, start.free_pages);
	buddy_drain();
	buddy_check();
	buddy_stats(&now);
	EXPECT_EQ(now.free_pages, start.free_pages);
	EXPECT_EQ(now.pcp_pages, 0);
	for (int k = 0; k <= MAX_ORDER; k++)
		EXPECT_EQ(now.nr_free[k], start.nr_free[k]);
}

TEST(buddy, init_takes_all_free_memory_in_big_blocks)
{
	u64 memmap_npages = (RAM_SIZE >> PAGE_SHIFT) * sizeof(struct page) >> PAGE_SHIFT;

	boot();
	EXPECT_EQ(start.managed_pages, (RAM_SIZE >> PAGE_SHIFT) - 256 - memmap_npages);
	EXPECT_EQ(start.free_pages, start.managed_pages);
	/* 63 MiB minus the 128 KiB memmap at the top: mostly 4 MiB blocks. */
	EXPECT(start.nr_free[MAX_ORDER] >= 14);
	EXPECT_EQ(memblock_alloc(PAGE_SIZE, PAGE_SIZE), 0); /* memblock retired */
	EXPECT_EQ(pfn_to_page(RAM_BASE >> PAGE_SHIFT)->memdesc, memdesc_make(MEMDESC_RESERVED, 0));
	buddy_check();
}

TEST(buddy, split_then_merge_back)
{
	struct page *p;
	struct buddy_stats mid;

	boot();
	p = alloc_pages(GFP_KERNEL, 0);
	REQUIRE(p != NULL);
	buddy_stats(&mid);
	EXPECT_EQ(mid.free_pages, start.free_pages - 1);
	EXPECT_EQ(mid.pcp_pages, BUDDY_PCP_BATCH - 1); /* a batch came in, one went out */
	/* Splitting the smallest block gives one free buddy at every order
	 * below it, once the rest of the batch is back on the lists. */
	buddy_drain();
	buddy_stats(&mid);
	EXPECT_EQ(mid.free_pages, start.free_pages - 1);
	for (int k = 0; k < MAX_ORDER && start.nr_free[k] == 0; k++)
		EXPECT_EQ(mid.nr_free[k], 1);
	EXPECT_EQ(p->memdesc, MEMDESC_PAGES_OF(0));
	__free_pages(p, 0);
	expect_back_to_start();
}

TEST(buddy, buddies_are_pfn_xor_size)
{
	struct page *a, *b;

	boot();
	a = alloc_pages(GFP_KERNEL, 3);
	b = alloc_pages(GFP_KERNEL, 3);
	REQUIRE(a && b);
	EXPECT_EQ(page_to_pfn(a) ^ page_to_pfn(b), 8); /* split from one order-4 */
	EXPECT_EQ(page_to_pfn(a) % 8, 0);
	__free_pages(a, 3);
	__free_pages(b, 3);
	expect_back_to_start();
}

TEST(buddy, zeroed_on_request)
{
	struct page *p;
	u8 *m;

	boot();
	p = alloc_pages(GFP_KERNEL, 2);
	REQUIRE(p);
	memset(page_address(p), 0xab, 4 * PAGE_SIZE);
	__free_pages(p, 2);
	p = alloc_pages(__GFP_ZERO, 2);
	REQUIRE(p);
	m = page_address(p);
	for (size_t i = 0; i < 4 * PAGE_SIZE; i++)
		REQUIRE(m[i] == 0);
	__free_pages(p, 2);
	expect_back_to_start();
}

TEST(buddy, double_free_refused)
{
	struct page *p;

	boot();
	p = alloc_pages(GFP_KERNEL, 1);
	REQUIRE(p);
	EXPECT_EQ(free_page_desc(p, 1), 0);
	EXPECT_EQ(free_page_desc(p, 1), -EINVAL);
	EXPECT_LOG("it is free already (double free?)");
	EXPECT_EQ(misuse_count[MISUSE_BUDDY_DOUBLE_FREE], 1);
	expect_back_to_start();
}

TEST(buddy, wrong_order_refused)
{
	static struct {
		u64 x[2];
	} desc __attribute__((aligned(16)));
	unsigned long md = memdesc_ptr(MEMDESC_FOLIO, &desc);
	struct page *p, *f;

	boot();
	p = alloc_pages(GFP_KERNEL, 2);
	REQUIRE(p);
	EXPECT_EQ(free_page_desc(p, 1), -EINVAL);
	EXPECT_LOG("allocated with another order");
	EXPECT_EQ(free_page_desc(p + 1, 0), -EINVAL); /* a tail page, not a head */
	__free_pages(p, 2);

	f = alloc_page_desc(GFP_KERNEL, 2, md);
	REQUIRE(f);
	EXPECT_EQ(f[3].memdesc, md);
	EXPECT_EQ(free_page_desc(f, 1), -EINVAL);
	EXPECT_LOG("part of a larger block");
	EXPECT_EQ(free_page_desc(f, 2), 0);
	expect_back_to_start();
}

TEST(buddy, foreign_pointers_refused)
{
	struct page outside;

	boot();
	EXPECT_EQ(free_page_desc(&outside, 0), -EINVAL);
	EXPECT_LOG("not a page of the allocator");
	EXPECT_EQ(free_page_desc(pfn_to_page(RAM_BASE >> PAGE_SHIFT), 0), -EINVAL);
	EXPECT_LOG("not the allocator's");
	EXPECT(alloc_pages(GFP_KERNEL, MAX_ORDER + 1) == NULL);
	expect_back_to_start();
}

/* Allocate order-0 pages until the allocator says no: the array of them
 * (malloc'd, the caller frees it), their number in *n, every free page. */
static struct page **take_every_page(u64 *n)
{
	struct page **all = malloc((start.free_pages + 1) * sizeof(*all));

	*n = 0;
	if (!all) {
		host_fail(__FILE__, __LINE__, "no memory for the page array");
		abort();
	}
	while ((all[*n] = alloc_pages(GFP_KERNEL, 0)) != NULL)
		(*n)++;
	EXPECT_EQ(*n, start.free_pages);
	return all;
}

TEST(buddy, out_of_memory_and_back)
{
	struct page **all;
	u64 n;

	boot();
	all = take_every_page(&n);
	EXPECT(alloc_pages(GFP_KERNEL, 0) == NULL); /* and again: still NULL */
	__free_pages(all[n / 2], 0);
	EXPECT(alloc_pages(GFP_KERNEL, 1) == NULL); /* one page is not two */
	EXPECT(alloc_pages(GFP_KERNEL, 0) == all[n / 2]);
	for (u64 i = 0; i < n; i++)
		__free_pages(all[i], 0);
	free(all);
	expect_back_to_start();
}

/* The reference model: which pages are allocated, and by which block. */
struct live {
	struct page *page;
	unsigned order;
	u64 stamp;
};

static u64 rng_state = 0x9e3779b97f4a7c15ULL;

/* Stamp the first and last word of every page of a block. */
static void stamp(struct page *p, unsigned order, u64 v)
{
	for (u64 i = 0; i < (1UL << order); i++) {
		u64 *w = page_address(p + i);

		w[0] = v + i;
		w[PAGE_SIZE / 8 - 1] = ~(v + i);
	}
}

static bool stamped(struct page *p, unsigned order, u64 v)
{
	for (u64 i = 0; i < (1UL << order); i++) {
		u64 *w = page_address(p + i);

		if (w[0] != v + i || w[PAGE_SIZE / 8 - 1] != ~(v + i))
			return false;
	}
	return true;
}

TEST(buddy, million_random_operations_against_a_model)
{
	u64 npages = RAM_SIZE >> PAGE_SHIFT, base = RAM_BASE >> PAGE_SHIFT;
	struct live *live = calloc(npages, sizeof(*live));
	u8 *owned = calloc(npages, 1); /* model: 1 = page allocated */
	u64 nlive = 0, model_free, fails = 0;
	struct buddy_stats now;

	boot();
	REQUIRE(live && owned);
	model_free = start.free_pages;
	for (long op = 0; op < 1000000; op++) {
		u64 r = host_rand(&rng_state);

		if (nlive == 0 || (r & 3) < 2) {
			/* Orders biased small: 0 half the time, up to MAX_ORDER. */
			unsigned order =
				(r >> 8) % 4 == 0 ? (r >> 16) % (MAX_ORDER + 1) : (r >> 16) % 3;
			struct page *p = alloc_pages(GFP_KERNEL, order);

			if (!p) {
				/* Only when the model agrees no block that big
				 * can exist: fewer free pages than it needs, or
				 * memory too fragmented (checked at the end by
				 * freeing everything and merging back). */
				fails++;
				continue;
			}
			u64 pfn = page_to_pfn(p);

			REQUIRE(pfn % (1UL << order) == 0);
			for (u64 i = 0; i < (1UL << order); i++) {
				REQUIRE(!owned[pfn - base + i]); /* no overlap */
				owned[pfn - base + i] = 1;
			}
			live[nlive++] = (struct live){ p, order, r };
			stamp(p, order, r);
			model_free -= 1UL << order;
		} else {
			u64 i = (r >> 8) % nlive;
			struct live l = live[i];
			u64 pfn = page_to_pfn(l.page);

			REQUIRE(stamped(l.page, l.order, l.stamp)); /* contents intact */
			for (u64 j = 0; j < (1UL << l.order); j++)
				owned[pfn - base + j] = 0;
			__free_pages(l.page, l.order);
			live[i] = live[--nlive];
			model_free += 1UL << l.order;
		}
		if (op % 4096 == 0) {
			buddy_stats(&now);
			REQUIRE(now.free_pages == model_free);
		}
		if (op % 200000 == 0)
			buddy_check();
	}
	buddy_stats(&now);
	EXPECT_EQ(now.free_pages, model_free);
	EXPECT(fails > 0); /* the run did reach exhaustion for big orders */
	while (nlive) {
		struct live l = live[--nlive];

		REQUIRE(stamped(l.page, l.order, l.stamp));
		__free_pages(l.page, l.order);
	}
	free(live);
	free(owned);
	expect_back_to_start();
}

/* The per-CPU page cache (include/buddy.h): a cached page is a free page,
 * to the counts and to a second free. */
TEST(buddy, cached_page_is_free)
{
	struct page *p;
	struct buddy_stats now;

	boot();
	p = alloc_pages(GFP_KERNEL, 0);
	REQUIRE(p);
	__free_pages(p, 0);
	EXPECT_EQ(p->memdesc, BUDDY_PCP_WORD);
	EXPECT_EQ(memdesc_type(p->memdesc), MEMDESC_FREE);
	buddy_stats(&now);
	EXPECT_EQ(now.free_pages, start.free_pages);
	EXPECT_EQ(now.pcp_pages, BUDDY_PCP_BATCH);
	host_log_clear();
	__free_pages(p, 0); /* a second free: refused */
	EXPECT_LOG("it is free already (double free?)");
	EXPECT_EQ(free_page_desc(p, 0), -EINVAL);
	buddy_stats(&now);
	EXPECT_EQ(now.pcp_pages, BUDDY_PCP_BATCH);
	EXPECT(alloc_pages(GFP_KERNEL, 0) == p); /* last freed, first out */
	__free_pages(p, 0);
	expect_back_to_start();
}

/* The cache fills in a batch when empty and gives its oldest batch back
 * when full; it never holds more than BUDDY_PCP_HIGH. */
TEST(buddy, cache_fills_and_drains_in_batches)
{
	static struct page *p[BUDDY_PCP_HIGH + 1];
	struct buddy_stats now;

	boot();
	for (int i = 0; i <= BUDDY_PCP_HIGH; i++)
		REQUIRE((p[i] = alloc_pages(GFP_KERNEL, 0)) != NULL);
	buddy_stats(&now);
	EXPECT_EQ(now.pcp_pages, (u64)(5 * BUDDY_PCP_BATCH - (BUDDY_PCP_HIGH + 1)));
	buddy_drain();
	for (int i = 0; i < BUDDY_PCP_HIGH; i++)
		__free_pages(p[i], 0);
	buddy_stats(&now);
	EXPECT_EQ(now.pcp_pages, BUDDY_PCP_HIGH);
	__free_pages(p[BUDDY_PCP_HIGH], 0); /* full: a batch goes back first */
	buddy_stats(&now);
	EXPECT_EQ(now.pcp_pages, BUDDY_PCP_HIGH - BUDDY_PCP_BATCH + 1);
	EXPECT(p[0]->memdesc != BUDDY_PCP_WORD);               /* the oldest went to the lists */
	EXPECT(p[BUDDY_PCP_BATCH]->memdesc == BUDDY_PCP_WORD); /* the newer ones stay */
	buddy_check();
	expect_back_to_start();
}

/* A block the lists cannot make is first looked for once the cache is
 * drained: two cached buddies are an order-1 block. */
TEST(buddy, cache_drained_before_an_allocation_fails)
{
	struct page **all;
	u64 n, pair = 0;

	boot();
	all = take_every_page(&n);
	for (u64 i = 0; i < n; i++) { /* a page whose buddy was handed out too */
		if (page_to_pfn(all[i]) % 2 == 0 && i + 1 < n && all[i + 1] == all[i] + 1)
			break;
		pair++;
	}
	REQUIRE(pair + 1 < n);
	__free_pages(all[pair], 0);
	__free_pages(all[pair + 1], 0);
	EXPECT(alloc_pages(GFP_KERNEL, 2) == NULL);
	EXPECT(alloc_pages(GFP_KERNEL, 1) == all[pair]); /* both came out of the cache */
	__free_pages(all[pair], 1);
	for (u64 i = 0; i < n; i++) {
		if (i != pair && i != pair + 1)
			__free_pages(all[i], 0);
	}
	free(all);
	expect_back_to_start();
}

/*
 * The cache must neither lose a page nor hand one out twice. Order-0 and
 * order-1 blocks come and go at random, with the cache filled, drained
 * and refilled all the time (the live set swings by more than a batch);
 * every block handed out is checked against a model of which pages are
 * out, the free count against the model's, and buddy_check (which finds
 * a page cached twice) runs often. At the end every page must be
 * allocatable again, each exactly once: a lost page would be missing,
 * a doubly cached one come out twice.
 */
TEST(buddy, cache_never_loses_or_double_hands_a_page)
{
	u64 npages = RAM_SIZE >> PAGE_SHIFT, base = RAM_BASE >> PAGE_SHIFT;
	struct live *live = calloc(npages, sizeof(*live));
	u8 *owned = calloc(npages, 1);
	struct page **all = malloc(npages * sizeof(*all));
	u64 nlive = 0, model_free, n = 0, rng = 0x2545f4914f6cdd1dULL;
	struct buddy_stats now;

	boot();
	REQUIRE(live && owned && all);
	model_free = start.free_pages;
	for (long op = 0; op < 300000; op++) {
		u64 r = host_rand(&rng);
		/* Phases of 1000 ops lean to allocating or to freeing. */
		bool take = (r & 0xff) < ((op / 1000) % 2 ? 90u : 166u);

		if (nlive == 0 || take) {
			unsigned order = (r >> 8) % 8 == 0;
			struct page *p = alloc_pages(GFP_KERNEL, order);
			u64 pfn;

			REQUIRE(p);
			pfn = page_to_pfn(p);
			for (u64 i = 0; i < (1UL << order); i++) {
				REQUIRE(!owned[pfn - base + i]); /* never handed out twice */
				owned[pfn - base + i] = 1;
			}
			EXPECT_EQ(p->memdesc, MEMDESC_PAGES_OF(order));
			live[nlive++] = (struct live){ p, order, r };
			model_free -= 1UL << order;
		} else {
			u64 i = (r >> 8) % nlive;
			struct live l = live[i];
			u64 pfn = page_to_pfn(l.page);

			for (u64 j = 0; j < (1UL << l.order); j++)
				owned[pfn - base + j] = 0;
			__free_pages(l.page, l.order);
			live[i] = live[--nlive];
			model_free += 1UL << l.order;
		}
		buddy_stats(&now);
		REQUIRE(now.free_pages == model_free);
		REQUIRE(now.pcp_pages <= BUDDY_PCP_HIGH);
		if (op % 5000 == 0)
			buddy_check();
	}
	buddy_check();
	/* Every free page, once each. */
	while ((all[n] = alloc_pages(GFP_KERNEL, 0)) != NULL) {
		u64 pfn = page_to_pfn(all[n]);

		REQUIRE(!owned[pfn - base]);
		owned[pfn - base] = 1;
		n++;
	}
	EXPECT_EQ(n, model_free);
	while (n)
		__free_pages(all[--n], 0);
	while (nlive) {
		struct live l = live[--nlive];

		__free_pages(l.page, l.order);
	}
	free(all);
	free(live);
	free(owned);
	expect_back_to_start();
}

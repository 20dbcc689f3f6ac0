/*
 * test_slab.c — mm/slab.c, mm/kmalloc.c and mm/folio.c on fake RAM: caches,
 * size classes, kfree through the memdesc, large kmalloc through folios,
 * refused frees, and running out of memory.
 */
#include <string.h>

#include "harness.h"
#include "host.h"
#include "mm_boot.h"
#include "buddy.h"
#include "folio.h"
#include "slab.h"

#define RAM (32ULL << 20)

struct thing {
	u64 a, b, c;
};

TEST(slab, cache_alloc_free_and_reuse)
{
	struct kmem_cache *c;
	struct thing *t[100];

	mm_boot(RAM);
	c = kmem_cache_create("thing", sizeof(struct thing), 0);
	REQUIRE(c);
	for (int i = 0; i < 100; i++) {
		t[i] = kmem_cache_alloc(c, GFP_KERNEL);
		REQUIRE(t[i]);
		EXPECT_EQ((uintptr_t)t[i] % 8, 0);
		t[i]->a = i;
		for (int j = 0; j < i; j++)
			EXPECT(t[j] != t[i]);
	}
	for (int i = 0; i < 100; i++)
		EXPECT_EQ(t[i]->a, (u64)i);
	kmem_cache_free(c, t[42]);
	EXPECT(kmem_cache_alloc(c, GFP_KERNEL) == t[42]); /* last freed, first reused */
	for (int i = 0; i < 100; i++)
		kmem_cache_free(c, t[i]);
	EXPECT_EQ(kmem_cache_destroy(c), 0);
	EXPECT_NO_LOG("ignored");
}

TEST(slab, kmalloc_every_class)
{
	static const size_t sizes[] = { 1, 8, 9, 16, 33, 64, 65, 96, 100, 128, 150, 192,
					200, 256, 300, 512, 1000, 1024, 2000, 2048, 4000, 4096 };

	mm_boot(RAM);
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		u8 *p = kmalloc(sizes[i], GFP_KERNEL);

		REQUIRE(p);
		EXPECT(ksize(p) >= sizes[i]);
		EXPECT(ksize(p) < 2 * sizes[i] + 8);
		memset(p, 0x77, sizes[i]);
		EXPECT_EQ(memdesc_type(virt_to_page(p)->memdesc), MEMDESC_SLAB);
		kfree(p);
	}
	EXPECT_NO_LOG("ignored");
}

TEST(slab, kzalloc_zeroes)
{
	u8 *p;

	mm_boot(RAM);
	p = kmalloc(200, GFP_KERNEL);
	memset(p, 0xff, 200);
	kfree(p);
	p = kzalloc(200, GFP_KERNEL);
	REQUIRE(p);
	for (int i = 0; i < 200; i++)
		REQUIRE(p[i] == 0);
	kfree(p);
}

TEST(slab, large_kmalloc_is_a_folio)
{
	struct buddy_stats before, after;
	u8 *p;

	mm_boot(RAM);
	buddy_stats(&before);
	before.free_pages += mm_slab_pages(); /* count slab pages as held, not lost */
	p = kmalloc(3 * PAGE_SIZE + 1, GFP_KERNEL);
	REQUIRE(p);
	EXPECT(virt_to_folio(p) != NULL);
	EXPECT_EQ(folio_order(virt_to_folio(p)), 2);
	EXPECT_EQ(ksize(p), 4 * PAGE_SIZE);
	EXPECT(virt_to_folio(p + 3 * PAGE_SIZE) == virt_to_folio(p)); /* any page */
	memset(p, 1, 3 * PAGE_SIZE + 1);
	kfree(p + PAGE_SIZE);
	EXPECT_LOG("not its start");
	kfree(p);
	buddy_stats(&after);
	EXPECT_EQ(after.free_pages + mm_slab_pages(), before.free_pages);
	EXPECT(kmalloc((PAGE_SIZE << MAX_ORDER) + 1, GFP_KERNEL) == NULL);
}

TEST(slab, double_free_detected)
{
	void *p, *q;

	mm_boot(RAM);
	p = kmalloc(64, GFP_KERNEL);
	q = kmalloc(64, GFP_KERNEL);
	kfree(p);
	kfree(p);
	EXPECT_LOG("is free already (double free?)");
	/* The free chain survived: two allocations give two distinct,
	 * usable objects, neither of them q. */
	void *a = kmalloc(64, GFP_KERNEL), *b = kmalloc(64, GFP_KERNEL);
	EXPECT(a != b && a != q && b != q);
	kfree(a);
	kfree(b);
	kfree(q);
}

TEST(slab, foreign_pointers_refused)
{
	static u64 on_stack_like[4];
	struct kmem_cache *c;
	u8 *p;

	mm_boot(RAM);
	p = kmalloc(128, GFP_KERNEL);
	kfree(p + 8);
	EXPECT_LOG("not the start of an object of cache kmalloc-128");
	host_log_clear();
	kfree(on_stack_like);
	EXPECT_LOG("is not slab memory");
	c = kmem_cache_create("other", 128, 0);
	kmem_cache_free(c, p);
	EXPECT_LOG("belongs to cache kmalloc-128, not other");
	kfree(p); /* still allocated after all of that: freed now */
	EXPECT_EQ(kmem_cache_destroy(c), 0);
}

TEST(slab, destroy_refused_while_in_use)
{
	struct kmem_cache *c;
	void *o;

	mm_boot(RAM);
	c = kmem_cache_create("busy", 40, 0);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	EXPECT_EQ(kmem_cache_destroy(c), -EBUSY);
	EXPECT_LOG("still has 1 objects");
	kmem_cache_free(c, o);
	EXPECT_EQ(kmem_cache_destroy(c), 0);
}

TEST(slab, create_rejects_bad_sizes)
{
	mm_boot(RAM);
	EXPECT(kmem_cache_create("zero", 0, 0) == NULL);
	EXPECT(kmem_cache_create("huge", KMALLOC_MAX_CACHE_SIZE + 1, 0) == NULL);
	EXPECT(kmem_cache_create("odd-align", 64, 24) == NULL);
	EXPECT(kmalloc(0, GFP_KERNEL) == NULL);
}

TEST(slab, out_of_memory_survived)
{
	struct buddy_stats before, after;
	u64 slab_before, n = 0;
	void **all;

	mm_boot(RAM);
	all = kmalloc(PAGE_SIZE << 8, GFP_KERNEL); /* a big index, a folio */
	REQUIRE(all);
	buddy_stats(&before);
	slab_before = mm_slab_pages();
	while (n < (PAGE_SIZE << 8) / sizeof(void *) && (all[n] = kmalloc(2048, GFP_KERNEL)))
		n++;
	EXPECT(n < (PAGE_SIZE << 8) / sizeof(void *)); /* stopped at NULL, not the end */
	EXPECT(kmalloc(2048, GFP_KERNEL) == NULL);
	while (n)
		kfree(all[--n]);
	kfree(all);
	buddy_stats(&after);
	/* Back to where it was, but for the one empty slab a cache may keep. */
	EXPECT(after.free_pages + (mm_slab_pages() - slab_before) >= before.free_pages);
}

TEST(folio, refcount_and_accessors)
{
	struct folio *f;
	struct buddy_stats before, after;

	mm_boot(RAM);
	buddy_stats(&before);
	before.free_pages += mm_slab_pages(); /* the folio cache grows a slab */
	f = folio_alloc(__GFP_ZERO, 3);
	REQUIRE(f);
	EXPECT_EQ(folio_order(f), 3);
	EXPECT_EQ(folio_size(f), 8 * PAGE_SIZE);
	EXPECT_EQ(folio_pfn(f) % 8, 0);
	EXPECT(page_folio(f->page + 7) == f);
	EXPECT(((u64 *)folio_address(f))[100] == 0);
	folio_get(f);
	folio_put(f);
	buddy_stats(&after);
	EXPECT_EQ(after.free_pages + mm_slab_pages(), before.free_pages - 8); /* one ref left */
	folio_put(f);
	buddy_stats(&after);
	EXPECT_EQ(after.free_pages + mm_slab_pages(), before.free_pages);
	EXPECT(folio_alloc(GFP_KERNEL, MAX_ORDER + 1) == NULL);
}

/* Frees go first to the cache's magazine, then (when it is full) to the
 * slabs: a second free is caught on either side. */
TEST(slab, double_free_caught_in_magazine_and_slab)
{
	void *o[100];

	mm_boot(RAM);
	for (int i = 0; i < 100; i++)
		REQUIRE((o[i] = kmalloc(32, GFP_KERNEL)) != NULL);
	for (int i = 0; i < 100; i++)
		kfree(o[i]);                 /* the first ones land in the magazine */
	host_log_clear();
	kfree(o[0]);                         /* in the magazine */
	EXPECT_LOG("is free already (double free?)");
	host_log_clear();
	kfree(o[99]);                        /* past the magazine: in its slab */
	EXPECT_LOG("is free already (double free?)");
	host_log_clear();
	/* Nothing was corrupted: 100 allocations give 100 distinct objects. */
	for (int i = 0; i < 100; i++) {
		o[i] = kmalloc(32, GFP_KERNEL);
		REQUIRE(o[i]);
		for (int j = 0; j < i; j++)
			REQUIRE(o[j] != o[i]);
	}
	for (int i = 0; i < 100; i++)
		kfree(o[i]);
	EXPECT_NO_LOG("ignored");
}

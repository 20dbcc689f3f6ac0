/*
 * test_slab.c — mm/slab.c, mm/kmalloc.c and mm/folio.c on fake RAM: caches,
 * size classes, kfree through the memdesc, large kmalloc through folios,
 * refused frees, and running out of memory.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "host.h"
#include "mm_boot.h"
#include "buddy.h"
#include "folio.h"
#include "slab.h"
#include "mm/misuse.h"

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
	static const size_t sizes[] = {
		1,   8,   9,   16,  33,  64,   65,   96,   100,  128,  150,
		192, 200, 256, 300, 512, 1000, 1024, 2000, 2048, 4000, 4096
	};

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
	EXPECT_EQ(misuse_count[MISUSE_SLAB_BAD_FREE], 1);
	EXPECT_EQ(slab_check(NULL, 0), 0);
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

/* kfree's objects go to the free queue, then to their cache's magazine,
 * then (when it is full, its oldest half) to the slabs: a second free is
 * caught wherever the object is. */
TEST(slab, double_free_caught_in_magazine_and_slab)
{
	void *o[100];

	mm_boot(RAM);
	for (int i = 0; i < 100; i++)
		REQUIRE((o[i] = kmalloc(32, GFP_KERNEL)) != NULL);
	for (int i = 0; i < 100; i++)
		kfree(o[i]);
	host_log_clear();
	kfree(o[99]); /* the newest: in the queue or the magazine */
	EXPECT_LOG("is free already (double free?)");
	host_log_clear();
	kfree(o[0]); /* the oldest: flushed to its slab */
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

/* The objects handed out, per cache, as kmem_cache_for_each reports them. */
static void sum_active(const struct kmem_cache_stats *st, void *arg)
{
	if (strcmp(st->name, "slab") != 0)
		*(u64 *)arg += st->active_objects;
}

static u64 active_objects(void)
{
	u64 n = 0;

	kmem_cache_for_each(sum_active, &n);
	return n;
}

/* An object waiting in the free queue is free: a second kfree or a
 * kmem_cache_free of it is refused, it counts as free, and a cache whose
 * last objects wait there can be destroyed. */
TEST(slab, free_queue_holds_free_objects)
{
	struct kmem_cache *c;
	void *o, *p;
	u64 base;

	mm_boot(RAM);
	c = kmem_cache_create("queued", 48, 0);
	REQUIRE(c);
	base = active_objects();
	o = kmem_cache_alloc(c, GFP_KERNEL);
	p = kmalloc(100, GFP_KERNEL);
	REQUIRE(o && p);
	EXPECT_EQ(active_objects(), base + 2);
	kfree(o); /* kfree of a kmem_cache object: fine */
	kfree(p);
	EXPECT_EQ(slab_freeq.n, 2);
	host_log_clear();
	kfree(p);
	EXPECT_LOG("is free already (double free?)");
	host_log_clear();
	kmem_cache_free(c, o);
	EXPECT_LOG("is free already (double free?)");
	EXPECT_EQ(active_objects(), base); /* counting drained the queue */
	EXPECT_EQ(slab_freeq.n, 0);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	kfree(o);
	EXPECT_EQ(slab_freeq.n, 1);
	EXPECT_EQ(kmem_cache_destroy(c), 0); /* its object waited in the queue */
	EXPECT_EQ(slab_freeq.n, 0);
}

/* A magazine that runs empty first takes its cache's objects back from
 * the free queue, then a batch from the slabs. */
TEST(slab, empty_magazine_drains_the_queue_first)
{
	void *o[SLAB_FREEQ_SIZE];
	struct kmem_cache *c;

	mm_boot(RAM);
	c = kmalloc_class_cache(64);
	REQUIRE(c);
	for (int i = 0; i < SLAB_FREEQ_SIZE; i++)
		REQUIRE((o[i] = kmalloc(64, GFP_KERNEL)) != NULL);
	while (c->mag_n) /* empty the magazine into the test's hands */
		REQUIRE(kmalloc(64, GFP_KERNEL) != NULL);
	for (int i = 0; i < 3; i++)
		kfree(o[i]);
	EXPECT_EQ(slab_freeq.n, 3);
	EXPECT(kmalloc(64, GFP_KERNEL) == o[2]); /* from the queue, not a slab */
	EXPECT_EQ(slab_freeq.n, 0);
	EXPECT_EQ(c->mag_n, 2);
}

/*
 * No object lost or handed out twice through the free queue and the
 * magazines: kmalloc and kfree at random over every small class, with
 * the queue and the magazines filled, drained and flushed all the time.
 * Every object handed out is stamped over its whole size and checked
 * against a shadow of what is out (no two live objects share a byte),
 * and at the end the counts are back where they started.
 */
TEST(slab, queue_and_magazines_never_lose_or_double_hand_an_object)
{
	enum { LIVE = 2000 };
	static struct {
		u8 *p;
		size_t size;
		u8 stamp;
	} live[LIVE];
	u64 nlive = 0, base, rng = 0x9e3779b97f4a7c15ULL;
	u64 ram_pages = RAM >> PAGE_SHIFT, ram_base = MM_RAM_BASE >> PAGE_SHIFT;
	u8 *shadow;

	mm_boot(RAM);
	shadow = calloc(ram_pages, PAGE_SIZE / 8); /* one bit per byte of RAM */
	REQUIRE(shadow);
	base = active_objects();
	for (long op = 0; op < 400000; op++) {
		u64 r = host_rand(&rng);
		bool take = (r & 0xff) < ((op / 3000) % 2 ? 100u : 156u);

		if (nlive < LIVE && (nlive == 0 || take)) {
			size_t size = 1 + (r >> 8) % 256;
			u8 *p = kmalloc(size, GFP_KERNEL);
			u64 off;

			REQUIRE(p);
			off = virt_to_phys(p) - (ram_base << PAGE_SHIFT);
			for (size_t b = 0; b < size; b++) {
				REQUIRE(!(shadow[(off + b) / 8] & (1u << ((off + b) % 8))));
				shadow[(off + b) / 8] |= 1u << ((off + b) % 8);
			}
			memset(p, (u8)r, size);
			live[nlive].p = p;
			live[nlive].size = size;
			live[nlive++].stamp = (u8)r;
		} else {
			u64 i = (r >> 8) % nlive;
			u8 *p = live[i].p;
			u64 off = virt_to_phys(p) - (ram_base << PAGE_SHIFT);

			for (size_t b = 0; b < live[i].size; b++) {
				REQUIRE(p[b] == live[i].stamp); /* nobody else wrote it */
				shadow[(off + b) / 8] &= ~(1u << ((off + b) % 8));
			}
			kfree(p);
			live[i] = live[--nlive];
		}
		if (op % 50000 == 0) {
			EXPECT_EQ(active_objects(), base + nlive);
			buddy_check();
			EXPECT_EQ(slab_check(NULL, 0), 0);
		}
	}
	while (nlive)
		kfree(live[--nlive].p);
	EXPECT_EQ(active_objects(), base);
	EXPECT_NO_LOG("ignored");
	free(shadow);
}

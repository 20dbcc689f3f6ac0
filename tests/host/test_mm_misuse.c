/*
 * test_mm_misuse.c — the allocators against their callers' mistakes
 * (mm/misuse.h, docs/06-slab-and-vmalloc.md "When callers get it wrong"): each test
 * breaks one rule -- a freelist word or a list node overwritten, a write
 * after free with poisoning on, a double or foreign free, a free of
 * preserved or reserved memory, a folio put once too often, a vfree of no
 * area -- and expects the one-line report, its count, the allocator still
 * whole (buddy_verify, slab_check and vmalloc_check pass, nothing handed
 * out twice) and, where the test can say so, every page back.
 */
#include <string.h>

#include "harness.h"
#include "host.h"
#include "mm_boot.h"
#include "buddy.h"
#include "cmdline.h"
#include "folio.h"
#include "kho.h"
#include "slab.h"
#include "vmalloc.h"
#include "mm/misuse.h"

#define RAM (32ULL << 20)

/* The three checkers pass; a failure names the checker and its why. */
static void checkers_pass(int line)
{
	char why[ERR_WHY_MAX];

	if (buddy_verify(why, sizeof(why)))
		host_fail(__FILE__, line, "buddy_verify: %s", why);
	if (slab_check(why, sizeof(why)))
		host_fail(__FILE__, line, "slab_check: %s", why);
	if (vmalloc_check(why, sizeof(why)))
		host_fail(__FILE__, line, "vmalloc_check: %s", why);
}
#define CHECKERS_PASS() checkers_pass(__LINE__)

/* slab_check finds something wrong, and says what. */
static void slab_check_fails(int line, const char *says)
{
	char why[ERR_WHY_MAX] = "";

	if (slab_check(why, sizeof(why)) != -EINVAL || !strstr(why, says))
		host_fail(__FILE__, line, "slab_check said '%s', expected '%s'", why, says);
}
#define SLAB_CHECK_FAILS(says) slab_check_fails(__LINE__, (says))

static void buddy_verify_fails(int line, const char *says)
{
	char why[ERR_WHY_MAX] = "";

	if (buddy_verify(why, sizeof(why)) != -EINVAL || !strstr(why, says))
		host_fail(__FILE__, line, "buddy_verify said '%s', expected '%s'", why, says);
}
#define BUDDY_VERIFY_FAILS(says) buddy_verify_fails(__LINE__, (says))

static void vmalloc_check_fails(int line, const char *says)
{
	char why[ERR_WHY_MAX] = "";

	if (vmalloc_check(why, sizeof(why)) != -EINVAL || !strstr(why, says))
		host_fail(__FILE__, line, "vmalloc_check said '%s', expected '%s'", why, says);
}
#define VMALLOC_CHECK_FAILS(says) vmalloc_check_fails(__LINE__, (says))

/* Free pages, counting the slabs' pages as held (slab keeps what it grew). */
static u64 pages_free(void)
{
	struct buddy_stats st;

	buddy_stats(&st);
	return st.free_pages + mm_slab_pages();
}

/* Take n objects of c, none of them avoid; they go to out[]. */
static void take_all_but(struct kmem_cache *c, void **out, int n, const void *avoid)
{
	for (int i = 0; i < n; i++) {
		out[i] = kmem_cache_alloc(c, GFP_KERNEL);
		REQUIRE(out[i] != NULL);
		EXPECT(out[i] != avoid);
	}
}

/* ---- slab: the freelist ---- */

/* A fresh cache of size-byte objects with one object taken (o): the
 * slab it came from still has free objects on its freelist (a batch of
 * 32 went to the magazine). Returns that slab. */
static struct slab *slab_with_free_objects(const char *name, size_t size, struct kmem_cache **c,
					   void **o)
{
	struct slab *s;

	mm_boot(RAM);
	*c = kmem_cache_create(name, size, 0);
	REQUIRE(*c);
	*o = kmem_cache_alloc(*c, GFP_KERNEL);
	s = slab_of_page(*o);
	REQUIRE(s && s->freelist);
	return s;
}

/* A free object in a slab, zeroed after it was freed (the commonest write
 * after free): its freelist word no longer decodes to a free object of
 * its slab. Caught when the slab hands it out, the object kept out of use
 * and the freelist rebuilt; nothing else is lost. */
TEST(slab_misuse, freelist_word_zeroed_is_caught)
{
	struct kmem_cache *c;
	void *o, *victim, *got[100];

	victim = slab_with_free_objects("victim", 64, &c, &o)->freelist;
	memset(victim, 0, 64);
	SLAB_CHECK_FAILS("freelist of slab");
	host_log_clear();
	take_all_but(c, got, 100, victim);
	EXPECT_LOG("slab: cache victim: free object ");
	EXPECT_LOG("has its freelist word overwritten");
	EXPECT_LOG("the object is kept out of use (leaked) and the freelist rebuilt");
	EXPECT_EQ(misuse_count[MISUSE_SLAB_FREELIST], 1);
	EXPECT_EQ(misuse_total(), 1);
	CHECKERS_PASS();
	for (int i = 0; i < 100; i++)
		kmem_cache_free(c, got[i]);
	kmem_cache_free(c, o);
	EXPECT_EQ(kmem_cache_destroy(c), -EBUSY); /* the victim is still allocated */
	kmem_cache_free(c, victim);               /* whoever holds it gives it back */
	EXPECT_EQ(kmem_cache_destroy(c), 0);
	CHECKERS_PASS();
}

/* A free object's freelist word overwritten with a pointer -- to a live
 * object of the same slab, what a stale user would store -- decodes to no
 * free object either. */
TEST(slab_misuse, freelist_word_forged_is_caught)
{
	struct kmem_cache *c;
	void *o, *victim, *got[100];

	victim = slab_with_free_objects("forged", 32, &c, &o)->freelist;
	*(void **)victim = o;
	SLAB_CHECK_FAILS("no free object of it");
	take_all_but(c, got, 100, victim);
	EXPECT_LOG("has its freelist word overwritten");
	EXPECT_EQ(misuse_count[MISUSE_SLAB_FREELIST], 1);
	for (int i = 0; i < 100; i++)
		EXPECT(got[i] != o); /* the live one was not handed out again */
	CHECKERS_PASS();
}

/* The freelist pointer in the slab's descriptor itself, pointing into
 * the middle of an object: the slab's freelist is rebuilt from its bitmap
 * before anything follows it. */
TEST(slab_misuse, freelist_head_overwritten_is_caught)
{
	struct kmem_cache *c;
	void *o, *got[100];
	struct slab *s = slab_with_free_objects("head", 48, &c, &o);

	s->freelist = (u8 *)s->freelist + 8;
	SLAB_CHECK_FAILS("freelist of slab");
	take_all_but(c, got, 100, NULL);
	EXPECT_LOG("slab: cache head: the freelist of slab 0x");
	EXPECT_LOG("the freelist is rebuilt from the slab's bitmap");
	EXPECT_EQ(misuse_count[MISUSE_SLAB_FREELIST], 1);
	CHECKERS_PASS();
	for (int i = 0; i < 100; i++)
		kmem_cache_free(c, got[i]);
	kmem_cache_free(c, o);
	EXPECT_EQ(kmem_cache_destroy(c), 0); /* nothing leaked: no object was bad */
}

/* ---- slab: the magazine and the free queue ---- */

/* An object waiting in its cache's magazine, written after free: its free
 * mark is checked when the magazine hands it out, and it is not. */
TEST(slab_misuse, magazine_object_written_after_free_is_caught)
{
	struct kmem_cache *c;
	void *o, *p;

	mm_boot(RAM);
	c = kmem_cache_create("mag", 40, 0);
	REQUIRE(c);
	o = kmem_cache_alloc(c, GFP_KERNEL);
	kmem_cache_free(c, o); /* on top of the magazine */
	*(u64 *)o = 0x4141414141414141ULL;
	SLAB_CHECK_FAILS("magazine entry");
	p = kmem_cache_alloc(c, GFP_KERNEL);
	EXPECT(p && p != o);
	EXPECT_LOG("slab: cache mag: object ");
	EXPECT_LOG(", free in the magazine, was written after free (its first word is "
		   "0x4141414141414141, not its free mark); it is kept out of use (leaked)");
	EXPECT_EQ(misuse_count[MISUSE_SLAB_MAGAZINE], 1);
	CHECKERS_PASS();
	kmem_cache_free(c, p);
	kmem_cache_free(c, o); /* the holder gives it back */
	EXPECT_EQ(kmem_cache_destroy(c), 0);
	EXPECT_EQ(misuse_total(), 1);
}

/* kfree's free queue: an object written over while it waits is caught
 * when its magazine hands it out, or, when the magazine is full, when the
 * queue is drained. */
TEST(slab_misuse, free_queue_object_written_after_free_is_caught)
{
	struct kmem_cache *c;
	void *p, *q, *fill[SLAB_MAG_SIZE];

	mm_boot(RAM);
	c = kmalloc_class_cache(64);
	REQUIRE(c);
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	EXPECT_EQ(slab_freeq.n, 1);
	*(u64 *)p = 0;
	SLAB_CHECK_FAILS("free queue entry 0");
	slab_freeq_drain(); /* into the magazine, on top */
	q = kmalloc(64, GFP_KERNEL);
	EXPECT(q && q != p);
	EXPECT_LOG("free in the magazine, was written after free");
	EXPECT_EQ(misuse_count[MISUSE_SLAB_MAGAZINE], 1);
	CHECKERS_PASS();

	/* Now with the magazine full: the drain takes the checked way. */
	for (int i = 0; i < SLAB_MAG_SIZE; i++)
		REQUIRE((fill[i] = kmalloc(64, GFP_KERNEL)) != NULL);
	for (int i = 0; c->mag_n < c->mag_cap; i++)
		kmem_cache_free(c, fill[i]);
	kfree(q);
	*(u64 *)q = 0x42;
	host_log_clear();
	slab_freeq_drain();
	EXPECT_LOG("free in the free queue, was written after free");
	EXPECT_EQ(misuse_count[MISUSE_SLAB_MAGAZINE], 2);
	CHECKERS_PASS();
	kfree(p);
	kfree(q);
	EXPECT_EQ(misuse_total(), 2);
	CHECKERS_PASS();
}

/* ---- slab: poisoning ---- */

/* Allocate from c until the report says so (at most n times); every object
 * differs from avoid. The objects stay allocated (the test frees them). */
static int alloc_until_report(size_t size, void **got, int n, const void *avoid, u64 *count)
{
	u64 before = *count;
	int i;

	for (i = 0; i < n && *count == before; i++) {
		got[i] = kmalloc(size, GFP_KERNEL);
		REQUIRE(got[i] != NULL);
		EXPECT(got[i] != avoid);
	}
	return i;
}

TEST(slab_misuse, poisoning_catches_a_write_after_free)
{
	void *p, *keep, *got[300];
	int n;

	mm_boot(RAM);
	p = kmalloc(100, GFP_KERNEL);
	kfree(p); /* waiting in the queue: switching poisoning on flushes it */
	EXPECT(!slab_poison(true));
	EXPECT_EQ(slab_freeq.n, 0);
	EXPECT_EQ(kmalloc_class_cache(128)->mag_n, 0);
	CHECKERS_PASS(); /* every free object of every cache is poisoned now */
	keep = kmalloc(100, GFP_KERNEL);
	p = kmalloc(100, GFP_KERNEL);
	REQUIRE(keep && p);
	EXPECT_EQ(((u8 *)p)[99], SLAB_POISON_BYTE); /* handed out as it lay */
	memset(p, 1, 100);
	kfree(p);
	EXPECT_EQ(slab_freeq.n, 0); /* no queue while poisoning */
	EXPECT_EQ(((u8 *)p)[50], SLAB_POISON_BYTE);
	((u8 *)p)[40] = 0;
	SLAB_CHECK_FAILS("was written after free: byte +0x28 is 0x00");
	n = alloc_until_report(100, got, 300, p, &misuse_count[MISUSE_SLAB_POISON]);
	EXPECT_LOG("slab: cache kmalloc-128: object ");
	EXPECT_LOG(" was written after free (byte +0x28 is 0x00, not the poison 0x6b); it is kept "
		   "out of use (leaked) and another is handed out");
	EXPECT_EQ(misuse_count[MISUSE_SLAB_POISON], 1);
	CHECKERS_PASS();
	while (n)
		kfree(got[--n]);
	kfree(p);
	kfree(keep);
	p = kzalloc(100, GFP_KERNEL);
	for (int i = 0; i < 100; i++)
		REQUIRE(((u8 *)p)[i] == 0);
	kfree(p);
	EXPECT(slab_poison(false));
	EXPECT_EQ(kmalloc_class_cache(128)->mag_cap, SLAB_MAG_SIZE);
	EXPECT_EQ(misuse_total(), 1);
	CHECKERS_PASS();
}

/* slab_debug=P before the boot: the caches come up without magazines. */
TEST(slab_misuse, poisoning_from_the_command_line)
{
	void *p, *got[300];

	host_console_register();
	EXPECT_EQ(cmdline_parse("slab_debug=Z"), 1);
	EXPECT_LOG("cmdline: bad value for 'slab_debug': 'Z' (P: poison");
	EXPECT_EQ(cmdline_parse("slab_debug=FP"), 0);
	mm_boot(RAM);
	EXPECT_EQ(kmalloc_class_cache(64)->mag_cap, 0);
	CHECKERS_PASS();
	p = kmalloc(64, GFP_KERNEL);
	kfree(p);
	((u8 *)p)[63] = 0x6c;
	alloc_until_report(64, got, 300, p, &misuse_count[MISUSE_SLAB_POISON]);
	EXPECT_LOG("(byte +0x3f is 0x6c, not the poison 0x6b)");
	EXPECT_EQ(misuse_count[MISUSE_SLAB_POISON], 1);
	CHECKERS_PASS();
	EXPECT_EQ(cmdline_parse("slab_debug=-"), 0);
}

/*
 * A churn for the poisoning tests: take and give back blocks at random
 * (up to max live), each stamped over its bytes and checked before it
 * goes back (every byte of a small one, a byte in 61 of a large one),
 * poisoning switched on and off every `every` steps, the checkers run
 * each time. Poisoning must report nothing and hand out nothing twice.
 */
struct churn {
	void *(*take)(u64 r, u64 *bytes); /* a block of some size chosen by r */
	void (*give)(void *p, u64 bytes);
	bool (*poison)(bool on);
};

static void churn(const struct churn *c, long steps, u64 max, long every, u64 rng)
{
	static struct {
		u8 *p;
		u64 bytes;
		u8 stamp;
	} live[1000];
	u64 n = 0;

	REQUIRE(max <= 1000);
	for (long op = 0; op < steps; op++) {
		u64 r = host_rand(&rng);

		if (op % every == 0) {
			c->poison(op % (2 * every) == 0);
			CHECKERS_PASS();
		}
		if (n < max && (n == 0 || (r & 0xff) < 140)) {
			u8 *p = c->take(r, &live[n].bytes);

			REQUIRE(p);
			for (u64 i = 0; i < n; i++)
				REQUIRE(live[i].p != p);
			memset(p, (u8)r, live[n].bytes);
			live[n].p = p;
			live[n++].stamp = (u8)r;
		} else {
			u64 i = (r >> 8) % n;

			for (u64 b = 0; b<live[i].bytes; b += live[i].bytes> 512 ? 61 : 1)
				REQUIRE(live[i].p[b] == live[i].stamp);
			c->give(live[i].p, live[i].bytes);
			live[i] = live[--n];
		}
	}
	while (n) {
		n--;
		c->give(live[n].p, live[n].bytes);
	}
	c->poison(false);
	EXPECT_EQ(misuse_total(), 0);
	CHECKERS_PASS();
}

static void *churn_kmalloc(u64 r, u64 *bytes)
{
	*bytes = 1 + (r >> 8) % 512;
	return kmalloc(*bytes, GFP_KERNEL);
}

static void churn_kfree(void *p, u64 bytes)
{
	(void)bytes;
	kfree(p);
}

/* kmalloc and kfree over every small class. */
TEST(slab_misuse, poisoning_switched_at_random_loses_nothing)
{
	static const struct churn c = { churn_kmalloc, churn_kfree, slab_poison };
	u64 before;

	mm_boot(RAM);
	before = pages_free();
	churn(&c, 200000, 1000, 20000, 0x2545f4914f6cdd1dULL);
	EXPECT(pages_free() >= before - 64); /* slab may keep an empty slab per cache */
}

/* ---- folio ---- */

/* A put after the last put (the descriptor waits free in the folio cache,
 * or, with slab poisoning, is back in its slab), and a put of a folio
 * whose count someone else's mistake brought to 0: refused, nothing
 * freed twice, and the folio that is still live frees once its count is
 * right. */
TEST(folio_misuse, put_that_would_underflow_is_refused)
{
	u64 before;
	struct folio *f;

	mm_boot(RAM);
	before = pages_free();
	f = folio_alloc(GFP_KERNEL, 2);
	REQUIRE(f);
	folio_put(f);
	EXPECT_EQ(pages_free(), before);
	folio_put(f);
	EXPECT_LOG("folio: refcount underflow: folio_put of ");
	EXPECT_LOG(", which is no live folio (put after its last reference was dropped, or not a "
		   "folio); the put is ignored");
	slab_poison(true);
	f = folio_alloc(GFP_KERNEL, 0);
	REQUIRE(f);
	folio_put(f);
	folio_put(f);
	slab_poison(false);
	EXPECT_EQ(misuse_count[MISUSE_FOLIO_REFCOUNT], 2);
	EXPECT_EQ(pages_free(), before);

	f = folio_alloc(GFP_KERNEL, 3);
	REQUIRE(f);
	folio_get(f);
	folio_put(f);
	f->refcount = 0;
	folio_put(f);
	EXPECT_LOG("folio: refcount underflow: folio_put of folio ");
	EXPECT_LOG(" order 3) with refcount 0; the put is ignored, the folio stays allocated");
	EXPECT_EQ(misuse_count[MISUSE_FOLIO_REFCOUNT], 3);
	EXPECT_EQ(pages_free(), before - 8);
	f->refcount = 1;
	folio_put(f);
	EXPECT_EQ(pages_free(), before);
	EXPECT_EQ(misuse_total(), 3);
	CHECKERS_PASS();
}

/* ---- buddy: frees that are not one allocated block ---- */

TEST(buddy_misuse, double_free_is_refused)
{
	u64 before;
	struct page *p, *q;

	mm_boot(RAM);
	before = pages_free();
	p = alloc_pages(GFP_KERNEL, 2);
	q = alloc_pages(GFP_KERNEL, 0);
	REQUIRE(p && q);
	__free_pages(p, 2);
	__free_pages(p, 2);
	EXPECT_LOG("order 2: it is free already (double free?); the free is refused, the block "
		   "stays free");
	__free_pages(q, 0); /* into the per-CPU cache */
	__free_pages(q, 0);
	EXPECT_EQ(free_page_desc(q, 0), -EINVAL);
	EXPECT_EQ(misuse_count[MISUSE_BUDDY_DOUBLE_FREE], 3);
	EXPECT_EQ(misuse_total(), 3);
	EXPECT_EQ(pages_free(), before);
	CHECKERS_PASS();
}

TEST(buddy_misuse, free_of_what_is_not_a_blocks_head_is_refused)
{
	u64 before;
	struct page *p;

	mm_boot(RAM);
	before = pages_free();
	p = alloc_pages(GFP_KERNEL, 2);
	REQUIRE(p);
	__free_pages(p + 1, 0);
	EXPECT_LOG("order 0: it was allocated with another order (not the head of an allocated "
		   "block of that order); the free is refused, the block stays allocated (leaked)");
	__free_pages(p + 1, 1);
	EXPECT_LOG("it is not aligned to that order (not a block's head)");
	EXPECT_EQ(free_page_desc(p, 3), -EINVAL);
	EXPECT_EQ(free_page_desc(p, 1), -EINVAL);
	EXPECT_EQ(misuse_count[MISUSE_BUDDY_BAD_FREE], 4);
	EXPECT_EQ(p[3].memdesc, MEMDESC_PAGES_OF(2)); /* still whole, still allocated */
	EXPECT_EQ(pages_free(), before - 4);
	CHECKERS_PASS();
	__free_pages(p, 2);
	EXPECT_EQ(pages_free(), before);
	EXPECT_EQ(misuse_total(), 4);
}

TEST(buddy_misuse, free_of_reserved_memory_is_refused)
{
	struct page *fw;
	u64 before;

	mm_boot(RAM);
	fw = pfn_to_page(MM_RAM_BASE >> PAGE_SHIFT); /* the reserved first MiB */
	before = pages_free();
	EXPECT_EQ(free_page_desc(fw, 0), -EINVAL);
	__free_pages(fw + 4, 2);
	EXPECT_LOG("it is not the allocator's (reserved); the free is refused, the block stays "
		   "reserved");
	EXPECT_EQ(misuse_count[MISUSE_BUDDY_NOT_OURS], 2);
	EXPECT_EQ(fw->memdesc, memdesc_make(MEMDESC_RESERVED, 0));
	EXPECT_EQ(pages_free(), before);
	CHECKERS_PASS();
}

/* A block preserved by the last kernel and not restored yet is KHO's
 * until it is restored: a free of any page of it is refused. */
TEST(buddy_misuse, free_of_a_preserved_block_is_refused)
{
	static u64 fdt[8192 / 8];
	const u64 ram_base = 0x40000000ULL, ram = 128ULL << 20;
	struct kho_handover h;
	struct folio *f;
	struct page *page;
	phys_addr_t pa;

	host_ram(ram_base, ram);
	host_console_register();
	mm_boot_generation(ram_base, ram, NULL);
	f = folio_alloc(GFP_KERNEL, 2);
	REQUIRE(f);
	memset(folio_address(f), 0x5a, folio_size(f));
	pa = folio_pfn(f) << PAGE_SHIFT;
	REQUIRE(kho_preserve_folio(f) == 0);
	REQUIRE(kho_serialize(&h) == 0);
	REQUIRE(kho_handover_fdt(fdt, sizeof(fdt), &h) == 0);
	mm_boot_generation(ram_base, ram, fdt); /* the next kernel */
	REQUIRE(kho_is_kho_boot());
	page = pfn_to_page(pa >> PAGE_SHIFT);
	REQUIRE(memdesc_type(page->memdesc) == MEMDESC_PRESERVED);
	host_log_clear();
	__free_pages(page, 2);
	EXPECT_LOG("it is preserved by KHO and not restored (restore it first); the free is "
		   "refused, the block stays preserved");
	EXPECT_EQ(free_page_desc(page, 2), -EINVAL);
	EXPECT_EQ(free_page_desc(page + 3, 0), -EINVAL);
	EXPECT_EQ(misuse_count[MISUSE_BUDDY_NOT_OURS], 3);
	CHECKERS_PASS();
	f = kho_restore_folio(pa); /* restored, it frees like any folio */
	REQUIRE(f);
	EXPECT_EQ(((u8 *)folio_address(f))[100], 0x5a);
	folio_put(f);
	EXPECT_EQ(memdesc_type(page->memdesc), MEMDESC_FREE);
	EXPECT_EQ(misuse_total(), 3);
	CHECKERS_PASS();
}

/* ---- buddy: the free lists and poisoning ---- */

/* A free block alone on its list (its buddy allocated). */
static struct page *lone_free_block(unsigned order, struct page **buddy_of_it)
{
	struct page *a = alloc_pages(GFP_KERNEL, order), *b = alloc_pages(GFP_KERNEL, order);

	REQUIRE(a && b);
	*buddy_of_it = b;
	__free_pages(a, order);
	REQUIRE((a->memdesc & ~MEMDESC_POISONED) == memdesc_make(MEMDESC_FREE, order));
	return a;
}

/* The list node in a free block's first bytes, zeroed after free: the
 * next list operation that meets it does not follow it; the lists are
 * made again from the memmap and nothing is lost. */
TEST(buddy_misuse, list_node_overwritten_has_the_lists_rebuilt)
{
	struct buddy_stats start, now;
	struct page *a, *b, *got[4];

	mm_boot(RAM);
	buddy_drain();
	buddy_stats(&start);
	a = lone_free_block(3, &b);
	memset(page_address(a), 0, 16);
	BUDDY_VERIFY_FAILS("buddy: free list 3 broken at pfn");
	for (int i = 0; i < 4; i++)
		REQUIRE((got[i] = alloc_pages(GFP_KERNEL, 3)) != NULL);
	EXPECT_LOG("buddy: free list 3 is broken at pfn 0x");
	EXPECT_LOG("its list node does not link back to its neighbours (a free block written "
		   "after free?); the free lists are rebuilt from the memmap");
	EXPECT_EQ(misuse_count[MISUSE_BUDDY_LIST], 1);
	CHECKERS_PASS();
	for (int i = 0; i < 4; i++)
		__free_pages(got[i], 3);
	__free_pages(b, 3);
	buddy_drain();
	buddy_stats(&now);
	EXPECT_EQ(now.free_pages, start.free_pages);
	for (int k = 0; k <= MAX_ORDER; k++)
		EXPECT_EQ(now.nr_free[k], start.nr_free[k]);
	CHECKERS_PASS();
	EXPECT_EQ(misuse_total(), 1);
}

/* The node's back link pointed at an allocated page: refused the same way. */
TEST(buddy_misuse, list_node_pointing_at_an_allocated_page_is_not_followed)
{
	struct page *a, *b, *x;

	mm_boot(RAM);
	a = lone_free_block(2, &b);
	x = alloc_pages(GFP_KERNEL, 0);
	REQUIRE(x);
	((void **)page_address(a))[1] = page_address(x); /* its prev */
	BUDDY_VERIFY_FAILS("buddy: free list 2 broken at pfn");
	__free_pages(b, 2); /* merging with a unlinks it */
	EXPECT_EQ(misuse_count[MISUSE_BUDDY_LIST], 1);
	EXPECT_LOG("buddy: free list 2 is broken at pfn 0x");
	CHECKERS_PASS();
	__free_pages(x, 0);
	CHECKERS_PASS();
}

/* Allocate order-0 pages until the report comes (at most n). */
static int pages_until_report(struct page **got, int n, const struct page *avoid)
{
	u64 before = misuse_count[MISUSE_PAGE_POISON];
	int i;

	for (i = 0; i < n && misuse_count[MISUSE_PAGE_POISON] == before; i++) {
		got[i] = alloc_pages(GFP_KERNEL, 0);
		REQUIRE(got[i] != NULL);
		EXPECT(got[i] != avoid);
	}
	return i;
}

TEST(buddy_misuse, page_poisoning_catches_a_write_after_free)
{
	struct page *p, *b, *got[64];
	u64 before;
	int n;

	mm_boot(RAM);
	before = pages_free();
	EXPECT(!buddy_page_poison(true));
	EXPECT_EQ(buddy_pcp.count, 0); /* drained, and bypassed from now on */
	p = lone_free_block(0, &b);
	EXPECT(p->memdesc & MEMDESC_POISONED);
	EXPECT_EQ(((u8 *)page_address(p))[PAGE_SIZE - 1], BUDDY_POISON_BYTE);
	((u8 *)page_address(p))[0x123] = 0x11;
	BUDDY_VERIFY_FAILS("was written after free: byte 0x123 is 0x11");
	n = pages_until_report(got, 64, p);
	EXPECT_LOG(" was written after it was freed (byte 0x123 is 0x11, not the poison 0xaa); the "
		   "order-0 block at pfn 0x");
	EXPECT_LOG(" is kept out of use (leaked)");
	EXPECT_EQ(misuse_count[MISUSE_PAGE_POISON], 1);
	EXPECT_EQ(p->memdesc, MEMDESC_PAGES_OF(0)); /* nobody's: out of use */
	CHECKERS_PASS();
	while (n)
		__free_pages(got[--n], 0);
	__free_pages(b, 0);
	__free_pages(p, 0); /* whoever held it gives it back */
	EXPECT(buddy_page_poison(false));
	EXPECT_EQ(pages_free(), before);
	EXPECT_EQ(misuse_total(), 1);
	CHECKERS_PASS();
}

TEST(buddy_misuse, page_poison_on_the_command_line)
{
	struct page *p, *b, *got[64];

	host_console_register();
	EXPECT_EQ(cmdline_parse("page_poison=maybe"), 1);
	EXPECT_LOG("cmdline: bad value for 'page_poison': 'maybe' (on|off: fill freed pages");
	EXPECT_EQ(cmdline_parse("page_poison=on"), 0);
	mm_boot(RAM);
	EXPECT_EQ(buddy_pcp.high, 0);
	CHECKERS_PASS(); /* all free memory poisoned at boot, and intact */
	p = lone_free_block(1, &b);
	((u8 *)page_address(p + 1))[7] = 0;
	pages_until_report(got, 64, p + 1);
	EXPECT_LOG("(byte 0x7 is 0x00, not the poison 0xaa); the order-0 block");
	EXPECT_EQ(misuse_count[MISUSE_PAGE_POISON], 1);
	CHECKERS_PASS();
	EXPECT_EQ(cmdline_parse("page_poison=off"), 0);
}

static void *churn_pages(u64 r, u64 *bytes)
{
	unsigned order = (unsigned)((r >> 8) % 5);
	struct page *p = alloc_pages((r >> 16) & 1 ? __GFP_ZERO : GFP_KERNEL, order);

	*bytes = PAGE_SIZE << order;
	return p ? page_address(p) : NULL;
}

static void churn_free_pages(void *p, u64 bytes)
{
	__free_pages(virt_to_page(p), (unsigned)__builtin_ctzll(bytes / PAGE_SIZE));
}

/* Page poisoning through splits and merges: orders 0..4, every page back. */
TEST(buddy_misuse, page_poisoning_switched_at_random_loses_nothing)
{
	static const struct churn c = { churn_pages, churn_free_pages, buddy_page_poison };
	u64 before;

	mm_boot(RAM);
	before = pages_free();
	churn(&c, 40000, 200, 5000, 0x9e3779b97f4a7c15ULL);
	EXPECT_EQ(pages_free(), before);
}

/* ---- vmalloc ---- */

TEST(vmalloc_misuse, vfree_twice_is_refused)
{
	struct vmalloc_stats before, now;
	void *p;

	mm_boot(RAM);
	vmalloc_stats(&before);
	p = vmalloc(3 * PAGE_SIZE);
	REQUIRE(p);
	CHECKERS_PASS();
	vfree(p);
	vfree(p);
	EXPECT_LOG("vfree: ");
	EXPECT_LOG(" is not the start of a vmalloc area (freed already?); ignored");
	vfree((u8 *)p + PAGE_SIZE);
	EXPECT_EQ(misuse_count[MISUSE_VMALLOC_BAD_FREE], 2);
	vmalloc_stats(&now);
	EXPECT_EQ(now.areas, before.areas);
	EXPECT_EQ(now.pages, before.pages);
	CHECKERS_PASS();
}

/* vmalloc_check can fail: a page unmapped behind vmalloc's back, a guard
 * page mapped, a page in two areas. */
TEST(vmalloc_misuse, check_finds_what_is_broken)
{
	struct page *const *pages, *const *qpages;
	struct page *saved;
	u8 *p, *q;
	u64 n, qn;

	mm_boot(RAM);
	p = vmalloc(2 * PAGE_SIZE);
	q = vmalloc(PAGE_SIZE);
	REQUIRE(p && q && vmalloc_area_pages(p, &pages, &n) && vmalloc_area_pages(q, &qpages, &qn));
	CHECKERS_PASS();
	arch_unmap_kernel_page((unsigned long)p + PAGE_SIZE);
	VMALLOC_CHECK_FAILS("is not mapped to its page");
	REQUIRE(arch_map_kernel_page((unsigned long)p + PAGE_SIZE, page_to_phys(pages[1])));
	CHECKERS_PASS();
	REQUIRE(arch_map_kernel_page((unsigned long)p + 2 * PAGE_SIZE, page_to_phys(pages[0])));
	VMALLOC_CHECK_FAILS("the guard page of area");
	arch_unmap_kernel_page((unsigned long)p + 2 * PAGE_SIZE);
	saved = qpages[0];
	((struct page **)qpages)[0] = pages[0];
	VMALLOC_CHECK_FAILS("in another area too");
	((struct page **)qpages)[0] = saved;
	CHECKERS_PASS(); /* and the walk's marks were all taken away */
	EXPECT_EQ(pages[0]->memdesc, MEMDESC_PAGES_OF(0));
	vfree(p);
	vfree(q);
	EXPECT_EQ(misuse_total(), 0);
	CHECKERS_PASS();
}

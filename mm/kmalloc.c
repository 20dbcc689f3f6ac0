/*
 * kmalloc.c — kmalloc/kfree: general-purpose allocation in size classes.
 *
 * Requests up to 4096 bytes go to the smallest size class that fits, one
 * slab cache per class (made at boot by kmalloc_init). Larger ones are
 * folios of the smallest order that fits, so kfree of either kind is
 * decided by the memdesc word of the pointer's page: SLAB or FOLIO.
 * kmalloc is the top of mm/'s allocators: it calls folio.c and slab.c,
 * and neither calls it (slab_init is here for that reason).
 *
 * The fast paths are inline in include/slab.h: kmalloc of 1..256 bytes
 * takes its cache from kmalloc_small (one load) and pops its magazine;
 * kfree of a slab object pushes it. This file holds the rest: the table,
 * larger sizes (their class from the size's highest bit) and the frees
 * the fast path leaves to it.
 */
#include "slab.h"
#include "buddy.h"
#include "folio.h"
#include "compiler.h"
#include "kstring.h"
#include "mm/misuse.h"
#include "panic.h"
#include "printk.h"
#include "kerrno.h"

static const u32 class_size[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096 };
static const char *const class_name[] = {
	"kmalloc-8",   "kmalloc-16",  "kmalloc-32",  "kmalloc-64", "kmalloc-96", "kmalloc-128",
	"kmalloc-192", "kmalloc-256", "kmalloc-512", "kmalloc-1k", "kmalloc-2k", "kmalloc-4k",
};
static struct kmem_cache *classes[ARRAY_SIZE(class_size)];

/* The first class above KMALLOC_SMALL_MAX: from there on the classes are
 * the powers of two, class 8 + log2(size) - 9 for 257..4096 (e.g. 300 ->
 * 512 -> class 8, 4096 -> class 11). */
#define FIRST_LARGE_CLASS 8
_Static_assert(KMALLOC_SMALL_MAX == 256 && 512 == 2 * KMALLOC_SMALL_MAX,
	       "the classes above the table are the powers of two from 512");

/* Small sizes find their cache in one look-up (include/slab.h):
 * kmalloc_small[(size - 1) / 8] for sizes 1..256 (e.g. 100 -> entry 12 ->
 * kmalloc-128). Invariant: entry i is the smallest class that holds
 * i * 8 + 8 bytes, set at slab_init. */
struct kmem_cache *kmalloc_small[KMALLOC_SMALL_MAX / 8];

static int class_of(size_t size)
{
	for (size_t i = 0; i < ARRAY_SIZE(class_size); i++) {
		if (size <= class_size[i])
			return (int)i;
	}
	return -E2BIG;
}

static void kmalloc_init(void)
{
	for (size_t i = 0; i < ARRAY_SIZE(class_size); i++) {
		classes[i] = kmem_cache_create(class_name[i], class_size[i], 0);
		if (!classes[i])
			panic("kmalloc: cannot create %s", class_name[i]);
	}
	for (size_t i = 0; i < ARRAY_SIZE(kmalloc_small); i++)
		kmalloc_small[i] = classes[class_of(i * 8 + 8)];
	BUG_ON(class_size[FIRST_LARGE_CLASS - 1] != KMALLOC_SMALL_MAX ||
	       class_size[FIRST_LARGE_CLASS] != 2 * KMALLOC_SMALL_MAX ||
	       class_size[ARRAY_SIZE(class_size) - 1] != KMALLOC_MAX_CACHE_SIZE);
}

/* The slab layer's bring-up lives at its top, here, so that slab.c never
 * calls up into kmalloc: the boot caches first, then the size classes. */
void slab_init(void)
{
	kmem_cache_init();
	kmalloc_init();
}

void *kmalloc_slow(size_t size, gfp_t gfp)
{
	unsigned order = 0;
	struct folio *f;

	if (size == 0)
		return NULL;
	if (size <= KMALLOC_SMALL_MAX)
		return kmem_cache_alloc(kmalloc_small[(size - 1) / 8], gfp);
	if (size <= KMALLOC_MAX_CACHE_SIZE) /* 257..4096: a power of two */
		return kmem_cache_alloc(classes[FIRST_LARGE_CLASS +
						(63 - __builtin_clzl(size - 1)) -
						(63 - __builtin_clzl(KMALLOC_SMALL_MAX))],
					gfp);
	while ((PAGE_SIZE << order) < size) {
		if (++order > MAX_ORDER)
			return NULL;
	}
	f = folio_alloc(gfp, order);
	return f ? folio_address(f) : NULL;
}

void kfree_slow(const void *p)
{
	u64 pfn;
	struct folio *f;

	if (slab_freeq.n == SLAB_FREEQ_SIZE && slab_freeq.cap) {
		/* The queue was full: empty it, and p takes the fast way in
		 * (or, if that refuses it, comes back here with room). */
		slab_freeq_drain();
		kfree(p);
		return;
	}
	if (!p || slab_free_any(p) != 0) /* a slab object: freed or refused */
		return;
	pfn = virt_to_phys(p) >> PAGE_SHIFT;
	f = pfn_valid(pfn) ? page_folio(pfn_to_page(pfn)) : NULL;
	if (!f) {
		misuse_report(MISUSE_SLAB_BAD_FREE, "kfree: %p is not slab memory; ignored", p);
		return;
	}
	if (p != folio_address(f)) {
		misuse_report(MISUSE_SLAB_BAD_FREE,
			      "kfree: %p is inside a large allocation, not its start; ignored", p);
		return;
	}
	folio_put(f);
}

size_t ksize(const void *p)
{
	u64 pfn = virt_to_phys(p) >> PAGE_SHIFT;
	struct folio *f;

	if (pfn_valid(pfn) && (f = page_folio(pfn_to_page(pfn))) != NULL)
		return folio_size(f);
	return slab_object_size(p);
}

size_t kmalloc_live_size(const void *p)
{
	u64 pfn = virt_to_phys(p) >> PAGE_SHIFT;
	struct slab *s = slab_of_page(p);
	struct folio *f;

	if (s)
		return slab_free_ok(s, p) ? s->size : 0;
	f = pfn_valid(pfn) ? page_folio(pfn_to_page(pfn)) : NULL;
	return f && folio_address(f) == p ? folio_size(f) : 0;
}

struct kmem_cache *kmalloc_class_cache(u32 slot_size)
{
	for (size_t i = 0; i < ARRAY_SIZE(class_size); i++) {
		if (class_size[i] == slot_size)
			return classes[i];
	}
	return NULL;
}

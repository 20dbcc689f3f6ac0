/*
 * slab.h — object caches on top of the page allocator, and kmalloc.
 *
 *     struct kmem_cache *c = kmem_cache_create("thing", sizeof(struct thing), 0);
 *     struct thing *t = kmem_cache_alloc(c, GFP_KERNEL);
 *     kmem_cache_free(c, t);
 *
 *     void *p = kmalloc(100, GFP_KERNEL);   kfree(p);
 *
 * kfree needs no cache: the memdesc word of p's page leads to its slab
 * (struct slab) and from there to the cache; for a large kmalloc it leads
 * to a folio.
 *
 * The fast paths are inline here: kmem_cache_alloc pops the cache's
 * magazine, kmem_cache_free and kfree check the object and push it, and
 * kmalloc finds a small size's cache in one table look-up. Everything
 * else -- an empty or full magazine, a free to refuse, a large size -- is
 * out of line in mm/slab.c and mm/kmalloc.c, which own the structures
 * below (nothing else may touch their fields).
 */
#ifndef BATON_SLAB_H
#define BATON_SLAB_H

#include "compiler.h"
#include "gfp.h"
#include "types.h"
#include "kerrno.h"
#include "kstring.h"
#include "page.h"
#include "panic.h"

#define SLAB_MAX_OBJECTS 512
#define SLAB_MAG_SIZE 64
/* Objects a magazine moves from or to the slabs at once, when it is empty
 * or full: half of it, so that it is left half full either way. */
#define SLAB_MAG_BATCH (SLAB_MAG_SIZE / 2)
/* The first word of an object waiting in a magazine or the free queue
 * (its free mark): its address xor this. A free of an object whose first
 * word says so is a second free; an object handed out again whose first
 * word no longer says so was written after it was freed. */
#define SLAB_MAG_POISON 0x6d61676170737421ULL
/* Slab poisoning (slab_debug=P): the byte every free object holds after
 * its first word (Linux's POISON_FREE). */
#define SLAB_POISON_BYTE 0x6b

/*
 * A slab: 2^order pages cut into objects slots of cache->size bytes.
 * Invariants of a slab s of cache c (slab_check checks them all):
 *   inuse = popcount(used) = objects - length(freelist)   (a self-describing
 *   slab counts its own descriptor as in use; an object in c's magazine
 *   counts as in use too: it is allocated here);
 *   s is on c->partial when 0 < inuse < objects (beyond its descriptor),
 *   on c->full when inuse == objects, and it is c->empty when nothing but
 *   its descriptor is in use; a cache keeps at most one empty slab.
 * Example: a 4 KiB slab of 64-byte objects has 64 slots; with slots 0 and
 * 5 allocated, used[0] = 0b100001, inuse = 2, and the freelist chains the
 * other 62 from slot 1 up.
 *
 * The freelist is hardened: each free slot's first word holds the next
 * free slot encoded, next ^ secret ^ (the word's own address), the secret
 * drawn at boot (mm/slab.c), and every pointer decoded, or read from
 * freelist, is checked before it is followed -- NULL, or a slot of this
 * slab that the bitmap says is free -- so a free object written after
 * free (zeroed, say) is caught, not followed: mm/slab.c reports it, keeps
 * the object out of use and rebuilds the freelist from the bitmap. With
 * slab poisoning on (slab_debug=P) every byte of a free slot after the
 * first word is SLAB_POISON_BYTE, checked when the slot is handed out.
 */
struct slab {
	struct kmem_cache *cache;
	u8 *base; /* slot 0 */
	/* The cache's size, reciprocal and objects, copied here so that
	 * kfree checks an object with this line alone. */
	u32 size, reciprocal, objects;
	u32 inuse;
	struct slab *next, *prev; /* on cache->partial or cache->full */
	struct page *page;
	void *freelist;
	u64 used[SLAB_MAX_OBJECTS / 64];
} __aligned(16);
_Static_assert(sizeof(struct slab) == 128, "a slab descriptor is two cache lines");

struct slab_list {
	struct slab *first;
};

/*
 * A cache. The fields the fast paths read come first, in one cache line
 * with the magazine's top.
 *
 * The magazine: the last objects freed, handed out again first without
 * touching their slabs. Invariants:
 *   0 <= mag_n <= mag_cap; mag_cap is SLAB_MAG_SIZE, or 0 for the cache of
 *   struct slab (its slabs describe themselves: it never keeps objects)
 *   and for every cache while slab poisoning is on (each object then goes
 *   to and from its slab, where it is poisoned and checked);
 *   each of mag[0..mag_n) is a distinct object of this cache, allocated in
 *   its slab's bitmap, whose first word is SLAB_MAG_POISON ^ its address;
 *   slab_objects counts the objects allocated in this cache's slabs (not
 *   their self-describing slot), those in the magazine included, so the
 *   objects handed out are slab_objects - mag_n.
 * Example: free a 64-byte object at 0x...1040 with mag_n 3: its first word
 * becomes 0x...1040 ^ SLAB_MAG_POISON, mag[3] = it, mag_n = 4; the next
 * kmem_cache_alloc checks that word, and gives it back with it zeroed.
 */
struct kmem_cache {
	u32 mag_n, mag_cap;
	u32 size, objects; /* slot size; slots per slab */
	u32 reciprocal;    /* ceil(2^32 / size): slot index without a divide */
	u32 object_size;
	void *mag[SLAB_MAG_SIZE];
	const char *name;
	u32 align, order;
	bool self_describing; /* slab_desc_cache only */
	struct slab_list partial, full;
	struct slab *empty;
	u64 nr_slabs, slab_objects;
	struct kmem_cache *next; /* all caches, for statistics */
};

/* The slot index of byte offset off in a slab of c, as off / size without
 * dividing: (off * ceil(2^32 / size)) >> 32. Exact here: the rounding
 * error is below off / 2^32 <= 2^15 / 2^32, smaller than the 1/size >=
 * 2^-12 by which a non-multiple stays away from the next integer. */
static inline u32 slab_slot_index(const struct kmem_cache *c, u64 off)
{
	return (u32)((off * c->reciprocal) >> 32);
}

/* The out-of-line paths of mm/slab.c: an empty magazine, and every free
 * the fast path does not take (a full magazine, a free to check and
 * report). slab_alloc_spoiled reports an object the magazine gave whose
 * free mark was overwritten, keeps it out of use, and allocates again. */
void *slab_alloc(struct kmem_cache *c, gfp_t gfp);
void slab_free(struct kmem_cache *c, void *obj);
void *slab_alloc_spoiled(struct kmem_cache *c, void *obj, gfp_t gfp);

static inline void *kmem_cache_alloc(struct kmem_cache *c, gfp_t gfp)
{
	void *obj;

	DEBUG_BUG_ON(c->mag_n > c->mag_cap);
	if (unlikely(!c->mag_n))
		return slab_alloc(c, gfp);
	obj = c->mag[--c->mag_n];
	if (unlikely(*(u64 *)obj != (SLAB_MAG_POISON ^ (u64)(uintptr_t)obj)))
		return slab_alloc_spoiled(c, obj, gfp);
	*(u64 *)obj = 0;
	if (gfp & __GFP_ZERO)
		memset(obj, 0, c->object_size);
	return obj;
}

/* The memdesc word of a slab object's page: the fast paths test its type
 * and take the slab from it. 0 (RESERVED) when obj is on no page of the
 * memmap. */
static inline unsigned long slab_page_word(const void *obj)
{
	u64 i = memmap_index_of_virt(obj);

	return likely(i < memmap_pages) ? memmap[i].memdesc : 0;
}

/* The slab of a slab object's page, or NULL when obj is not slab memory. */
static inline struct slab *slab_of_page(const void *obj)
{
	unsigned long md = slab_page_word(obj);

	return memdesc_type(md) == MEMDESC_SLAB ? (struct slab *)memdesc_to_ptr(md) : NULL;
}

/* The fast free's checks: obj, in slab s, is the start of a slot
 * that is allocated and not waiting in a magazine or the free queue (its
 * first word is not the poison). False leaves it to the checked way. */
static inline bool slab_free_ok(const struct slab *s, const void *obj)
{
	u64 off = (u64)((const u8 *)obj - s->base);
	u32 i = (u32)((off * s->reciprocal) >> 32); /* slab_slot_index */

	return (u64)i * s->size == off && i < s->objects && (s->used[i / 64] & (1UL << (i % 64))) &&
	       *(const u64 *)obj != (SLAB_MAG_POISON ^ (u64)(uintptr_t)obj);
}

/* The fast free into c's magazine, when obj passes and there is room. */
static inline bool slab_free_fast(struct kmem_cache *c, struct slab *s, const void *obj)
{
	if (unlikely(!slab_free_ok(s, obj) || c->mag_n >= c->mag_cap))
		return false;
	*(u64 *)obj = SLAB_MAG_POISON ^ (u64)(uintptr_t)obj;
	c->mag[c->mag_n++] = (void *)obj;
	return true;
}

/*
 * The free queue: kfree's objects, of any cache, on their way to their
 * caches' magazines. kfree has to read the object's memdesc word and then
 * its slab to learn its cache; pushing straight onto that cache's
 * magazine makes the push's addresses wait for both loads, and every
 * later allocation with them (the CPU cannot tell it touches another
 * cache). So kfree checks the object, poisons it and appends it and its
 * cache here, at addresses it knows at once (the cache is only data to
 * store, which may come late); when the queue is full, or a magazine runs
 * empty, slab_freeq_drain moves the whole queue into the magazines in
 * one go.
 * Invariants: 0 <= n <= cap; cap is SLAB_FREEQ_SIZE, or 0 while slab
 * poisoning is on (every kfree then takes the checked way); each of
 * obj[0..n) is a distinct object of cache[k], allocated in its slab's
 * bitmap, with the free mark, in no magazine. A cache's objects handed
 * out are its slab_objects - mag_n - its objects here; whoever counts
 * them (kmem_cache_for_each, kmem_cache_destroy) drains the queue first.
 * Example: n 5, kfree(p) of a good object: p's first word becomes
 * p ^ SLAB_MAG_POISON, obj[5] = p, cache[5] = its cache, n = 6.
 */
#define SLAB_FREEQ_SIZE 32
struct slab_freeq {
	u32 n, cap;
	void *obj[SLAB_FREEQ_SIZE];
	struct kmem_cache *cache[SLAB_FREEQ_SIZE]; /* obj[k]'s cache */
};
extern struct slab_freeq slab_freeq;
/* Move every queued object to its cache's magazine (or, when that is
 * full, make room in it first). */
void slab_freeq_drain(void);

static inline void kmem_cache_free(struct kmem_cache *c, void *obj)
{
	unsigned long md = slab_page_word(obj);
	struct slab *s = memdesc_to_ptr(md); /* the slab, when md says SLAB */

	if (likely(memdesc_type(md) == MEMDESC_SLAB && s->cache == c && slab_free_fast(c, s, obj)))
		return;
	if (obj)
		slab_free(c, obj);
}

/* align 0 means the natural alignment (8, or the size's power of two up to
 * 64). Returns NULL if the size is 0 or above KMALLOC_MAX_CACHE_SIZE or no
 * memory is left. */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align);
/* 0, or refused (-EBUSY, with a message) while objects are still
 * allocated. */
int kmem_cache_destroy(struct kmem_cache *cache);

/* Size classes: 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096;
 * larger requests are folios of the smallest order that fits. */
#define KMALLOC_MAX_CACHE_SIZE 4096
/* Sizes 1..KMALLOC_SMALL_MAX find their cache in kmalloc_small[(size -
 * 1) / 8] (e.g. 100 -> entry 12 -> kmalloc-128), set by slab_init. */
#define KMALLOC_SMALL_MAX 256
extern struct kmem_cache *kmalloc_small[KMALLOC_SMALL_MAX / 8];
/* kmalloc's and kfree's out-of-line paths (mm/kmalloc.c): any size, and
 * a free that is no slab object or not one the fast path takes. */
void *kmalloc_slow(size_t size, gfp_t gfp);
void kfree_slow(const void *p);

static inline void *kmalloc(size_t size, gfp_t gfp)
{
	if (likely(size - 1 < KMALLOC_SMALL_MAX)) /* size 0 wraps round: slow */
		return kmem_cache_alloc(kmalloc_small[(size - 1) / 8], gfp);
	return kmalloc_slow(size, gfp);
}

static inline void *kzalloc(size_t size, gfp_t gfp)
{
	return kmalloc(size, gfp | __GFP_ZERO);
}

static inline void kfree(const void *p)
{
	unsigned long md = slab_page_word(p);
	struct slab *s = memdesc_to_ptr(md); /* the slab, when md says SLAB */

	DEBUG_BUG_ON(slab_freeq.n > SLAB_FREEQ_SIZE);
	if (likely(memdesc_type(md) == MEMDESC_SLAB && slab_free_ok(s, p) &&
		   slab_freeq.n < slab_freeq.cap)) {
		*(u64 *)p = SLAB_MAG_POISON ^ (u64)(uintptr_t)p;
		slab_freeq.obj[slab_freeq.n] = (void *)p;
		slab_freeq.cache[slab_freeq.n++] = s->cache;
		return;
	}
	kfree_slow(p);
}
/* Usable size of a kmalloc'd block (its size class or folio size). */
size_t ksize(const void *p);
/* The same for a checker, silently: the usable size when p is the start
 * of a kmalloc'd block that is allocated now (not freed, not waiting free
 * in a magazine or the free queue), else 0. p is read only once the
 * memmap says it is slab memory. */
size_t kmalloc_live_size(const void *p);

struct kmem_cache_stats {
	const char *name;
	u32 object_size, slot_size, objects_per_slab, slab_order;
	u64 slabs, active_objects, total_objects;
};

/* Call fn for every cache (boot caches and created ones). */
void kmem_cache_for_each(void (*fn)(const struct kmem_cache_stats *st, void *arg), void *arg);
/* Print every cache that has slabs. */
void slab_dump(void);

/* Walk every cache, slab, freelist, magazine and the free queue and check
 * the invariants above (and, with poisoning on, every free object's
 * poison). Returns 0, or -EINVAL with the first inconsistency in why
 * (kerrno.h). O(slab memory); for tests and the self-tests. */
int slab_check(char *why, size_t n);

/* Slab poisoning, slab_debug=P on the command line (Linux's name; off by
 * default): free objects hold SLAB_POISON_BYTE after their first word and
 * are checked when handed out again; a changed byte is a write after free,
 * reported (MISUSE_SLAB_POISON) and the object kept out of use (leaked).
 * The magazines and the free queue are bypassed while it is on. Switchable
 * at run time (every free object is poisoned then), for tests; returns the
 * previous setting. */
bool slab_poison(bool on);

/* Bring up the slab allocator and the kmalloc caches; needs buddy
 * (mm/kmalloc.c, the top of the slab layer). */
void slab_init(void);

/* Between mm/slab.c and mm/kmalloc.c. slab_free_any frees a slab object of
 * any cache (the cache comes from the memdesc): 1 when freed, 0 when obj is
 * not slab memory at all (nothing said), -EINVAL when it is slab memory but not
 * an allocated object (refused and reported). slab_object_size gives the
 * slot size, 0 (reported) for anything else. */
int slab_free_any(const void *obj);
size_t slab_object_size(const void *obj);
/* slab.c's part of slab_init: the boot caches (kmalloc.c calls it). */
void kmem_cache_init(void);

/* For KHO (kho/slab_out.c, kho/slab_in.c). slab_object_info describes an allocated object:
 * its cache, slot size and slab (first page, order); false otherwise.
 * slab_adopt makes the block at base (2^c's slab order pages) a slab of c
 * in which exactly the slots at byte offsets offs[0..n) are allocated;
 * restore() hands the block over with the memdesc word it is given: 0, or
 * -EINVAL (c cannot adopt those slots), -ENOMEM (no descriptor) or
 * -ENOENT (restore() refused the block). */
struct slab_object_info {
	struct kmem_cache *cache;
	phys_addr_t slab_base;
	u32 slab_order, slot_size;
};
bool slab_object_info(const void *obj, struct slab_object_info *info);
int slab_adopt(struct kmem_cache *c, phys_addr_t base, const u32 *offs, u32 n,
	       struct page *(*restore)(phys_addr_t, unsigned int, unsigned long));
u32 kmem_cache_slab_order(const struct kmem_cache *c);
/* The kmalloc class cache with exactly this slot size, or NULL. */
struct kmem_cache *kmalloc_class_cache(u32 slot_size);

#endif

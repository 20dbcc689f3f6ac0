/*
 * slab.c — object caches (include/slab.h). A slab is a block of 2^order
 * pages cut into equal slots; a cache is the slabs of one object size.
 *
 * Each slab has a descriptor, struct slab, allocated separately, and every
 * page of the slab names it in its memdesc word -- that is how kfree and
 * kmem_cache_free find the slab, and through it the cache, from a bare
 * pointer.
 *
 * The bootstrap problem: struct slab objects come from a cache too
 * (slab_desc_cache), whose slabs need descriptors of their own. Asking that
 * cache for its own descriptor would recurse forever. So slab_desc_cache's
 * slabs describe themselves: when it grows, the new slab's first slot *is*
 * the new slab's struct slab (allocated at birth, freed only with the slab).
 * Every other cache -- including the ones holding struct kmem_cache and
 * struct folio -- gets its descriptors from slab_desc_cache like anyone
 * else. The boot caches are static structs, so no allocation is needed
 * before the first one is made.
 *
 * The layers of mm/ call downwards only: kmalloc.c -> folio.c -> slab.c ->
 * buddy.c. This file calls neither kmalloc nor folios; slab_init, which
 * brings up both the boot caches and kmalloc's classes, is kmalloc.c's.
 *
 * Free slots are chained through their first word; a bitmap per slab says
 * which slots are allocated, so a double free, or a pointer that is not a
 * slot, is caught and reported instead of corrupting the chain. The chain
 * is encoded and every link checked against the bitmap before it is
 * followed (include/slab.h): a free object written after free is reported
 * (mm/misuse.h), kept out of use, and the chain rebuilt from the bitmap.
 * With slab_debug=P free objects are also poisoned and checked.
 *
 * In front of the slabs are each cache's magazine and kfree's free queue
 * (include/slab.h, whose inline fast paths pop and push them). This file
 * is their slow side: it fills an empty magazine with a batch from the
 * slabs (after draining the queue, which may hold the cache's objects),
 * flushes the oldest half of a full one back, and checks and reports
 * every free the fast paths leave to it.
 */
#include "slab.h"
#include "buddy.h"
#include "cmdline.h"
#include "compiler.h"
#include "kstring.h"
#include "mm/misuse.h"
#include "panic.h"
#include "printk.h"
#include "kerrno.h"
#include "arch/counter.h"

#define SLAB_MAX_ORDER 3

static struct kmem_cache slab_desc_cache, cache_cache;
static struct kmem_cache *all_caches;

/* Slab poisoning (include/slab.h). */
static bool poison_on;

/* Linux's slab_debug flags, as far as Baton has them: P poisons, F (the
 * sanity checks) is always on here, "-" turns debugging off, and the key
 * alone turns on all there is. Anything else is refused (the command line
 * says so and goes on). */
static int set_slab_debug(const char *val)
{
	bool p = false;

	if (!val) {
		poison_on = true;
		return 0;
	}
	if (!strcmp(val, "-")) {
		poison_on = false;
		return 0;
	}
	if (!*val)
		return -EINVAL;
	for (const char *f = val; *f; f++) {
		if (*f == 'P' || *f == 'p')
			p = true;
		else if (*f != 'F' && *f != 'f')
			return -EINVAL;
	}
	poison_on = p;
	return 0;
}
CMDLINE_PARAM("slab_debug", set_slab_debug,
	      "P: poison free slab objects (0x6b) and check them when handed out again "
	      "(write after free); F: sanity checks (always on); -: off, the default");

/* The freelist's secret (include/slab.h), drawn at kmem_cache_init from
 * the counter. Its top bit is set, so a first word of zeros decodes to an
 * address whose top bit is not its slab's: never a slot. */
static u64 freelist_secret;

static void *fl_get(const void *slot)
{
	return (void *)(uintptr_t)(*(const u64 *)slot ^ freelist_secret ^ (u64)(uintptr_t)slot);
}

static void fl_set(void *slot, const void *next)
{
	*(u64 *)slot = (u64)(uintptr_t)next ^ freelist_secret ^ (u64)(uintptr_t)slot;
}

static void list_add_slab(struct slab_list *l, struct slab *s)
{
	s->prev = NULL;
	s->next = l->first;
	if (l->first)
		l->first->prev = s;
	l->first = s;
}

static void list_del_slab(struct slab_list *l, struct slab *s)
{
	if (s->prev)
		s->prev->next = s->next;
	else
		l->first = s->next;
	if (s->next)
		s->next->prev = s->prev;
	s->next = s->prev = NULL;
}

static u32 own_slots(const struct kmem_cache *c)
{
	return c->self_describing ? 1 : 0;
}

/* A magazine for every cache, but the self-describing one and while
 * poisoning is on (include/slab.h). */
static u32 mag_cap_of(const struct kmem_cache *c)
{
	return c->self_describing || poison_on ? 0 : SLAB_MAG_SIZE;
}

static u64 slab_phys(const struct slab *s)
{
	return (u64)virt_to_phys(s->base);
}

/* Is p the start of slot i of s? Only arithmetic: p is not read. (Slot 0
 * of a self-describing slab is its descriptor: always allocated.) */
static inline bool slot_of(const struct slab *s, const void *p, u32 *index)
{
	u64 off = (u64)((uintptr_t)p - (uintptr_t)s->base);
	u32 i = (u32)((off * s->reciprocal) >> 32); /* slab_slot_index */

	/* Exact for any off (slab_free_ok's test): inside the slab the index
	 * is exact; past it i >= objects; and an off of 2^32 or more (p below
	 * the base, or far above) is no i * size with i < objects. */
	*index = i;
	return i < s->objects && (u64)i * s->size == off;
}

static inline bool slot_used(const struct slab *s, u32 i)
{
	return s->used[i / 64] & (1UL << (i % 64));
}

/* Is p slot i of s, a slot objects may take (not c's own descriptor)? */
static inline bool slot_index(const struct kmem_cache *c, const struct slab *s, const void *p,
			      u32 *index)
{
	return slot_of(s, p, index) && *index >= own_slots(c);
}

/* Is p a free slot of s by its bitmap (slot i)? p is not read. A
 * descriptor's own slot is never free. */
static inline bool slot_is_free(const struct slab *s, const void *p, u32 *index)
{
	return slot_of(s, p, index) && !slot_used(s, *index);
}

static bool has_free_mark(const void *obj)
{
	return *(const u64 *)obj == (SLAB_MAG_POISON ^ (u64)(uintptr_t)obj);
}

/* Poisoning: the bytes of a free slot after its first word. */
static void poison_fill(const struct kmem_cache *c, void *obj)
{
	memset((u8 *)obj + sizeof(u64), SLAB_POISON_BYTE, c->size - sizeof(u64));
}

/* The first of those bytes that is not the poison, or NULL: a word at a
 * time (a slot is a multiple of 8 bytes), then the byte in the word. */
static const u8 *poison_broken(const struct kmem_cache *c, const void *obj)
{
	const u64 word = 0x0101010101010101ULL * SLAB_POISON_BYTE, *w = obj;
	u32 i = 1, n = c->size / sizeof(u64);
	const u8 *b;

	while (i < n && w[i] == word)
		i++;
	if (i == n)
		return NULL;
	for (b = (const u8 *)&w[i]; *b == SLAB_POISON_BYTE; b++)
		;
	return b;
}

static void cache_setup(struct kmem_cache *c, const char *name, size_t size, size_t align)
{
	memset(c, 0, sizeof(*c));
	if (!align) {
		align = 8;
		while (align < 64 && align * 2 <= size && (size & (align * 2 - 1)) == 0)
			align *= 2;
	}
	c->name = name;
	c->object_size = size;
	c->align = align;
	c->size = ALIGN_UP(MAX(size, (size_t)8), align);
	for (c->order = 0; c->order < SLAB_MAX_ORDER; c->order++) {
		if ((PAGE_SIZE << c->order) / c->size >= 8)
			break;
	}
	c->objects = MIN((u32)((PAGE_SIZE << c->order) / c->size), (u32)SLAB_MAX_OBJECTS);
	c->reciprocal = (u32)(((1ULL << 32) + c->size - 1) / c->size);
	c->mag_cap = mag_cap_of(c);
	c->next = all_caches;
	all_caches = c;
}

static void *slot(const struct slab *s, u32 i)
{
	return s->base + (u64)i * s->cache->size;
}

/* Chain every slot the bitmap says is free into the freelist, lowest
 * first (a new slab, an adopted one, or one whose chain was found
 * broken: only the first words are written). */
static void init_freelist(struct slab *s)
{
	s->freelist = NULL;
	for (u32 i = s->cache->objects; i-- > 0;) {
		if (!slot_used(s, i)) {
			fl_set(slot(s, i), s->freelist);
			s->freelist = slot(s, i);
		}
	}
}

/* Poison every free slot of s (a new or adopted slab, or every slab when
 * poisoning is switched on). */
static void poison_free_slots(struct slab *s)
{
	for (u32 i = own_slots(s->cache); i < s->cache->objects; i++) {
		if (!slot_used(s, i))
			poison_fill(s->cache, slot(s, i));
	}
}

/* A zeroed descriptor s describes the block at page, a slab of c. */
static void slab_setup(struct slab *s, struct kmem_cache *c, struct page *page)
{
	s->cache = c;
	s->page = page;
	s->base = page_address(page);
	s->size = c->size;
	s->reciprocal = c->reciprocal;
	s->objects = c->objects;
}

static struct slab *slab_new(struct kmem_cache *c, gfp_t gfp)
{
	struct page *page;
	struct slab *s;

	if (c->self_describing) {
		/* The slab is its own descriptor's home: take the pages, put
		 * the descriptor in slot 0, then tag the pages with it. */
		page = alloc_pages(gfp & ~__GFP_ZERO, c->order);
		if (!page)
			return NULL;
		s = page_address(page);
		memset(s, 0, sizeof(*s));
		memdesc_set(page, c->order, memdesc_ptr(MEMDESC_SLAB, s));
	} else {
		s = kmem_cache_alloc(&slab_desc_cache, gfp & ~__GFP_ZERO);
		if (!s)
			return NULL;
		memset(s, 0, sizeof(*s));
		page = alloc_page_desc(gfp & ~__GFP_ZERO, c->order, memdesc_ptr(MEMDESC_SLAB, s));
		if (!page) {
			kmem_cache_free(&slab_desc_cache, s);
			return NULL;
		}
	}
	slab_setup(s, c, page);
	if (c->self_describing) { /* slot 0 is this very descriptor */
		s->used[0] = 1;
		s->inuse = 1;
	}
	init_freelist(s);
	if (poison_on)
		poison_free_slots(s);
	c->nr_slabs++;
	return s;
}

static void slab_release(struct slab *s)
{
	struct kmem_cache *c = s->cache;

	c->nr_slabs--;
	free_page_desc(s->page, c->order);
	if (!c->self_describing)
		kmem_cache_free(&slab_desc_cache, s);
}

/* Up to want objects from the slabs into out[] -- from a partial slab,
 * else the empty one, else a new one -- each marked allocated; returns
 * how many (fewer only when no memory is left). Each link of a slab's
 * freelist is checked before it is followed (include/slab.h), and with
 * poisoning on each object's poison: an object found written after free
 * is reported and stays allocated, out of use (leaked); a broken freelist
 * is rebuilt from the bitmap. A slab's fields stay in registers down its
 * freelist, and its counts are written once. */
static u32 slab_take(struct kmem_cache *c, gfp_t gfp, void **out, u32 want)
{
	u32 got = 0;

	while (got < want) {
		struct slab *s = c->partial.first;
		u32 i, j = 0, taken = 0;
		bool broken = false;
		void *obj, *next;

		if (!s) {
			s = c->empty;
			c->empty = NULL;
			if (!s)
				s = slab_new(c, gfp);
			if (!s)
				break;
			list_add_slab(&c->partial, s);
		}
		obj = s->freelist;
		if (unlikely(!slot_is_free(s, obj, &i))) {
			misuse_report(
				MISUSE_SLAB_FREELIST,
				"slab: cache %s: the freelist of slab 0x%llx names %p, no free "
				"object of it; the freelist is rebuilt from the slab's bitmap",
				c->name, (unsigned long long)slab_phys(s), obj);
			init_freelist(s);
			continue;
		}
		for (;;) {
			const u8 *bad;

			next = fl_get(obj);
			if (unlikely(next && (next == obj || !slot_is_free(s, next, &j)))) {
				misuse_report(
					MISUSE_SLAB_FREELIST,
					"slab: cache %s: free object %p has its freelist word "
					"overwritten (0x%llx names %p, no free object of slab "
					"0x%llx); the object is kept out of use (leaked) and the "
					"freelist rebuilt from the slab's bitmap",
					c->name, obj, (unsigned long long)*(u64 *)obj, next,
					(unsigned long long)slab_phys(s));
				broken = true;
			}
			s->used[i / 64] |= 1UL << (i % 64);
			taken++;
			if (broken)
				break;
			if (poison_on && unlikely((bad = poison_broken(c, obj)) != NULL))
				misuse_report(
					MISUSE_SLAB_POISON,
					"slab: cache %s: object %p was written after free (byte "
					"+0x%x is 0x%02x, not the poison 0x%02x); it is kept out of "
					"use (leaked) and another is handed out",
					c->name, obj, (unsigned)(bad - (const u8 *)obj), *bad,
					SLAB_POISON_BYTE);
			else
				out[got++] = obj;
			if (!next || got == want)
				break;
			obj = next;
			i = j;
		}
		s->inuse += taken;
		c->slab_objects += taken;
		if (broken)
			init_freelist(s);
		else
			s->freelist = next;
		if (s->inuse == c->objects) {
			list_del_slab(&c->partial, s);
			list_add_slab(&c->full, s);
		}
	}
	return got;
}

/* kmem_cache_alloc found the magazine empty: fill it with a batch from
 * the slabs, then hand out the last of them. A cache without a magazine
 * (the cache of struct slab, every cache while poisoning) takes its object
 * straight from a slab. */
void *slab_alloc(struct kmem_cache *c, gfp_t gfp)
{
	void *obj;

	DEBUG_BUG_ON(c->mag_n != 0);
	if (slab_freeq.n) { /* objects of this cache may be waiting there */
		slab_freeq_drain();
		if (c->mag_n)
			return kmem_cache_alloc(c, gfp);
	}
	if (c->mag_cap) {
		u32 n = slab_take(c, gfp & ~__GFP_ZERO, c->mag,
				  MIN(c->mag_cap, (u32)SLAB_MAG_BATCH));

		for (u32 k = 0; k < n; k++)
			*(u64 *)c->mag[k] = SLAB_MAG_POISON ^ (u64)(uintptr_t)c->mag[k];
		c->mag_n = n;
		/* Out of memory with nothing taken: NULL. */
		return n ? kmem_cache_alloc(c, gfp) : NULL;
	}
	if (!slab_take(c, gfp, &obj, 1))
		return NULL;
	*(u64 *)obj = 0; /* not the freelist's word */
	if (gfp & __GFP_ZERO)
		memset(obj, 0, c->object_size);
	return obj;
}

void *slab_alloc_spoiled(struct kmem_cache *c, void *obj, gfp_t gfp)
{
	misuse_report(MISUSE_SLAB_MAGAZINE,
		      "slab: cache %s: object %p, free in the magazine, was written after free "
		      "(its first word is 0x%llx, not its free mark); it is kept out of use "
		      "(leaked) and another is handed out",
		      c->name, obj, (unsigned long long)*(u64 *)obj);
	return kmem_cache_alloc(c, gfp);
}

/* Which slot of which slab obj is. Returns the slab and sets *index, or
 * NULL with the reason logged (not slab memory, not a slot start, not
 * allocated). */
static struct slab *slab_of(const void *obj, const char *who, u32 *index)
{
	u64 pfn = virt_to_phys(obj) >> PAGE_SHIFT;
	unsigned long md;
	struct slab *s;
	u64 off;
	u32 i;

	md = pfn_valid(pfn) ? pfn_to_page(pfn)->memdesc : 0;
	if (memdesc_type(md) != MEMDESC_SLAB) {
		misuse_report(MISUSE_SLAB_BAD_FREE, "%s: %p is not slab memory; ignored", who, obj);
		return NULL;
	}
	s = memdesc_to_ptr(md);
	off = (u64)((const u8 *)obj - s->base);
	i = slab_slot_index(s->cache, off);
	if ((u64)i * s->cache->size != off || i >= s->cache->objects || i < own_slots(s->cache)) {
		misuse_report(MISUSE_SLAB_BAD_FREE,
			      "%s: %p is not the start of an object of cache %s; ignored", who, obj,
			      s->cache->name);
		return NULL;
	}
	if (!slot_used(s, i) || has_free_mark(obj)) {
		misuse_report(MISUSE_SLAB_BAD_FREE,
			      "%s: %p of cache %s is free already (double free?); ignored", who,
			      obj, s->cache->name);
		return NULL;
	}
	*index = i;
	return s;
}

static void slab_free_obj(struct slab *s, void *obj, u32 i)
{
	struct kmem_cache *c = s->cache;

	s->used[i / 64] &= ~(1UL << (i % 64));
	if (poison_on)
		poison_fill(c, obj);
	fl_set(obj, s->freelist);
	s->freelist = obj;
	if (s->inuse-- == c->objects) {
		list_del_slab(&c->full, s);
		list_add_slab(&c->partial, s);
	}
	c->slab_objects--;
	if (s->inuse == own_slots(c)) {
		list_del_slab(&c->partial, s);
		if (c->empty)
			slab_release(s); /* keep one empty slab, no more */
		else
			c->empty = s;
	}
}

/* An object found waiting free (in a magazine, or the free queue) with
 * its free mark overwritten, or named where no object of c is: it is not
 * freed to its slab, so it stays allocated there, out of use (leaked). */
static void spoiled_free(const struct kmem_cache *c, const void *obj, const char *where)
{
	misuse_report(MISUSE_SLAB_MAGAZINE,
		      "slab: cache %s: object %p, free in the %s, was written after free (or is no "
		      "object of the cache); it is kept out of use (leaked)",
		      c->name, obj, where);
}

/* Is obj, taken from a magazine or the free queue, a slab object of c
 * with its free mark (and which slot of which slab)? obj is read only
 * once its memdesc word says it is slab memory. */
static struct slab *waiting_ok(const struct kmem_cache *c, const void *obj, u32 *i)
{
	unsigned long md = slab_page_word(obj);
	struct slab *s = memdesc_to_ptr(md); /* the slab, when md says SLAB */

	if (memdesc_type(md) != MEMDESC_SLAB || s->cache != c || !slot_index(c, s, obj, i) ||
	    !slot_used(s, *i) || !has_free_mark(obj))
		return NULL;
	return s;
}

/* Send the magazine's oldest n objects back to their slabs, and move the
 * rest down. */
static void mag_flush(struct kmem_cache *c, u32 n)
{
	for (u32 k = 0; k < n; k++) {
		void *obj = c->mag[k];
		u32 i;
		struct slab *s = waiting_ok(c, obj, &i);

		if (unlikely(!s))
			spoiled_free(c, obj, "magazine");
		else
			slab_free_obj(s, obj, i);
	}
	c->mag_n -= n;
	memmove(&c->mag[0], &c->mag[n], c->mag_n * sizeof(c->mag[0]));
}

/* A checked object goes back: to the magazine, making room in it first
 * when it is full; straight to its slab for a cache without one. */
static void cache_free(struct kmem_cache *c, struct slab *s, void *obj, u32 i)
{
	if (!c->mag_cap) {
		slab_free_obj(s, obj, i);
		return;
	}
	if (c->mag_n == c->mag_cap)
		mag_flush(c, SLAB_MAG_BATCH);
	*(u64 *)obj = SLAB_MAG_POISON ^ (u64)(uintptr_t)obj;
	c->mag[c->mag_n++] = obj;
}

struct slab_freeq slab_freeq;

void slab_freeq_drain(void)
{
	u32 n = slab_freeq.n;

	DEBUG_BUG_ON(n > SLAB_FREEQ_SIZE);
	slab_freeq.n = 0;
	/* An object moved to a magazine has its free mark checked there,
	 * when it is handed out or flushed to its slab; one that goes
	 * straight to its slab is checked here. */
	for (u32 k = 0; k < n; k++) {
		struct kmem_cache *c = slab_freeq.cache[k];
		void *obj = slab_freeq.obj[k];
		struct slab *s;
		u32 i;

		if (likely(c->mag_n < c->mag_cap))
			c->mag[c->mag_n++] = obj;
		else if (unlikely((s = waiting_ok(c, obj, &i)) == NULL))
			spoiled_free(c, obj, "free queue");
		else
			cache_free(c, s, obj, i);
	}
}

void slab_free(struct kmem_cache *c, void *obj)
{
	struct slab *s;
	u32 i;

	DEBUG_BUG_ON(c->mag_n > c->mag_cap);
	if (!obj)
		return;
	s = slab_of(obj, "kmem_cache_free", &i);
	if (!s)
		return;
	if (s->cache != c) {
		misuse_report(MISUSE_SLAB_BAD_FREE,
			      "kmem_cache_free: %p belongs to cache %s, not %s; ignored", obj,
			      s->cache->name, c->name);
		return;
	}
	cache_free(c, s, obj, i);
}

int slab_free_any(const void *obj)
{
	u64 pfn = virt_to_phys(obj) >> PAGE_SHIFT;
	struct slab *s;
	u32 i;

	if (!pfn_valid(pfn) || memdesc_type(pfn_to_page(pfn)->memdesc) != MEMDESC_SLAB)
		return 0;
	s = slab_of(obj, "kfree", &i);
	if (!s)
		return -EINVAL;
	cache_free(s->cache, s, (void *)obj, i);
	return 1;
}

size_t slab_object_size(const void *obj)
{
	u32 i;
	struct slab *s = slab_of(obj, "ksize", &i);

	return s ? s->cache->size : 0;
}

struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align)
{
	struct kmem_cache *c;

	if (size == 0 || size > KMALLOC_MAX_CACHE_SIZE || (align & (align - 1)) ||
	    align > PAGE_SIZE)
		return NULL;
	c = kmem_cache_alloc(&cache_cache, GFP_KERNEL);
	if (c)
		cache_setup(c, name, size, align);
	return c;
}

int kmem_cache_destroy(struct kmem_cache *c)
{
	if (!c)
		return 0;
	slab_freeq_drain();
	mag_flush(c, c->mag_n);
	if (c->slab_objects) {
		pr_err("kmem_cache_destroy: cache %s still has %llu objects; not destroyed",
		       c->name, (unsigned long long)c->slab_objects);
		return -EBUSY;
	}
	if (c->empty)
		slab_release(c->empty);
	for (struct kmem_cache **p = &all_caches; *p; p = &(*p)->next) {
		if (*p == c) {
			*p = c->next;
			break;
		}
	}
	kmem_cache_free(&cache_cache, c);
	return 0;
}

void kmem_cache_for_each(void (*fn)(const struct kmem_cache_stats *st, void *arg), void *arg)
{
	slab_freeq_drain(); /* so that each cache's count is its own */
	for (struct kmem_cache *c = all_caches; c; c = c->next) {
		struct kmem_cache_stats st = {
			.name = c->name,
			.object_size = c->object_size,
			.slot_size = c->size,
			.objects_per_slab = c->objects,
			.slab_order = c->order,
			.slabs = c->nr_slabs,
			.active_objects = c->slab_objects - c->mag_n,
			.total_objects = c->nr_slabs * (c->objects - own_slots(c)),
		};
		fn(&st, arg);
	}
}

/* What slab_dump adds up over the caches. */
struct slab_totals {
	unsigned caches;
	u64 slabs, pages, active, total;
};

static void dump_one(const struct kmem_cache_stats *st, void *arg)
{
	struct slab_totals *t = arg;

	if (!st->slabs)
		return;
	t->caches++;
	t->slabs += st->slabs;
	t->pages += st->slabs << st->slab_order;
	t->active += st->active_objects;
	t->total += st->total_objects;
	pr_debug("slab: %-16s %5u B  %4llu/%-4llu objects  %3llu slabs of %u page%s", st->name,
		 st->object_size, (unsigned long long)st->active_objects,
		 (unsigned long long)st->total_objects, (unsigned long long)st->slabs,
		 1u << st->slab_order, st->slab_order ? "s" : "");
}

/* One line, the caches' sums; each cache's own line at debug level. */
void slab_dump(void)
{
	struct slab_totals t = { 0 };

	kmem_cache_for_each(dump_one, &t);
	pr_info("slab: %u caches in use, %llu of %llu objects allocated, in %llu slabs (%llu pages)",
		t.caches, (unsigned long long)t.active, (unsigned long long)t.total,
		(unsigned long long)t.slabs, (unsigned long long)t.pages);
}

void kmem_cache_init(void)
{
	u64 x = arch_counter_read() ^ (u64)(uintptr_t)&freelist_secret;

	x *= 0x9e3779b97f4a7c15ULL; /* spread the counter's low bits over the word */
	freelist_secret = (x ^ (x >> 29)) | 1ULL << 63;
	all_caches = NULL;
	slab_freeq.n = 0;
	slab_freeq.cap = poison_on ? 0 : SLAB_FREEQ_SIZE;
	cache_setup(&slab_desc_cache, "slab", sizeof(struct slab), 16);
	slab_desc_cache.self_describing = true;
	slab_desc_cache.mag_cap = 0;
	cache_setup(&cache_cache, "kmem_cache", sizeof(struct kmem_cache), 0);
}

bool slab_object_info(const void *obj, struct slab_object_info *info)
{
	u64 pfn = virt_to_phys(obj) >> PAGE_SHIFT;
	struct slab *s;
	u32 i;

	if (!pfn_valid(pfn) || memdesc_type(pfn_to_page(pfn)->memdesc) != MEMDESC_SLAB)
		return false;
	s = slab_of(obj, "kho", &i);
	if (!s)
		return false;
	info->cache = s->cache;
	info->slab_base = page_to_phys(s->page);
	info->slab_order = s->cache->order;
	info->slot_size = s->cache->size;
	return true;
}

u32 kmem_cache_slab_order(const struct kmem_cache *c)
{
	return c->order;
}

int slab_adopt(struct kmem_cache *c, phys_addr_t base, const u32 *offs, u32 n,
	       struct page *(*restore)(phys_addr_t, unsigned int, unsigned long))
{
	struct slab *s;
	struct page *page;

	if (c->self_describing || n == 0 || n > c->objects)
		return -EINVAL;
	s = kmem_cache_alloc(&slab_desc_cache, GFP_KERNEL);
	if (!s)
		return -ENOMEM;
	memset(s, 0, sizeof(*s));
	page = restore(base, c->order, memdesc_ptr(MEMDESC_SLAB, s));
	if (!page) {
		kmem_cache_free(&slab_desc_cache, s);
		return -ENOENT;
	}
	slab_setup(s, c, page);
	for (u32 k = 0; k < n; k++) {
		u32 i = slab_slot_index(c, offs[k]);

		if (!(s->used[i / 64] & (1UL << (i % 64)))) {
			s->used[i / 64] |= 1UL << (i % 64);
			s->inuse++;
		}
	}
	init_freelist(s);
	if (poison_on)
		poison_free_slots(s);
	c->nr_slabs++;
	c->slab_objects += s->inuse;
	list_add_slab(s->inuse == c->objects ? &c->full : &c->partial, s);
	return 0;
}

bool slab_poison(bool on)
{
	bool was = poison_on;

	/* Every object waiting free goes to its slab first (poisoned there
	 * when it is switched on), then the magazines and the queue open or
	 * close, and the slabs' other free objects are poisoned. */
	slab_freeq_drain();
	for (struct kmem_cache *c = all_caches; c; c = c->next)
		mag_flush(c, c->mag_n);
	poison_on = on;
	slab_freeq.cap = on ? 0 : SLAB_FREEQ_SIZE;
	for (struct kmem_cache *c = all_caches; c; c = c->next) {
		c->mag_cap = mag_cap_of(c);
		if (!on || was)
			continue;
		for (struct slab *sl = c->partial.first; sl; sl = sl->next)
			poison_free_slots(sl);
		if (c->empty)
			poison_free_slots(c->empty);
	}
	return was;
}

/*
 * slab_check: every structure, every invariant of include/slab.h. Each
 * pointer is checked (against the memmap and the bitmaps, by arithmetic)
 * before it is read through, so a corrupted one is reported, not followed.
 */

/* Is s a descriptor a slab of c can have: for the self-describing cache
 * slot 0 of its own slab, for the others an allocated object of it? */
static bool desc_ok(const struct kmem_cache *c, const struct slab *s)
{
	struct slab *d = slab_of_page(s);
	u32 i;

	if (!d)
		return false;
	if (c->self_describing)
		return d == s;
	return d->cache == &slab_desc_cache && slot_index(&slab_desc_cache, d, s, &i) &&
	       slot_used(d, i);
}

enum slab_list_kind { ON_PARTIAL, ON_FULL, THE_EMPTY };

static int check_slab(const struct kmem_cache *c, const struct slab *s, enum slab_list_kind on,
		      u64 *objects, char *why, size_t n)
{
	u64 seen[SLAB_MAX_OBJECTS / 64] = { 0 };
	u64 pa, nfree = 0;
	u32 used = 0, i;

	if (s->cache != c || s->size != c->size || s->reciprocal != c->reciprocal ||
	    s->objects != c->objects)
		return err_why(why, n, -EINVAL,
			       "slab: cache %s: slab descriptor %p describes another "
			       "cache (%p, slot size %u, %u objects)",
			       c->name, (const void *)s, (const void *)s->cache, s->size,
			       s->objects);
	if ((uintptr_t)s->page - (uintptr_t)memmap >=
		    (memmap_end_pfn - memmap_start_pfn) * sizeof(struct page) ||
	    s->base != page_address(s->page))
		return err_why(why, n, -EINVAL,
			       "slab: cache %s: slab descriptor %p names no page of "
			       "the memmap for its base %p",
			       c->name, (const void *)s, s->base);
	pa = slab_phys(s);
	if (!pfn_valid((pa >> PAGE_SHIFT) + (1UL << c->order) - 1))
		return err_why(why, n, -EINVAL, "slab: cache %s: slab 0x%llx runs off the memmap",
			       c->name, (unsigned long long)pa);
	for (u64 p = 0; p < (1UL << c->order); p++) {
		if (s->page[p].memdesc != memdesc_ptr(MEMDESC_SLAB, s))
			return err_why(why, n, -EINVAL,
				       "slab: cache %s: page %llu of slab 0x%llx does not "
				       "name its descriptor (0x%lx)",
				       c->name, (unsigned long long)p, (unsigned long long)pa,
				       s->page[p].memdesc);
	}
	for (i = 0; i < SLAB_MAX_OBJECTS; i++) {
		if (!slot_used(s, i))
			continue;
		if (i >= c->objects)
			return err_why(why, n, -EINVAL,
				       "slab: cache %s: slab 0x%llx marks slot %u of "
				       "%u allocated",
				       c->name, (unsigned long long)pa, i, c->objects);
		used++;
	}
	if (c->self_describing && !slot_used(s, 0))
		return err_why(why, n, -EINVAL,
			       "slab: cache %s: slab 0x%llx does not hold its own "
			       "descriptor",
			       c->name, (unsigned long long)pa);
	if (used != s->inuse)
		return err_why(why, n, -EINVAL,
			       "slab: cache %s: slab 0x%llx counts %u in use, its "
			       "bitmap %u",
			       c->name, (unsigned long long)pa, s->inuse, used);
	if ((on == ON_PARTIAL && (used <= own_slots(c) || used >= c->objects)) ||
	    (on == ON_FULL && used != c->objects) || (on == THE_EMPTY && used != own_slots(c)))
		return err_why(why, n, -EINVAL,
			       "slab: cache %s: slab 0x%llx with %u of %u in use is "
			       "on the wrong list",
			       c->name, (unsigned long long)pa, used, c->objects);
	for (const void *p = s->freelist; p; p = fl_get(p)) {
		const u8 *bad;

		if (!slot_is_free(s, p, &i) || (seen[i / 64] & (1UL << (i % 64))))
			return err_why(why, n, -EINVAL,
				       "slab: cache %s: freelist of slab 0x%llx reaches "
				       "%p, no free object of it (or one met twice)",
				       c->name, (unsigned long long)pa, p);
		seen[i / 64] |= 1UL << (i % 64);
		nfree++;
		if (poison_on && (bad = poison_broken(c, p)) != NULL)
			return err_why(why, n, -EINVAL,
				       "slab: cache %s: free object %p was written "
				       "after free: byte +0x%x is 0x%02x",
				       c->name, p, (unsigned)(bad - (const u8 *)p), *bad);
	}
	if (nfree != c->objects - used)
		return err_why(why, n, -EINVAL,
			       "slab: cache %s: freelist of slab 0x%llx has %llu "
			       "objects, its bitmap %u free",
			       c->name, (unsigned long long)pa, (unsigned long long)nfree,
			       c->objects - used);
	*objects += used - own_slots(c);
	return 0;
}

static int check_list(const struct kmem_cache *c, const struct slab_list *l, enum slab_list_kind on,
		      u64 *slabs, u64 *objects, char *why, size_t n)
{
	const struct slab *prev = NULL;

	for (const struct slab *s = l->first; s; prev = s, s = s->next) {
		int err;

		if (++*slabs > c->nr_slabs)
			return err_why(why, n, -EINVAL,
				       "slab: cache %s: more slabs on its lists than its "
				       "%llu (a loop?)",
				       c->name, (unsigned long long)c->nr_slabs);
		if (!desc_ok(c, s) || s->prev != prev)
			return err_why(why, n, -EINVAL,
				       "slab: cache %s: its %s list reaches %p, no slab "
				       "descriptor linked there",
				       c->name, on == ON_FULL ? "full" : "partial",
				       (const void *)s);
		err = check_slab(c, s, on, objects, why, n);
		if (err)
			return err;
	}
	return 0;
}

/* Each object waiting free: a slab object of c, allocated in its bitmap,
 * with its free mark, in no other waiting place. */
static int check_waiting(const struct kmem_cache *c, void *const *objs, u32 count,
			 const char *where, char *why, size_t n)
{
	u32 i;

	for (u32 k = 0; k < count; k++) {
		if (!waiting_ok(c, objs[k], &i))
			return err_why(why, n, -EINVAL,
				       "slab: cache %s: %s entry %u, %p, is no allocated "
				       "object of it with its free mark",
				       c->name, where, k, objs[k]);
		for (u32 m = 0; m < k; m++) {
			if (objs[m] == objs[k])
				return err_why(why, n, -EINVAL,
					       "slab: cache %s: %p is in its %s twice", c->name,
					       objs[k], where);
		}
	}
	return 0;
}

static int check_cache(const struct kmem_cache *c, char *why, size_t n)
{
	u64 slabs = 0, objects = 0;
	int err;

	if (c->size < c->object_size || c->size < sizeof(u64) || c->objects == 0 ||
	    c->objects > SLAB_MAX_OBJECTS || (u64)c->objects * c->size > PAGE_SIZE << c->order ||
	    c->reciprocal != (u32)(((1ULL << 32) + c->size - 1) / c->size))
		return err_why(why, n, -EINVAL,
			       "slab: cache %s: its geometry is broken (slot %u, %u "
			       "objects, order %u)",
			       c->name, c->size, c->objects, c->order);
	if (c->mag_cap != mag_cap_of(c) || c->mag_n > c->mag_cap)
		return err_why(why, n, -EINVAL,
			       "slab: cache %s: magazine holds %u of %u (%u expected)", c->name,
			       c->mag_n, c->mag_cap, mag_cap_of(c));
	err = check_list(c, &c->partial, ON_PARTIAL, &slabs, &objects, why, n);
	if (!err)
		err = check_list(c, &c->full, ON_FULL, &slabs, &objects, why, n);
	if (err)
		return err;
	if (c->empty) {
		slabs++;
		if (!desc_ok(c, c->empty))
			return err_why(why, n, -EINVAL,
				       "slab: cache %s: its empty slab %p is no slab "
				       "descriptor",
				       c->name, (const void *)c->empty);
		err = check_slab(c, c->empty, THE_EMPTY, &objects, why, n);
		if (err)
			return err;
	}
	if (slabs != c->nr_slabs)
		return err_why(why, n, -EINVAL,
			       "slab: cache %s: %llu slabs on its lists, %llu counted", c->name,
			       (unsigned long long)slabs, (unsigned long long)c->nr_slabs);
	if (objects != c->slab_objects)
		return err_why(why, n, -EINVAL,
			       "slab: cache %s: %llu objects allocated in its slabs, "
			       "%llu counted",
			       c->name, (unsigned long long)objects,
			       (unsigned long long)c->slab_objects);
	return check_waiting(c, c->mag, c->mag_n, "magazine", why, n);
}

/* Is c a cache: a boot cache, or an allocated object of cache_cache? */
static bool cache_ok(const struct kmem_cache *c)
{
	struct slab *s;
	u32 i;

	if (c == &slab_desc_cache || c == &cache_cache)
		return true;
	s = slab_of_page(c);
	return s && s->cache == &cache_cache && slot_index(&cache_cache, s, c, &i) &&
	       slot_used(s, i);
}

int slab_check(char *why, size_t n)
{
	u64 ncaches = 0;
	int err;

	for (const struct kmem_cache *c = all_caches; c; c = c->next) {
		if (!cache_ok(c) || ++ncaches > (1UL << 20))
			return err_why(why, n, -EINVAL,
				       "slab: the cache list reaches %p, no cache (or "
				       "loops)",
				       (const void *)c);
		err = check_cache(c, why, n);
		if (err)
			return err;
	}
	if (slab_freeq.cap != (poison_on ? 0 : SLAB_FREEQ_SIZE) || slab_freeq.n > slab_freeq.cap)
		return err_why(why, n, -EINVAL, "slab: free queue holds %u of %u", slab_freeq.n,
			       slab_freeq.cap);
	for (u32 k = 0; k < slab_freeq.n; k++) {
		const struct kmem_cache *c = slab_freeq.cache[k];

		if (!cache_ok(c))
			return err_why(why, n, -EINVAL,
				       "slab: free queue entry %u names %p, no cache", k,
				       (const void *)c);
		err = check_waiting(c, &slab_freeq.obj[k], 1, "free queue", why, n);
		if (err)
			return err;
		for (u32 m = 0; m < k; m++) {
			if (slab_freeq.obj[m] == slab_freeq.obj[k])
				return err_why(why, n, -EINVAL,
					       "slab: %p is in the free queue twice",
					       slab_freeq.obj[k]);
		}
		for (u32 m = 0; m < c->mag_n; m++) {
			if (c->mag[m] == slab_freeq.obj[k])
				return err_why(why, n, -EINVAL,
					       "slab: cache %s: %p is in its magazine and "
					       "the free queue",
					       c->name, slab_freeq.obj[k]);
		}
	}
	return 0;
}

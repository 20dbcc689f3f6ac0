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
 * slot, is caught and reported instead of corrupting the chain.
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
#include "compiler.h"
#include "kstring.h"
#include "panic.h"
#include "printk.h"
#include "kerrno.h"

#define SLAB_MAX_ORDER 3

static struct kmem_cache slab_desc_cache, cache_cache;
static struct kmem_cache *all_caches;

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
	c->mag_cap = SLAB_MAG_SIZE;
	c->next = all_caches;
	all_caches = c;
}

static void *slot(const struct slab *s, u32 i)
{
	return s->base + (u64)i * s->cache->size;
}

/* Chain every slot the bitmap says is free into the freelist, lowest
 * first. */
static void init_freelist(struct slab *s)
{
	s->freelist = NULL;
	for (u32 i = s->cache->objects; i-- > 0;) {
		if (!(s->used[i / 64] & (1UL << (i % 64)))) {
			*(void **)slot(s, i) = s->freelist;
			s->freelist = slot(s, i);
		}
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

/* One object from the slabs (a partial one, else the empty one, else a
 * new one), marked allocated; NULL when no memory is left. */
static void *slab_take(struct kmem_cache *c, gfp_t gfp)
{
	struct slab *s = c->partial.first;
	void *obj;
	u32 i;

	if (!s) {
		s = c->empty;
		c->empty = NULL;
		if (!s)
			s = slab_new(c, gfp);
		if (!s)
			return NULL;
		list_add_slab(&c->partial, s);
	}
	obj = s->freelist;
	s->freelist = *(void **)obj;
	i = slab_slot_index(c, (u64)((u8 *)obj - s->base));
	s->used[i / 64] |= 1UL << (i % 64);
	s->inuse++;
	c->slab_objects++;
	if (s->inuse == c->objects) {
		list_del_slab(&c->partial, s);
		list_add_slab(&c->full, s);
	}
	return obj;
}

/* kmem_cache_alloc found the magazine empty: fill it with a batch from
 * the slabs, then hand out the last of them. A cache without a magazine
 * (the cache of struct slab) takes its object straight from a slab. */
void *slab_alloc(struct kmem_cache *c, gfp_t gfp)
{
	void *obj;

	DEBUG_BUG_ON(c->mag_n != 0);
	if (slab_freeq.n) { /* objects of this cache may be waiting there */
		slab_freeq_drain();
		if (c->mag_n)
			return kmem_cache_alloc(c, gfp);
	}
	for (u32 n = 0; n < c->mag_cap && n < SLAB_MAG_BATCH; n++) {
		obj = slab_take(c, gfp & ~__GFP_ZERO);
		if (!obj)
			break; /* out of memory: hand out what came in, if any */
		*(u64 *)obj = SLAB_MAG_POISON ^ (u64)(uintptr_t)obj;
		c->mag[c->mag_n++] = obj;
	}
	if (c->mag_n)
		return kmem_cache_alloc(c, gfp);
	obj = slab_take(c, gfp);
	if (obj && (gfp & __GFP_ZERO))
		memset(obj, 0, c->object_size);
	return obj;
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
		pr_err("%s: %p is not slab memory; ignored", who, obj);
		return NULL;
	}
	s = memdesc_to_ptr(md);
	off = (u64)((const u8 *)obj - s->base);
	i = slab_slot_index(s->cache, off);
	if ((u64)i * s->cache->size != off || i >= s->cache->objects || i < own_slots(s->cache)) {
		pr_err("%s: %p is not the start of an object of cache %s; ignored", who, obj,
		       s->cache->name);
		return NULL;
	}
	if (!(s->used[i / 64] & (1UL << (i % 64))) ||
	    *(const u64 *)obj == (SLAB_MAG_POISON ^ (u64)(uintptr_t)obj)) {
		pr_err("%s: %p of cache %s is free already (double free?); ignored", who, obj,
		       s->cache->name);
		return NULL;
	}
	*index = i;
	return s;
}

static void slab_free_obj(struct slab *s, void *obj, u32 i)
{
	struct kmem_cache *c = s->cache;

	s->used[i / 64] &= ~(1UL << (i % 64));
	*(void **)obj = s->freelist;
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

/* Send the magazine's oldest n objects back to their slabs, and move the
 * rest down. */
static void mag_flush(struct kmem_cache *c, u32 n)
{
	for (u32 k = 0; k < n; k++) {
		void *obj = c->mag[k];
		struct slab *s = memdesc_to_ptr(virt_to_page(obj)->memdesc);

		DEBUG_BUG_ON(*(u64 *)obj != (SLAB_MAG_POISON ^ (u64)(uintptr_t)obj));
		slab_free_obj(s, obj, slab_slot_index(c, (u64)((u8 *)obj - s->base)));
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
	for (u32 k = 0; k < n; k++) {
		struct kmem_cache *c = slab_freeq.cache[k];
		void *obj = slab_freeq.obj[k];

		DEBUG_BUG_ON(*(u64 *)obj != (SLAB_MAG_POISON ^ (u64)(uintptr_t)obj) ||
			     slab_of_page(obj)->cache != c);
		if (likely(c->mag_n < c->mag_cap)) {
			c->mag[c->mag_n++] = obj;
		} else {
			struct slab *s = slab_of_page(obj);

			cache_free(c, s, obj, slab_slot_index(c, (u64)((u8 *)obj - s->base)));
		}
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
		pr_err("kmem_cache_free: %p belongs to cache %s, not %s; ignored", obj,
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
			.name = c->name, .object_size = c->object_size, .slot_size = c->size,
			.objects_per_slab = c->objects, .slab_order = c->order,
			.slabs = c->nr_slabs, .active_objects = c->slab_objects - c->mag_n,
			.total_objects = c->nr_slabs * (c->objects - own_slots(c)),
		};
		fn(&st, arg);
	}
}

static void dump_one(const struct kmem_cache_stats *st, void *arg)
{
	(void)arg;
	if (st->slabs)
		pr_info("slab: %-16s %5u B  %4llu/%-4llu objects  %3llu slabs of %u page%s",
			st->name, st->object_size, (unsigned long long)st->active_objects,
			(unsigned long long)st->total_objects, (unsigned long long)st->slabs,
			1u << st->slab_order, st->slab_order ? "s" : "");
}

void slab_dump(void)
{
	kmem_cache_for_each(dump_one, NULL);
}

void kmem_cache_init(void)
{
	all_caches = NULL;
	slab_freeq.n = 0;
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
	c->nr_slabs++;
	c->slab_objects += s->inuse;
	list_add_slab(s->inuse == c->objects ? &c->full : &c->partial, s);
	return 0;
}

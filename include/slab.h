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
 */
#ifndef BATON_SLAB_H
#define BATON_SLAB_H

#include "gfp.h"
#include "types.h"
#include "kerrno.h"

struct kmem_cache;
struct page;

/* align 0 means the natural alignment (8, or the size's power of two up to
 * 64). Returns NULL if the size is 0 or above KMALLOC_MAX_CACHE_SIZE or no
 * memory is left. */
struct kmem_cache *kmem_cache_create(const char *name, size_t size, size_t align);
/* 0, or refused (-EBUSY, with a message) while objects are still
 * allocated. */
int kmem_cache_destroy(struct kmem_cache *cache);
void *kmem_cache_alloc(struct kmem_cache *cache, gfp_t gfp);
void kmem_cache_free(struct kmem_cache *cache, void *obj);

/* Size classes: 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096;
 * larger requests are folios of the smallest order that fits. */
#define KMALLOC_MAX_CACHE_SIZE 4096
void *kmalloc(size_t size, gfp_t gfp);
void *kzalloc(size_t size, gfp_t gfp);
void kfree(const void *p);
/* Usable size of a kmalloc'd block (its size class or folio size). */
size_t ksize(const void *p);

struct kmem_cache_stats {
	const char *name;
	u32 object_size, slot_size, objects_per_slab, slab_order;
	u64 slabs, active_objects, total_objects;
};

/* Call fn for every cache (boot caches and created ones). */
void kmem_cache_for_each(void (*fn)(const struct kmem_cache_stats *st, void *arg), void *arg);
/* Print every cache that has slabs. */
void slab_dump(void);

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

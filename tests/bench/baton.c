/*
 * baton.c — the benchmark's Baton side: mm/ brought up on the host's fake
 * arch (tests/host/fake_arch.c) as kernel_main does on a machine, and the
 * workloads of workloads.h run on it.
 *
 * Pages are alloc_pages(GFP_KERNEL, order) / __free_pages(page, order) and
 * the memory a caller writes is page_address(page), as in the kernel;
 * small objects are kmalloc(size, GFP_KERNEL) / kfree(p). These are the
 * real mm/ files, compiled with the host rename flags of
 * tests/host/host.mk but at -O2 without sanitizers (tests/bench/bench.mk).
 * Their fast paths -- order-0 alloc_pages/__free_pages, kmalloc, kfree --
 * are inline in the kernel's headers (include/buddy.h, include/slab.h),
 * so they are compiled into this file's loops, as into every caller in
 * the kernel; their slow paths are the mm/ objects'. The peers are shared
 * libraries, called through the PLT, as their users call them.
 *
 * Not printk.h: the kernel files are built with snprintf renamed to the
 * kernel's ksnprintf, this one is plain host C and uses the C library's.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bench.h"
#include "buddy.h"
#include "compiler.h"
#include "folio.h"
#include "host.h"
#include "memblock.h"
#include "slab.h"

/* 1 GiB of fake RAM: the arena is a memfd, so only the pages mm/ touches
 * are ever backed. The first MiB is reserved, as mm_boot does for tests. */
#define RAM_BASE 0x40000000ULL
#define RAM_SIZE GiB(1)

static u64 boot_active_objects;

/* Objects handed out by every cache but "slab", the slab descriptors'
 * own: those stay allocated as long as their slabs, and slab keeps slabs
 * (one empty one per cache) after their objects are gone. */
static void add_active(const struct kmem_cache_stats *st, void *arg)
{
	if (strcmp(st->name, "slab") != 0)
		*(u64 *)arg += st->active_objects;
}

static u64 active_objects(void)
{
	u64 n = 0;

	kmem_cache_for_each(add_active, &n);
	return n;
}

static void allocator_init(void)
{
	host_ram(RAM_BASE, RAM_SIZE);
	memblock_reset();
	memblock_add(RAM_BASE, RAM_SIZE);
	memblock_reserve(RAM_BASE, MiB(1));
	if (buddy_init()) {
		fprintf(stderr, "bench: baton: buddy_init failed\n%s", host_log());
		exit(1);
	}
	slab_init();
	folio_init();
	/* From here on anything mm/ says (a refused free, say) lands in the
	 * host log, which allocator_check shows. */
	host_console_register();
	host_log_clear();
	boot_active_objects = active_objects();
}

static void allocator_describe(char *buf, size_t len)
{
	snprintf(buf, len,
		 "alloc_pages/__free_pages, kmalloc/kfree (mm/, in the binary); "
		 "%llu MiB fake RAM, MAX_ORDER %d",
		 (unsigned long long)(RAM_SIZE >> 20), MAX_ORDER);
}

static inline void *pg_alloc(unsigned order)
{
	return alloc_pages(GFP_KERNEL, order);
}

static inline void *pg_alloc_plain(unsigned order)
{
	return alloc_pages(GFP_KERNEL, order);
}

static inline void *pg_mem(void *h)
{
	return page_address(h);
}

static inline void pg_free(void *h, unsigned order)
{
	__free_pages(h, order);
}

static inline void *obj_alloc(size_t size)
{
	return kmalloc(size, GFP_KERNEL);
}

static inline void obj_free(void *p)
{
	kfree(p);
}

/*
 * After the runs every page and object must be back: the workloads free
 * all they took, so every page the buddy allocator manages is either free
 * or a slab page (slab keeps its caches' slabs, up to one empty slab per
 * cache). buddy_check() panics, aborting the bench, if a list is broken.
 */
static void add_slab_pages(const struct kmem_cache_stats *st, void *arg)
{
	*(u64 *)arg += st->slabs << st->slab_order;
}

static const char *allocator_check(void)
{
	static char msg[512];
	struct buddy_stats st;
	u64 slab_pages = 0, objects = active_objects();

	buddy_check();
	buddy_stats(&st);
	kmem_cache_for_each(add_slab_pages, &slab_pages);
	if (objects != boot_active_objects) {
		snprintf(msg, sizeof(msg), "%llu objects allocated after the runs, %llu at boot",
			 (unsigned long long)objects, (unsigned long long)boot_active_objects);
		return msg;
	}
	if (st.free_pages + slab_pages != st.managed_pages) {
		snprintf(msg, sizeof(msg),
			 "%llu free + %llu slab pages after the runs, of %llu managed",
			 (unsigned long long)st.free_pages, (unsigned long long)slab_pages,
			 (unsigned long long)st.managed_pages);
		return msg;
	}
	if (host_log()[0]) {
		snprintf(msg, sizeof(msg), "mm/ logged during the runs: %.400s", host_log());
		return msg;
	}
	return NULL;
}

/* Which free lists are populated matters to the order-0 figures: an
 * order-0 alloc+free is a pop and a push of the per-CPU page cache while
 * it holds a page; when it runs empty, a batch comes from the lists,
 * split from larger blocks. */
static void allocator_state(char *buf, size_t len)
{
	struct buddy_stats st;
	u64 slab_pages = 0;
	int n;

	buddy_stats(&st);
	kmem_cache_for_each(add_slab_pages, &slab_pages);
	n = snprintf(buf, len, "free blocks by order");
	for (int k = 0; k <= MAX_ORDER && n > 0 && (size_t)n < len; k++)
		n += snprintf(buf + n, len - n, " %d:%llu", k, (unsigned long long)st.nr_free[k]);
	if (n > 0 && (size_t)n < len)
		snprintf(buf + n, len - n, "; %llu pages in the per-CPU cache; %llu slab pages",
			 (unsigned long long)st.pcp_pages, (unsigned long long)slab_pages);
}

#define ALLOCATOR_STATE allocator_state
#define ALLOCATOR_SYM bench_baton
#define ALLOCATOR_NAME "baton"
#include "workloads.h"

/*
 * mimalloc.c — the benchmark's mimalloc side (workloads.h on top), through
 * its own API: mi_malloc, mi_malloc_aligned, mi_free. Debian's libmimalloc
 * also exports malloc/free, but jemalloc is linked first and owns those;
 * describe() shows where mi_malloc resolves to and mi_version().
 *
 * Tuning: mimalloc's defaults, except that it keeps what is freed (no
 * decommit; bench.c says why).
 */
#include <mimalloc.h>
#include <stdio.h>

#include "bench.h"

static void allocator_init(void)
{
	mi_option_disable(mi_option_allow_decommit);
}

static void allocator_describe(char *buf, size_t len)
{
	int v = mi_version();

	snprintf(
		buf, len,
		"mi_malloc/mi_malloc_aligned/mi_free -> %s (mimalloc %d.%d.%d); allow_decommit %ld",
		bench_owner_of("mi_malloc"), v / 100, v / 10 % 10, v % 10,
		mi_option_get(mi_option_allow_decommit));
}

static inline void *pg_alloc(unsigned order)
{
	return mi_malloc_aligned((size_t)4096 << order, 4096);
}

static inline void *pg_alloc_plain(unsigned order)
{
	return mi_malloc((size_t)4096 << order);
}

static inline void *pg_mem(void *h)
{
	return h;
}

static inline void pg_free(void *h, unsigned order)
{
	(void)order;
	mi_free(h);
}

static inline void *obj_alloc(size_t size)
{
	return mi_malloc(size);
}

static inline void obj_free(void *p)
{
	mi_free(p);
}

static const char *allocator_check(void)
{
	return NULL;
}

#define ALLOCATOR_SYM bench_mimalloc
#define ALLOCATOR_NAME "mimalloc"
#define ALLOCATOR_STATE NULL
#include "workloads.h"

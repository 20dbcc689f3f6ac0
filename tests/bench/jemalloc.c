/*
 * jemalloc.c — the benchmark's jemalloc side (workloads.h on top), called
 * the way jemalloc's users call it: plain malloc and free (aligned_alloc
 * for page-aligned blocks). jemalloc's own mallocx/dallocx skip the fast
 * path malloc/free take (docs/design.md section 10: 9.8 against 5.8 ns a pair),
 * so measuring through them made jemalloc look slower than it is.
 *
 * Once -ljemalloc is linked (ahead of libc and of mimalloc, which exports a
 * malloc too), plain malloc/free are jemalloc's. describe() shows where
 * malloc and aligned_alloc resolve to, and jemalloc's version and options
 * as mallctl() reports them -- mallctl answering at all proves jemalloc is
 * there -- so a report can never silently be another allocator's.
 *
 * One default shapes the page figures: jemalloc's 4 KiB size class holds
 * one region per slab, and the thread cache keeps only
 * tcache_nslots_small_min (20) of them, so a window of 64 live pages
 * spills to the arena's slabs and extents on every op. describe() prints
 * both. `make bench` runs the benchmark a second time with a thread cache
 * big enough for every window (MALLOC_CONF, bench.mk), so that both
 * jemalloc figures are in the report.
 */
#include <jemalloc/jemalloc.h>
#include <stdio.h>
#include <sys/types.h>

#include "bench.h"

/* jemalloc's defaults, except that it keeps what is freed (no decay, so no
 * madvise purging; bench.c says why). jemalloc reads this variable of the
 * program's when it initializes (MALLOC_CONF from the environment comes
 * after it and wins); describe() reads the options back. */
const char *malloc_conf = "dirty_decay_ms:-1,muzzy_decay_ms:-1";

static void allocator_init(void)
{
}

/* Regions per slab of jemalloc's small size class of size bytes, 0 if
 * there is none. */
static unsigned regions_per_slab(size_t size)
{
	unsigned nbins = 0;
	size_t sz = sizeof(nbins);

	mallctl("arenas.nbins", &nbins, &sz, NULL, 0);
	for (unsigned i = 0; i < nbins; i++) {
		char name[64];
		size_t bin_size = 0;
		uint32_t nregs = 0;

		snprintf(name, sizeof(name), "arenas.bin.%u.size", i);
		sz = sizeof(bin_size);
		if (mallctl(name, &bin_size, &sz, NULL, 0) != 0 || bin_size != size)
			continue;
		snprintf(name, sizeof(name), "arenas.bin.%u.nregs", i);
		sz = sizeof(nregs);
		if (mallctl(name, &nregs, &sz, NULL, 0) == 0)
			return nregs;
	}
	return 0;
}

static void allocator_describe(char *buf, size_t len)
{
	const char *version = "? (mallctl failed)";
	ssize_t dirty = 0, muzzy = 0;
	unsigned tcache_min = 0;
	size_t sz = sizeof(version);

	mallctl("version", &version, &sz, NULL, 0);
	sz = sizeof(dirty);
	mallctl("opt.dirty_decay_ms", &dirty, &sz, NULL, 0);
	mallctl("opt.muzzy_decay_ms", &muzzy, &sz, NULL, 0);
	sz = sizeof(tcache_min);
	mallctl("opt.tcache_nslots_small_min", &tcache_min, &sz, NULL, 0);
	snprintf(buf, len,
		 "malloc/aligned_alloc/free -> %s, %s (jemalloc %s); decay_ms dirty %zd muzzy %zd; "
		 "4 KiB class: %u region(s) per slab, tcache_nslots_small_min %u",
		 bench_owner_of("malloc"), bench_owner_of("aligned_alloc"), version, dirty, muzzy,
		 regions_per_slab(4096), tcache_min);
}

static inline void *pg_alloc(unsigned order)
{
	return aligned_alloc(4096, (size_t)4096 << order);
}

static inline void *pg_alloc_plain(unsigned order)
{
	return malloc((size_t)4096 << order);
}

static inline void *pg_mem(void *h)
{
	return h;
}

static inline void pg_free(void *h, unsigned order)
{
	(void)order;
	free(h);
}

static inline void *obj_alloc(size_t size)
{
	return malloc(size);
}

static inline void obj_free(void *p)
{
	free(p);
}

static const char *allocator_check(void)
{
	return NULL;
}

#define ALLOCATOR_SYM bench_jemalloc
#define ALLOCATOR_NAME "jemalloc"
#define ALLOCATOR_STATE NULL
#include "workloads.h"

/*
 * glibc.c — the benchmark's glibc malloc side (workloads.h on top).
 *
 * glibc's allocator is not what "malloc" means in this process: the bench
 * links jemalloc first, so malloc/free are jemalloc's. glibc exports its
 * own as __libc_malloc, __libc_free and __libc_memalign -- but Debian's
 * libmimalloc exports those very names too (it overrides everything), and
 * a plain call would land in mimalloc (an easy trap: the "glibc" figures
 * then match mimalloc's to the decimal). So the three are looked up in libc.so.6
 * itself with dlsym on its handle, and called through those pointers:
 * that costs what the PLT's indirect jump costs every other library call
 * here. describe() prints where the pointers actually lead.
 *
 * Tuning: glibc's defaults, except that it keeps what is freed (mallopt
 * M_TRIM_THRESHOLD, M_MMAP_THRESHOLD); see bench.c.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <gnu/libc-version.h>
#include <limits.h>
#include <malloc.h>
#include <stdio.h>
#include <stdlib.h>

#include "bench.h"

static void *(*libc_malloc)(size_t size);
static void (*libc_free)(void *p);
static void *(*libc_memalign)(size_t align, size_t size);
static int (*libc_mallopt)(int param, int value);

static void *libc_sym(void *libc, const char *name)
{
	void *p = dlsym(libc, name);

	if (!p) {
		fprintf(stderr, "bench: glibc: %s not found in libc.so.6\n", name);
		exit(1);
	}
	return p;
}

static void allocator_init(void)
{
	void *libc = dlopen("libc.so.6", RTLD_NOW | RTLD_NOLOAD);

	if (!libc) {
		fprintf(stderr, "bench: glibc: no libc.so.6 handle: %s\n", dlerror());
		exit(1);
	}
	libc_malloc = (void *(*)(size_t))libc_sym(libc, "__libc_malloc");
	libc_free = (void (*)(void *))libc_sym(libc, "__libc_free");
	libc_memalign = (void *(*)(size_t, size_t))libc_sym(libc, "__libc_memalign");
	libc_mallopt = (int (*)(int, int))libc_sym(libc, "mallopt");
	/* Keep freed memory (bench.c says why): no trimming of the heap top
	 * with brk, no mmap for the block sizes used here (64 KiB at most, the
	 * default threshold is 128 KiB but would move). */
	if (!libc_mallopt(M_TRIM_THRESHOLD, INT_MAX) || !libc_mallopt(M_MMAP_THRESHOLD, 32 << 20)) {
		fprintf(stderr, "bench: glibc: mallopt refused\n");
		exit(1);
	}
}

static void allocator_describe(char *buf, size_t len)
{
	snprintf(buf, len,
		 "__libc_malloc/__libc_memalign/__libc_free -> %s, %s, %s (glibc %s; "
		 "plain __libc_malloc would be %s's); M_TRIM_THRESHOLD INT_MAX",
		 bench_owner_of_addr((void *)libc_malloc),
		 bench_owner_of_addr((void *)libc_memalign), bench_owner_of_addr((void *)libc_free),
		 gnu_get_libc_version(), bench_owner_of("__libc_malloc"));
}

static inline void *pg_alloc(unsigned order)
{
	return libc_memalign(4096, (size_t)4096 << order);
}

static inline void *pg_alloc_plain(unsigned order)
{
	return libc_malloc((size_t)4096 << order);
}

static inline void *pg_mem(void *h)
{
	return h;
}

static inline void pg_free(void *h, unsigned order)
{
	(void)order;
	libc_free(h);
}

static inline void *obj_alloc(size_t size)
{
	return libc_malloc(size);
}

static inline void obj_free(void *p)
{
	libc_free(p);
}

static const char *allocator_check(void)
{
	return NULL;
}

#define ALLOCATOR_SYM bench_glibc
#define ALLOCATOR_NAME "glibc"
#define ALLOCATOR_STATE NULL
#include "workloads.h"

/*
 * bench.h — what the driver of `make bench` (bench.c) shares with the one
 * file per allocator (baton.c, glibc.c, jemalloc.c, mimalloc.c).
 *
 * Each allocator file defines a handful of static inline operations (take
 * a block of 2^order pages, give it back, kmalloc-style alloc and free)
 * and then includes workloads.h, which writes the workload loops around
 * those operations. So every loop calls its allocator directly, as a real
 * caller would -- no function pointer per operation -- and the driver only
 * makes one indirect call per batch of BATCH_OPS operations, which it
 * times. Timing, statistics and the report are bench.c's.
 */
#ifndef BATON_TESTS_BENCH_BENCH_H
#define BATON_TESTS_BENCH_BENCH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* One op is always one allocation plus one free. */
enum workload {
	WL_PAGE_PAIR,    /* order-0 page: alloc, then free it at once */
	WL_PAGE_WINDOW,  /* order-0: alloc PAGE_WINDOW pages, free them in the same order */
	WL_MIXED_WINDOW, /* orders 0..4 at random; free a random one of MIXED_WINDOW live;
			  * the peers are asked for page-aligned blocks */
	WL_MIXED_PLAIN,  /* the same, the peers asked for plain malloc(4096 << order) */
	WL_SMALL_WINDOW, /* 8..256 bytes at random; free a random one of SMALL_WINDOW live */
	WL_SMALL_PAIR,   /* 8..256 bytes at random: alloc, then free it at once */
	NR_WORKLOADS
};

/* Window sizes: powers of two (a random slot is rnd_slot & (window - 1)). */
#define PAGE_WINDOW 64
#define MIXED_WINDOW 64
#define MIXED_MAX_ORDER 4
#define SMALL_WINDOW 256
#define SMALL_MIN 8
#define SMALL_MAX 256
#define MAX_WINDOW 256

/* Operations per timed batch: a multiple of PAGE_WINDOW. */
#define BATCH_OPS 1024

/*
 * The random choices, drawn once from a fixed-seed xorshift64 (bench.c)
 * so that every allocator sees exactly the same sequence of orders, sizes
 * and victims. The workloads walk them with a cursor that wraps.
 */
#define RND_LEN 8192
extern uint8_t bench_rnd_order[RND_LEN]; /* 0..MIXED_MAX_ORDER */
extern uint16_t bench_rnd_size[RND_LEN]; /* SMALL_MIN..SMALL_MAX bytes */
extern uint16_t bench_rnd_slot[RND_LEN]; /* any 16 bits: mask with the window */

/* What a workload keeps between batches: its live allocations. */
struct wl_state {
	void *live[MAX_WINDOW];
	uint8_t order[MAX_WINDOW];
	unsigned cursor; /* into the bench_rnd_* tables */
};

struct allocator {
	const char *name;
	/* Once, before anything else. */
	void (*init)(void);
	/* One line: which functions it calls, in which library, what version. */
	void (*describe)(char *buf, size_t len);
	/* Fill the window (untimed), run nops ops (timed by the caller),
	 * free everything (untimed). */
	void (*setup)(enum workload w, struct wl_state *st);
	void (*batch)(enum workload w, struct wl_state *st, unsigned nops);
	void (*teardown)(enum workload w, struct wl_state *st);
	/* Optional (NULL): one line on the allocator's state, printed when
	 * the measurements start (Baton: its free blocks per order). */
	void (*state)(char *buf, size_t len);
	/* After all runs: NULL, or what looks wrong (Baton checks its lists
	 * and that every page and object came back). */
	const char *(*check)(void);
};

extern const struct allocator bench_baton, bench_glibc, bench_jemalloc, bench_mimalloc;

/* For describe(): the file name of the shared object (or the bench binary)
 * that defines sym, as the dynamic linker resolves it for the process. */
const char *bench_owner_of(const char *sym);
/* The same for a code address. */
const char *bench_owner_of_addr(const void *addr);

/* An allocation failed: report and exit. */
__attribute__((noreturn)) void bench_oom(const char *who, size_t bytes);

#endif

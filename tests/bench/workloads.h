/*
 * workloads.h — the benchmark's workload loops, written once and included
 * by each allocator's file (baton.c, glibc.c, jemalloc.c, mimalloc.c), so
 * that the loops call that allocator directly and get compiled the same
 * way for all four. No include guard: it is a template, not a header.
 *
 * The including file defines, before #include "workloads.h":
 *
 *   ALLOCATOR_SYM                         the struct allocator to define
 *   ALLOCATOR_NAME                        its name in the report
 *   void *pg_alloc_plain(unsigned order)  4096 << order bytes, returns a handle
 *                                         (Baton: alloc_pages' struct page;
 *                                         peers: plain malloc)
 *   void *pg_alloc(unsigned order)        the same, page aligned (Baton: the
 *                                         same call; peers: their aligned alloc)
 *   void *pg_mem(void *handle)            the memory of that handle
 *   void pg_free(void *handle, unsigned order)
 *   void *obj_alloc(size_t size)          kmalloc-like, size <= SMALL_MAX
 *   void obj_free(void *p)                kfree-like: no size given
 *   void allocator_init(void), allocator_describe(char *, size_t),
 *   const char *allocator_check(void)     see struct allocator (bench.h)
 *   ALLOCATOR_STATE                       its state() hook, or NULL
 *
 * Page alignment. Order 0 is compared with plain malloc(4096): the peers'
 * fastest way to get 4 KiB, the hardest baseline (jemalloc and mimalloc
 * happen to return page-aligned 4 KiB blocks; glibc's are not).
 * Orders 1..4 are run twice. The "aligned" run, the fair one, asks the
 * peers for what a page allocator guarantees its callers -- whole pages,
 * page aligned (buddy blocks are even aligned to their size, but callers
 * of alloc_pages rarely rely on more than the page): __libc_memalign,
 * aligned_alloc (jemalloc), mi_malloc_aligned. The "plain" run gives
 * the peers plain malloc(4096 << order), which glibc returns unaligned and
 * so does jemalloc from 16 KiB up (its cache-oblivious random offset) --
 * cheaper for them, shown so that the price of alignment is visible
 * rather than hidden in one figure.
 *
 * Every allocation gets one word written into it, as any real caller would
 * write to what it allocated; it also keeps the compiler from dropping an
 * allocation it could see is unused. One op is one allocation and one free.
 */

#define RND_NEXT(c) (((c) + 1) & (RND_LEN - 1))

static inline void use(void *p)
{
	*(volatile uintptr_t *)p = (uintptr_t)p;
}

static inline void *take_pages(unsigned order, bool aligned)
{
	void *h = aligned ? pg_alloc(order) : pg_alloc_plain(order);

	if (__builtin_expect(!h, 0))
		bench_oom(ALLOCATOR_NAME, (size_t)4096 << order);
	use(pg_mem(h));
	return h;
}

static inline void *take_obj(size_t size)
{
	void *p = obj_alloc(size);

	if (__builtin_expect(!p, 0))
		bench_oom(ALLOCATOR_NAME, size);
	use(p);
	return p;
}

static void page_pair(unsigned nops)
{
	for (unsigned i = 0; i < nops; i++)
		pg_free(take_pages(0, false), 0);
}

/* Alloc a window of pages, then free them oldest first: not the one hot
 * page of page_pair, and the frees come in a different order than a
 * LIFO cache would give them back. */
static void page_window(struct wl_state *st, unsigned nops)
{
	for (unsigned done = 0; done < nops; done += PAGE_WINDOW) {
		for (unsigned i = 0; i < PAGE_WINDOW; i++)
			st->live[i] = take_pages(0, false);
		for (unsigned i = 0; i < PAGE_WINDOW; i++)
			pg_free(st->live[i], 0);
	}
}

/* Steady state: free a random live block, allocate one of a random order
 * in its place (so frees come in random order). */
static void mixed_window(struct wl_state *st, unsigned nops, bool aligned)
{
	unsigned c = st->cursor;

	for (unsigned i = 0; i < nops; i++, c = RND_NEXT(c)) {
		unsigned j = bench_rnd_slot[c] & (MIXED_WINDOW - 1), order = bench_rnd_order[c];

		pg_free(st->live[j], st->order[j]);
		st->live[j] = take_pages(order, aligned);
		st->order[j] = (uint8_t)order;
	}
	st->cursor = c;
}

static void small_window(struct wl_state *st, unsigned nops)
{
	unsigned c = st->cursor;

	for (unsigned i = 0; i < nops; i++, c = RND_NEXT(c)) {
		unsigned j = bench_rnd_slot[c] & (SMALL_WINDOW - 1);

		obj_free(st->live[j]);
		st->live[j] = take_obj(bench_rnd_size[c]);
	}
	st->cursor = c;
}

static void small_pair(struct wl_state *st, unsigned nops)
{
	unsigned c = st->cursor;

	for (unsigned i = 0; i < nops; i++, c = RND_NEXT(c))
		obj_free(take_obj(bench_rnd_size[c]));
	st->cursor = c;
}

static void wl_setup(enum workload w, struct wl_state *st)
{
	st->cursor = 0;
	if (w == WL_MIXED_WINDOW || w == WL_MIXED_PLAIN) {
		for (unsigned i = 0; i < MIXED_WINDOW; i++, st->cursor = RND_NEXT(st->cursor)) {
			st->order[i] = bench_rnd_order[st->cursor];
			st->live[i] = take_pages(st->order[i], w == WL_MIXED_WINDOW);
		}
	} else if (w == WL_SMALL_WINDOW) {
		for (unsigned i = 0; i < SMALL_WINDOW; i++, st->cursor = RND_NEXT(st->cursor))
			st->live[i] = take_obj(bench_rnd_size[st->cursor]);
	}
}

static void wl_batch(enum workload w, struct wl_state *st, unsigned nops)
{
	switch (w) {
	case WL_PAGE_PAIR:
		page_pair(nops);
		break;
	case WL_PAGE_WINDOW:
		page_window(st, nops);
		break;
	case WL_MIXED_WINDOW:
		mixed_window(st, nops, true);
		break;
	case WL_MIXED_PLAIN:
		mixed_window(st, nops, false);
		break;
	case WL_SMALL_WINDOW:
		small_window(st, nops);
		break;
	case WL_SMALL_PAIR:
		small_pair(st, nops);
		break;
	case NR_WORKLOADS:
		break;
	}
}

static void wl_teardown(enum workload w, struct wl_state *st)
{
	if (w == WL_MIXED_WINDOW || w == WL_MIXED_PLAIN) {
		for (unsigned i = 0; i < MIXED_WINDOW; i++)
			pg_free(st->live[i], st->order[i]);
	} else if (w == WL_SMALL_WINDOW) {
		for (unsigned i = 0; i < SMALL_WINDOW; i++)
			obj_free(st->live[i]);
	}
}

const struct allocator ALLOCATOR_SYM = {
	.name = ALLOCATOR_NAME,
	.init = allocator_init,
	.describe = allocator_describe,
	.setup = wl_setup,
	.batch = wl_batch,
	.teardown = wl_teardown,
	.state = ALLOCATOR_STATE,
	.check = allocator_check,
};

/*
 * handover_bench.c — the kernel's side of `make bench-handover`
 * (tests/bench/handover, docs/results.md): one handover of a preserved
 * set of a given size and shape, timed phase by phase.
 *
 *     bench.handover=SHAPE:SIZE      e.g. bench.handover=order0:1G
 *
 * Generation 0 allocates SIZE bytes in the SHAPE asked for, writes a tag in
 * each block's first word, preserves every block and a vmalloc'd index of
 * them (u64 entries, physical address | order, as Linux's test_kho lists
 * its folios), names the index in the subtree "baton-handover-bench", and
 * kexecs once. Generation 1 restores the index and every block with the
 * restore call that matches its allocation, checks every tag, frees every
 * block with the matching free call, and checks that nothing was lost: the
 * memmap holds as many folios and bare pages as before the restores, and
 * nothing preserved waits but the handover's own pages. Shapes:
 *
 *     order0  pages from alloc_pages(0): kho_preserve_pages,
 *             kho_restore_pages, __free_pages
 *     order9  folios of order 9: kho_preserve_folio, kho_restore_folio,
 *             folio_put (the same calls for the two below)
 *     max     folios of MAX_ORDER
 *     mix     folios of every order 0..MAX_ORDER, interleaved, each order
 *             an equal share of the bytes
 *
 * The handover's timeline (kexec_timing.h) has the phases: the making of
 * the set is fill, its preserve calls preserve, its restore calls restore,
 * its checking and freeing check. Inside restore this file stamps the
 * index's restore and the blocks' apart, and prints them in counter ticks
 * ("handover-bench: restore: ..."), so that the bench can give the blocks'
 * cost alone.
 *
 * The payload must not be copied: bench_window_open and bench_window_close
 * are where a QEMU plugin (tests/bench/plugin/store_watch.c) opens and
 * closes its count of guest stores, from the first preserve call to the
 * last restore call, and generation 0 lists the payload's physical ranges
 * ("handover-bench: payload <start> <end>") for the bench to intersect
 * with what was stored to. bench.handover.poke stores one word into the
 * payload inside that window: the control that shows the count sees a
 * store when there is one.
 */
#include "handover_bench.h"
#include "bootfdt.h"
#include "buddy.h"
#include "cmdline.h"
#include "console.h"
#include "folio.h"
#include "kernel.h"
#include "kexec.h"
#include "kexec_timing.h"
#include "kho.h"
#include "ktest.h"
#include "kstring.h"
#include "page.h"
#include "printk.h"
#include "vmalloc.h"
#include "arch/counter.h"

#define SUBTREE "baton-handover-bench"
#define MAGIC 0x48434e4542544142ULL /* "BATBENCH" */
#define TAG 0x6761742d6863656eULL   /* a block's first word: TAG ^ its address */
#define MAX_RANGES 4096             /* payload ranges listed, at most */

enum shape { ORDER0, ORDER9, MAXORDER, MIX, NR_SHAPES };
static const char *const shape_names[NR_SHAPES] = { "order0", "order9", "max", "mix" };

/* The subtree's blob: one preserved page. */
struct bench_manifest {
	u64 magic;
	u64 shape;
	u64 nblocks;              /* entries in the index */
	u64 pages;                /* the payload's pages, all blocks together */
	struct kho_vmalloc index; /* u64 entries: physical address | order */
};

static bool wanted, poke;
static enum shape shape;
static u64 size;

static int set_bench(const char *val)
{
	const char *colon = val ? strchr(val, ':') : NULL;

	if (!colon)
		return -EINVAL;
	for (int s = 0; s < NR_SHAPES; s++) {
		if (strlen(shape_names[s]) == (size_t)(colon - val) &&
		    !memcmp(val, shape_names[s], (size_t)(colon - val))) {
			if (cmdline_parse_u64(colon + 1, &size) < 0 || size < PAGE_SIZE)
				return -EINVAL;
			shape = s;
			wanted = true;
			return 0;
		}
	}
	return -EINVAL;
}
CMDLINE_PARAM("bench.handover", set_bench,
	      "benchmark one handover: SHAPE:SIZE, SHAPE one of order0, order9, max, mix");

static int set_poke(const char *val)
{
	if (val)
		return -EINVAL;
	poke = true;
	return 0;
}
CMDLINE_PARAM("bench.handover.poke", set_poke,
	      "store into the payload while it is handed over (the store count's control)");

bool handover_bench_wanted(void)
{
	return wanted;
}

/* Where the store count opens and closes. Each writes its own word, so that
 * the compiler keeps them apart (identical functions may be merged). */
static volatile u64 window_state;

__attribute__((noinline)) void bench_window_open(void)
{
	window_state = 1;
}

__attribute__((noinline)) void bench_window_close(void)
{
	window_state = 2;
}

/* The order of the next block: mix deals, per round, one block of
 * MAX_ORDER, two of MAX_ORDER - 1, ... 2^MAX_ORDER of order 0, so that each
 * order has the same share of the bytes. */
static unsigned next_order(u64 i)
{
	switch (shape) {
	case ORDER0:
		return 0;
	case ORDER9:
		return 9;
	case MAXORDER:
		return MAX_ORDER;
	default: {
		u64 at = i % ((MAX_ORDER + 1) << MAX_ORDER); /* blocks dealt in a round */

		for (unsigned o = MAX_ORDER;; o--) {
			if (at < (1ULL << (MAX_ORDER - o)) || o == 0)
				return o;
			at -= 1ULL << (MAX_ORDER - o);
		}
	}
	}
}

/* An index entry is physical address | order: a block's address is page
 * aligned, and an order fits in the bits below. */
static phys_addr_t entry_phys(u64 entry)
{
	return entry & ~(PAGE_SIZE - 1);
}

static void *block_address(u64 entry)
{
	return phys_to_virt(entry_phys(entry));
}

static unsigned entry_order(u64 entry)
{
	return (unsigned)(entry & (PAGE_SIZE - 1));
}

/* The payload's ranges, merged as the blocks come (the buddy hands out
 * neighbours in turn), printed for the store count; vmalloc'd by fill, so
 * that a kernel not asked for the bench carries no table for it. */
static struct mem_range *ranges;
static u64 nr_ranges;
static bool too_many_ranges;

static void note_range(phys_addr_t pa, u64 bytes)
{
	struct mem_range *r = nr_ranges ? &ranges[nr_ranges - 1] : NULL;

	if (r && r->base + r->size == pa) {
		r->size += bytes;
	} else if (r && pa + bytes == r->base) {
		r->base = pa;
		r->size += bytes;
	} else if (nr_ranges < MAX_RANGES) {
		ranges[nr_ranges++] = (struct mem_range){ pa, bytes };
	} else {
		too_many_ranges = true;
	}
}

static u64 *index_entries;
static struct page *manifest_page;

/* Generation 0, fill: the set, its tags and its index. */
static int fill(struct ktest_ctx *t, u64 *nblocks, u64 *pages)
{
	u64 n = 0, got = 0, max_blocks = size >> PAGE_SHIFT;

	index_entries = vmalloc(max_blocks * sizeof(u64));
	manifest_page = alloc_pages(__GFP_ZERO, 0);
	ranges = vmalloc(MAX_RANGES * sizeof(*ranges));
	if (!index_entries || !manifest_page || !ranges) {
		ktest_fail(t, "no memory for the index of %llu blocks",
			   (unsigned long long)max_blocks);
		return -ENOMEM;
	}
	while (got < size) {
		unsigned order = next_order(n);
		phys_addr_t pa;

		if (shape == ORDER0) {
			struct page *p = alloc_pages(GFP_KERNEL, 0);

			pa = p ? page_to_phys(p) : 0;
		} else {
			struct folio *f = folio_alloc(GFP_KERNEL, order);

			pa = f ? folio_pfn(f) << PAGE_SHIFT : 0;
		}
		if (!pa) {
			ktest_fail(t, "out of memory after %llu of %llu bytes (order %u)",
				   (unsigned long long)got, (unsigned long long)size, order);
			return -ENOMEM;
		}
		*(u64 *)phys_to_virt(pa) = TAG ^ pa;
		index_entries[n++] = pa | order;
		note_range(pa, PAGE_SIZE << order);
		got += PAGE_SIZE << order;
	}
	*nblocks = n;
	*pages = got >> PAGE_SHIFT;
	return 0;
}

static int preserve_entry(u64 e)
{
	if (shape == ORDER0)
		return kho_preserve_pages(virt_to_page(block_address(e)), 1);
	return kho_preserve_folio(virt_to_folio(block_address(e)));
}

/* Generation 0: make the set, preserve it, kexec. */
KTEST_ON_DEMAND(bench, handover_step)
{
	struct bench_manifest *m;
	u64 nblocks = 0, pages = 0;
	int err = 0;

	kexec_timing_enter(KT_FILL);
	if (fill(t, &nblocks, &pages) < 0)
		return;
	pr_info("handover-bench: %s, %llu blocks, %llu pages", shape_names[shape],
		(unsigned long long)nblocks, (unsigned long long)pages);
	if (too_many_ranges)
		pr_info("handover-bench: payload in more than %d ranges: not listed", MAX_RANGES);
	else
		for (u64 i = 0; i < nr_ranges; i++)
			pr_info("handover-bench: payload 0x%llx 0x%llx",
				(unsigned long long)ranges[i].base,
				(unsigned long long)(ranges[i].base + ranges[i].size));
	vfree(ranges);
	console_flush();

	kexec_timing_enter(KT_PRESERVE);
	bench_window_open();
	for (u64 i = 0; i < nblocks && !err; i++)
		err = preserve_entry(index_entries[i]);
	m = page_address(manifest_page);
	*m = (struct bench_manifest){
		.magic = MAGIC, .shape = shape, .nblocks = nblocks, .pages = pages
	};
	if (!err)
		err = kho_preserve_vmalloc(index_entries, &m->index);
	if (!err)
		err = kho_preserve_pages(manifest_page, 1);
	if (!err)
		err = kho_add_subtree(SUBTREE, m, sizeof(*m));
	if (err) {
		ktest_fail(t, "the set could not be preserved: %s", err_name(err));
		return;
	}
	err = kexec();
	ktest_fail(t, "generation 0 could not kexec (%s; the reason is above)", err_name(err));
}

static void free_entry(u64 e)
{
	if (shape == ORDER0)
		__free_pages(virt_to_page(block_address(e)), 0);
	else
		folio_put(virt_to_folio(block_address(e)));
}

/* Generation 1: restore, check, free; and nothing lost. */
KTEST_ON_DEMAND(bench, handover_restore)
{
	phys_addr_t pa;
	u64 blob_size, before[16], after[16], t0, t1, t2, bad = 0, failed = 0;
	struct bench_manifest *m;
	struct page *mp;
	u64 *index;

	kexec_timing_enter(KT_CHECK); /* the census is the check's, not KHO's */
	memdesc_census(before);
	kexec_timing_enter(KT_RESTORE);
	t0 = arch_counter_read();
	if (kho_retrieve_subtree(SUBTREE, &pa, &blob_size) < 0 || blob_size != sizeof(*m) ||
	    !(mp = kho_restore_pages(pa, 1))) {
		bench_window_close();
		ktest_fail(t, "the handover has no usable subtree " SUBTREE);
		return;
	}
	m = page_address(mp);
	if (m->magic != MAGIC || m->shape >= NR_SHAPES) {
		bench_window_close();
		ktest_fail(t, "the subtree " SUBTREE " is not this benchmark's");
		return;
	}
	shape = m->shape;
	index = kho_restore_vmalloc(&m->index);
	if (!index ||
	    m->index.total_pages < (m->nblocks * sizeof(u64) + PAGE_SIZE - 1) / PAGE_SIZE) {
		bench_window_close();
		ktest_fail(t, "the index of %llu blocks did not come back",
			   (unsigned long long)m->nblocks);
		return;
	}
	if (poke) /* the control: one word of payload stored to, in the window */
		*(volatile u64 *)block_address(index[0]) ^= 1;
	/* The restore calls as a caller makes them: a loop of one call. */
	t1 = arch_counter_read();
	if (shape == ORDER0)
		for (u64 i = 0; i < m->nblocks; i++)
			failed += !kho_restore_pages(entry_phys(index[i]), 1);
	else
		for (u64 i = 0; i < m->nblocks; i++)
			failed += !kho_restore_folio(entry_phys(index[i]));
	t2 = arch_counter_read();
	bench_window_close();
	pr_info("handover-bench: restore: index %llu ticks, %llu blocks %llu ticks",
		(unsigned long long)(t1 - t0), (unsigned long long)m->nblocks,
		(unsigned long long)(t2 - t1));

	kexec_timing_enter(KT_CHECK);
	KT_EXPECT(t, failed == 0);
	for (u64 i = 0; i < m->nblocks; i++) {
		u64 e = index[i];

		if (*(u64 *)block_address(e) != (TAG ^ entry_phys(e)) && !(poke && i == 0))
			bad++;
		else if (shape != ORDER0 &&
			 folio_order(virt_to_folio(block_address(e))) != entry_order(e))
			bad++;
		free_entry(e);
	}
	KT_EXPECT(t, bad == 0);
	vfree(index);
	__free_pages(mp, 0);
	memdesc_census(after);
	KT_EXPECT(t, after[MEMDESC_FOLIO] == before[MEMDESC_FOLIO] &&
			     after[MEMDESC_PAGES] == before[MEMDESC_PAGES]);
	KT_EXPECT(t, kho_unclaimed_pages() == 2);
	pr_info("handover-bench: %s: %llu blocks, %llu pages restored, %llu tags or orders wrong, %llu "
		"restores failed; freed: %llu folios and %llu bare pages in use, as before",
		shape_names[shape], (unsigned long long)m->nblocks, (unsigned long long)m->pages,
		(unsigned long long)bad, (unsigned long long)failed,
		(unsigned long long)after[MEMDESC_FOLIO], (unsigned long long)after[MEMDESC_PAGES]);
}

void handover_bench_restore(void)
{
	if (wanted && kexec_generation())
		ktest_run_one("bench", "handover_restore", boot_fdt);
}

void handover_bench_step(void)
{
	if (kexec_generation() == 0)
		ktest_run_one("bench", "handover_step", boot_fdt);
}

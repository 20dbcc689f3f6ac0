/*
 * kho_soak.c — the KHO soak: a long kexec chain whose preserved set is
 * random in every generation, with a leak check in each.
 *
 *     kexec.chain=200 kho_test.soak=SEED [kho_test.soak_pages=N]
 *
 * The KHO self-test (ktest/kho_test.c) restores, checks and frees the
 * items as always; this file decides, for each generation, from SEED and
 * the generation's number alone:
 *   - how large the set it hands on may be (a page budget drawn between 0
 *     and kho_test.soak_pages, default 4096, at most an eighth of RAM:
 *     the set grows and shrinks from one generation to the next);
 *   - what share of what it received it keeps (re-preserved for the next
 *     generation, within the budget); the rest is freed with the matching
 *     free functions;
 *   - what it adds: random counts of folios of random orders, page runs,
 *     vmalloc areas of random sizes, kmalloc objects of random sizes (so of
 *     random caches), and blobs named by subtrees of their own.
 * Each generation prints its seed, so a failing generation is reproduced
 * by the same command line: every generation's choices follow from SEED.
 *
 * The leak check (kho_soak_account), each generation, after the set is
 * restored, checked and partly freed, before the new set is made (at that
 * point KHO's incoming bookkeeping is given back and its outgoing one not
 * made yet, so what is in use is exactly known):
 *
 *   managed = free + slab + page-table + folio + bare        (memmap census)
 *   folio + bare = held pages + steady pages
 *   slab objects handed out = held objects + steady objects
 *
 * where held pages are the kept items' own pages (a folio or page run or
 * blob: 2^order; a vmalloc area: its pages) plus Linux's test_kho set if
 * one is held, and held objects the kept kmalloc objects plus two per kept
 * vmalloc area (its struct vm_area and page array, mm/vmalloc.c). The
 * steady parts are the kernel's own (the image copy, ...): they must be
 * the same in every generation as in generation 0, the cold boot,
 * whatever the set. Slab and page-table pages depend on where objects
 * and mappings landed, so they are left out of the equation and printed;
 * their objects are counted instead. Nothing may wait preserved after the
 * restore but the handover's own two pages (the root FDT and the scratch
 * array), so the next generation's check also covers this one's
 * preservation: a page it preserved and nobody restored waits there, and
 * a page restored and not freed shows in the steady part.
 *
 * The chain's record (the subtree "kho-soak") carries the baseline, the
 * start time, the count of failed generations and the size of each set
 * handed on, so that the last generation prints the summary: generations
 * per second of guest time (the CPU counter runs on across kexec) and the
 * preserved size over time.
 */
#include "kho_test.h"
#include "kho_test_internal.h"
#include "buddy.h"
#include "cmdline.h"
#include "kexec.h"
#include "kho.h"
#include "kho_linux_test.h"
#include "kstring.h"
#include "oldlog.h"
#include "ktest.h"
#include "page.h"
#include "printk.h"
#include "slab.h"
#include "xorshift.h"
#include "arch/counter.h"

#define SOAK_MAGIC 0x4b414f534f544142ULL /* "BATOSOAK" */
#define SOAK_PAGES_DEFAULT 4096
#define SOAK_MAX_BLOBS 6 /* subtrees of blobs at once (KHO_MAX_SUBTREES is 16 in all) */
/* New items a generation adds at most, by kind. */
#define NEW_FOLIOS 12
#define NEW_RUNS 8
#define NEW_VMALLOCS 4
#define NEW_OBJECTS 48
#define NEW_BLOBS 2
#define SOAK_MAX_NEW (NEW_FOLIOS + NEW_RUNS + NEW_VMALLOCS + NEW_OBJECTS + NEW_BLOBS)
#define SOAK_HISTORY 4000 /* generations whose set size the record keeps */
#define SOAK_SERIES 100   /* values the summary's series prints at most */

static bool soak_on;
static u64 soak_seed, soak_pages = SOAK_PAGES_DEFAULT;

static int set_soak(const char *val)
{
	int err = cmdline_parse_u64(val, &soak_seed);

	if (!err)
		soak_on = true;
	return err;
}
CMDLINE_PARAM("kho_test.soak", set_soak,
	      "SEED: the KHO self-test hands on random sets, with a leak check each generation");

static int set_soak_pages(const char *val)
{
	int err = cmdline_parse_u64(val, &soak_pages);

	return !err && (soak_pages == 0 || soak_pages > (1ULL << 30)) ? -EINVAL : err;
}
CMDLINE_PARAM("kho_test.soak_pages", set_soak_pages,
	      "the largest set the soak hands on, in pages (default 4096)");

/*
 * The chain's record, handed on in the subtree "kho-soak" (an order-2
 * block). Invariants: magic == SOAK_MAGIC; generation is its writer's;
 * n == min(generation + 1, SOAK_HISTORY) and history[g] the pages of the
 * set generation g handed on; min, max and total over every generation so
 * far; sum = checksum of everything before it.
 */
struct soak_record {
	u64 magic;
	u64 seed;
	u64 generation;
	u64 start;                    /* the counter at generation 0's check */
	u64 base_pages, base_objects; /* generation 0's steady parts */
	u64 failures;                 /* generations whose check failed */
	u64 min, max, total;
	u64 n;
	u32 history[SOAK_HISTORY];
	u64 sum;
};
_Static_assert(sizeof(struct soak_record) <= 4 * 4096, "the record fits an order-2 block");

static struct soak_record rec;
static bool have_rec;
static struct page *rec_in; /* the record handed over, between restore and check */

/* This generation's choices, drawn in kho_soak_stream. */
static u64 srng;     /* the soak's decisions (the data has kho_test's) */
static u64 budget;   /* pages the set it hands on may have */
static u64 keep_pct; /* % of the items received kept (within the budget) */
static int blobs_kept;

bool kho_soak_on(void)
{
	return soak_on;
}

static u64 soak_rand(void)
{
	return xorshift64(&srng);
}

/* splitmix64's finalizer: neighbouring inputs give unrelated outputs. */
static u64 mix(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

u64 kho_soak_stream(u64 generation)
{
	struct buddy_stats st;
	u64 stream = mix(soak_seed ^ mix(generation)) | 1, cap;

	srng = mix(stream) | 1;
	buddy_stats(&st);
	cap = MIN(soak_pages, st.managed_pages / 8);
	budget = soak_rand() % (cap + 1);
	keep_pct = soak_rand() % 101;
	blobs_kept = 0;
	pr_info("kho-soak: generation %llu: kho_test.soak=%llu, stream 0x%llx: "
		"keeps %llu%% of what it receives, hands on at most %llu pages",
		(unsigned long long)generation, (unsigned long long)soak_seed,
		(unsigned long long)stream, (unsigned long long)keep_pct,
		(unsigned long long)budget);
	return stream;
}

static u64 record_sum(const struct soak_record *r)
{
	const u64 *w = (const u64 *)r;
	u64 sum = 0;

	for (u64 i = 0; i < offsetof(struct soak_record, sum) / 8; i++)
		sum += w[i] * (i + 1);
	return sum;
}

void kho_soak_restore(void)
{
	phys_addr_t pa;
	u64 size;

	if (kho_retrieve_subtree("kho-soak", &pa, &size) == 0 && size == sizeof(rec))
		rec_in = kho_restore_pages(pa, 4);
}

void kho_soak_check_record(struct ktest_ctx *t)
{
	const struct soak_record *r = rec_in ? page_address(rec_in) : NULL;

	if (!r) {
		ktest_fail(t, "kho-soak: generation %llu: no soak record came with the handover",
			   (unsigned long long)kexec_generation());
		return;
	}
	if (r->magic != SOAK_MAGIC || r->sum != record_sum(r) || r->seed != soak_seed ||
	    r->generation + 1 != kexec_generation() || r->n > SOAK_HISTORY) {
		ktest_fail(t,
			   "kho-soak: generation %llu: the soak record is not the last "
			   "generation's (seed %llu, generation %llu)",
			   (unsigned long long)kexec_generation(), (unsigned long long)r->seed,
			   (unsigned long long)r->generation);
	} else {
		rec = *r;
		have_rec = true;
	}
	__free_pages(rec_in, 2);
	rec_in = NULL;
}

bool kho_soak_keep(const struct kho_test_held *h, u64 kept_pages, int nkept)
{
	bool blob = h->it.kind == KHO_TEST_BLOB;

	if (nkept >= KHO_TEST_MAX_ITEMS - SOAK_MAX_NEW || (blob && blobs_kept == SOAK_MAX_BLOBS) ||
	    soak_rand() % 100 >= keep_pct || kept_pages + kho_test_item_pages(&h->it) > budget)
		return false;
	blobs_kept += blob;
	return true;
}

/* The largest order up to order whose block fits in left pages; false if
 * not even one page does. */
static bool fit_order(u32 *order, u64 left)
{
	if (!left)
		return false;
	while ((1ULL << *order) > left)
		--*order;
	return true;
}

void kho_soak_fill(struct kho_test_held *set, int *n, int max)
{
	u64 used = 0, count[KHO_TEST_KINDS], total = 0;

	for (int i = 0; i < *n; i++)
		used += kho_test_item_pages(&set[i].it);
	count[KHO_TEST_FOLIO] = soak_rand() % (NEW_FOLIOS + 1);
	count[KHO_TEST_PAGES] = soak_rand() % (NEW_RUNS + 1);
	count[KHO_TEST_VMALLOC] = soak_rand() % (NEW_VMALLOCS + 1);
	count[KHO_TEST_SLAB] = soak_rand() % (NEW_OBJECTS + 1);
	count[KHO_TEST_BLOB] = soak_rand() % (NEW_BLOBS + 1);
	count[KHO_TEST_BLOB] = MIN(count[KHO_TEST_BLOB], (u64)(SOAK_MAX_BLOBS - blobs_kept));
	for (int k = 0; k < KHO_TEST_KINDS; k++)
		total += count[k];
	/* The kinds in a random order, so that they interleave in memory. */
	for (; total && *n < max; total--) {
		u64 r = soak_rand() % total, left = budget > used ? budget - used : 0, bytes;
		enum kho_test_kind k = 0;
		u32 param = 0;

		while (r >= count[k])
			r -= count[k++];
		count[k]--;
		switch (k) {
		case KHO_TEST_FOLIO: /* orders 0..MAX_ORDER, the small ones likelier */
			param = (u32)(soak_rand() % (1 + soak_rand() % (MAX_ORDER + 1)));
			if (!fit_order(&param, left))
				continue;
			bytes = PAGE_SIZE << param;
			break;
		case KHO_TEST_PAGES:
			param = (u32)(soak_rand() % 6);
			if (!fit_order(&param, left))
				continue;
			bytes = PAGE_SIZE << param;
			break;
		case KHO_TEST_BLOB: /* up to 4 pages, filled in part */
			param = (u32)(soak_rand() % 3);
			if (!fit_order(&param, left))
				continue;
			bytes = 1 + soak_rand() % (PAGE_SIZE << param);
			break;
		case KHO_TEST_VMALLOC: /* 1..256 pages, the last one in part */
			if (!left)
				continue;
			param = (u32)(1 + soak_rand() % MIN(left, 256ULL));
			bytes = (u64)(param - 1) * PAGE_SIZE + 1 + soak_rand() % PAGE_SIZE;
			break;
		default: /* a kmalloc object of 1..4096 bytes, the small ones likelier */
			bytes = 1 + soak_rand() % (8ULL << (soak_rand() % 10));
			break;
		}
		if (!kho_test_make(&set[*n], k, param, bytes)) {
			pr_warn("kho-soak: generation %llu: no memory for a new item; the set stops "
				"at %d items",
				(unsigned long long)kexec_generation(), *n);
			return;
		}
		used += kho_test_item_pages(&set[*n].it);
		++*n;
	}
}

/* A set's size by kind: items, pages (their own) and bytes (checked). */
struct soak_size {
	u64 items[KHO_TEST_KINDS], pages[KHO_TEST_KINDS], bytes[KHO_TEST_KINDS];
	u64 all_items, all_pages, all_bytes, objects;
};

static void size_of(const struct kho_test_held *set, int n, struct soak_size *s)
{
	memset(s, 0, sizeof(*s));
	for (int i = 0; i < n; i++) {
		const struct kho_test_item *it = &set[i].it;
		u64 pages = kho_test_item_pages(it);

		s->items[it->kind]++;
		s->pages[it->kind] += pages;
		s->bytes[it->kind] += it->bytes;
		s->all_items++;
		s->all_pages += pages;
		s->all_bytes += it->bytes;
		/* slab objects: a kmalloc'd item itself; a folio's struct
		 * folio (mm/folio.c); a vmalloc area's struct vm_area and
		 * page array (mm/vmalloc.c). */
		if (it->kind == KHO_TEST_SLAB || it->kind == KHO_TEST_FOLIO)
			s->objects += 1;
		else if (it->kind == KHO_TEST_VMALLOC)
			s->objects += 2;
	}
}

/* Objects handed out, but for the slab descriptors (mm/slab.c's cache
 * "slab"): one per slab, so they follow the slab pages, which are left
 * out of the equation. */
static void add_active(const struct kmem_cache_stats *st, void *arg)
{
	if (strcmp(st->name, "slab") != 0)
		*(u64 *)arg += st->active_objects;
}

static void summary(struct ktest_ctx *t);

void kho_soak_account(struct ktest_ctx *t, const struct kho_test_held *kept, int nkept,
		      int received, bool last)
{
	u64 gen = kexec_generation(), count[16], objects = 0, steady_pages, steady_objects;
	u64 waiting = kho_unclaimed_pages(), want_waiting = gen ? 2 : 0;
	struct buddy_stats st;
	struct soak_size s;

	size_of(kept, nkept, &s);
	buddy_stats(&st);
	memdesc_census(count);
	kmem_cache_for_each(add_active, &objects);
	steady_pages = count[MEMDESC_FOLIO] + count[MEMDESC_PAGES] - s.all_pages -
		       kho_linux_test_held_pages() - oldlog_held_pages(); /* the logs grow */
	steady_objects = objects - s.objects;
	if (!gen) { /* the cold boot: the baseline */
		rec = (struct soak_record){ .magic = SOAK_MAGIC,
					    .seed = soak_seed,
					    .start = arch_counter_read(),
					    .base_pages = steady_pages,
					    .base_objects = steady_objects,
					    .min = ~0ULL };
		have_rec = true;
	}
	if (!have_rec) {
		if (!t->fail)
			ktest_fail(t, "kho-soak: generation %llu has no soak record",
				   (unsigned long long)gen);
		return;
	}
	if (steady_pages != rec.base_pages)
		ktest_fail(
			t,
			"kho-soak: generation %llu %s %lld pages: steady %llu, generation 0 %llu",
			(unsigned long long)gen,
			steady_pages > rec.base_pages ? "leaked" : "lost track of",
			(long long)(steady_pages - rec.base_pages),
			(unsigned long long)steady_pages, (unsigned long long)rec.base_pages);
	if (steady_objects != rec.base_objects)
		ktest_fail(
			t,
			"kho-soak: generation %llu %s %lld slab objects: steady %llu, generation 0 %llu",
			(unsigned long long)gen,
			steady_objects > rec.base_objects ? "leaked" : "lost track of",
			(long long)(steady_objects - rec.base_objects),
			(unsigned long long)steady_objects, (unsigned long long)rec.base_objects);
	if (waiting != want_waiting)
		ktest_fail(
			t,
			"kho-soak: generation %llu: %llu preserved pages wait unrestored, not %llu",
			(unsigned long long)gen, (unsigned long long)waiting,
			(unsigned long long)want_waiting);
	if (t->fail) {
		rec.failures++;
		pr_info("kho-soak: generation %llu: FAILED: %s", (unsigned long long)gen, t->fail);
	} else if (gen) {
		pr_info("kho-soak: generation %llu: received %d items, kept %d (%llu pages), freed %d: "
			"all verified, no leak (steady %llu pages, %llu objects; %llu slab, %llu "
			"page-table pages; %llu of %llu free)",
			(unsigned long long)gen, received, nkept, (unsigned long long)s.all_pages,
			received - nkept, (unsigned long long)steady_pages,
			(unsigned long long)steady_objects, (unsigned long long)count[MEMDESC_SLAB],
			(unsigned long long)count[MEMDESC_PGTABLE],
			(unsigned long long)st.free_pages, (unsigned long long)st.managed_pages);
	} else {
		pr_info("kho-soak: generation 0: the baseline: steady %llu pages, %llu objects "
			"(%llu slab, %llu page-table pages; %llu of %llu free)",
			(unsigned long long)steady_pages, (unsigned long long)steady_objects,
			(unsigned long long)count[MEMDESC_SLAB],
			(unsigned long long)count[MEMDESC_PGTABLE],
			(unsigned long long)st.free_pages, (unsigned long long)st.managed_pages);
	}
	if (last)
		summary(t);
}

static void record_size(u64 gen, u64 pages)
{
	if (gen < SOAK_HISTORY) {
		rec.history[gen] = (u32)MIN(pages, 0xffffffffULL);
		rec.n = gen + 1;
	}
	rec.min = MIN(rec.min, pages);
	rec.max = MAX(rec.max, pages);
	rec.total += pages;
}

int kho_soak_preserve(const struct kho_test_held *set, int n)
{
	static const char *const kind_name[KHO_TEST_KINDS] = { "folio", "pages", "slab", "vmalloc",
							       "blob" };
	u64 gen = kexec_generation();
	struct buddy_stats st;
	struct soak_size s;
	struct page *pg;
	char line[400];
	int len = 0, err;

	if (!have_rec)
		return -ENOENT;
	size_of(set, n, &s);
	buddy_stats(&st);
	for (int k = 0; k < KHO_TEST_KINDS; k++)
		len += snprintf(line + len, sizeof(line) - (size_t)len, "%s%s %llu/%llup/%lluB",
				k ? ", " : "", kind_name[k], (unsigned long long)s.items[k],
				(unsigned long long)s.pages[k], (unsigned long long)s.bytes[k]);
	pr_info("kho-soak: generation %llu hands on %llu items, %llu pages, %llu bytes (%s); %llu of "
		"%llu pages free",
		(unsigned long long)gen, (unsigned long long)s.all_items,
		(unsigned long long)s.all_pages, (unsigned long long)s.all_bytes, line,
		(unsigned long long)st.free_pages, (unsigned long long)st.managed_pages);
	record_size(gen, s.all_pages);
	rec.generation = gen;
	rec.sum = record_sum(&rec);
	pg = alloc_pages(__GFP_ZERO, 2);
	if (!pg)
		return -ENOMEM;
	memcpy(page_address(pg), &rec, sizeof(rec));
	err = kho_preserve_pages(pg, 4);
	kho_remove_subtree("kho-soak");
	return err ? err : kho_add_subtree("kho-soak", page_address(pg), sizeof(rec));
}

/* Shell sort, for the median of up to SOAK_HISTORY values. */
static void sort_u32(u32 *v, u64 n)
{
	for (u64 gap = n / 2; gap; gap /= 2) {
		for (u64 i = gap; i < n; i++) {
			u32 x = v[i];
			u64 j = i;

			for (; j >= gap && v[j - gap] > x; j -= gap)
				v[j] = v[j - gap];
			v[j] = x;
		}
	}
}

/* The end of the chain: speed, the set's size over time, the verdict. */
static void summary(struct ktest_ctx *t)
{
	static u32 sorted[SOAK_HISTORY];
	u64 gens = kexec_generation(), ticks = arch_counter_read() - rec.start;
	u64 freq = arch_counter_freq(), us, step;
	char line[400];

	us = freq ? (ticks / freq) * 1000000 + (ticks % freq) * 1000000 / freq : 0;
	pr_info("kho-soak: %llu generations in %llu.%03llu s of guest time: %llu.%01llu generations "
		"per second",
		(unsigned long long)gens, (unsigned long long)(us / 1000000),
		(unsigned long long)(us / 1000 % 1000),
		(unsigned long long)(us ? gens * 1000000 / us : 0),
		(unsigned long long)(us ? gens * 10000000 / us % 10 : 0));
	memcpy(sorted, rec.history, rec.n * sizeof(*sorted));
	sort_u32(sorted, rec.n);
	pr_info("kho-soak: pages handed on per generation: min %llu, median %u, max %llu, mean %llu"
		"%s",
		(unsigned long long)rec.min, rec.n ? sorted[rec.n / 2] : 0,
		(unsigned long long)rec.max, (unsigned long long)(gens ? rec.total / gens : 0),
		gens > rec.n ? " (the median of the first generations only)" : "");
	/* The series: every step-th generation's, 20 to a line. */
	step = (rec.n + SOAK_SERIES - 1) / SOAK_SERIES;
	for (u64 g = 0; g < rec.n;) {
		u64 first = g;
		int len = 0;

		for (int k = 0; k < 20 && g < rec.n; k++, g += step)
			len += snprintf(line + len, sizeof(line) - (size_t)len, " %u",
					rec.history[g]);
		pr_info("kho-soak: pages handed on, generation %llu on, every %llu:%s",
			(unsigned long long)first, (unsigned long long)step, line);
	}
	if (!t->fail && !rec.failures)
		pr_info("kho-soak: chain of %llu generations (seed %llu): every generation verified, "
			"no leak",
			(unsigned long long)gens, (unsigned long long)soak_seed);
	else
		ktest_fail(t,
			   "kho-soak: %llu of the chain's %llu generations failed their check "
			   "(seed %llu)",
			   (unsigned long long)rec.failures, (unsigned long long)gens + 1,
			   (unsigned long long)soak_seed);
}

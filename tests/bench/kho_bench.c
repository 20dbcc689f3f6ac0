/*
 * kho_bench.c — what a handover costs: preserve, serialize, scan (the
 * incoming kernel's validation and reservation), mark, and restore, per
 * preserved object, per page and per GiB, for order-0 pages and for 2 MiB
 * folios. Both generations run in this process on fake RAM, as in the
 * two-kernel unit test; each figure is the median of RUNS runs, with the
 * min and max beside it. A benchmark: it prints figures and exits 0.
 *
 * Goals (issue 4): restore cost grows with the number of preserved folios,
 * not pages; at most 10 ns per preserved order-0 page. Linux's radix walk
 * is quoted at about 41 ns per preservation.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <libfdt.h>

#include "buddy.h"
#include "folio.h"
#include "host.h"
#include "kho.h"
#include "memblock.h"
#include "slab.h"
#include "vmalloc.h"

#define RAM_BASE 0x40000000ULL
#define RAM (GiB(1) + MiB(64))
#define PRESERVED (GiB(1) / 2)
#define RUNS 5

enum phase { PRESERVE, SERIALIZE, SCAN, MARK, RESTORE, PHASES };
static const char *const phase_name[PHASES] = { "preserve", "serialize", "scan+validate",
						"mark memmap", "restore" };

static double now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

static void boot(const void *boot_fdt, double *scan_ns, double *mark_ns)
{
	double t;

	memblock_reset();
	kho_reset();
	memblock_add(RAM_BASE, RAM);
	memblock_reserve(RAM_BASE, MiB(1));
	t = now_ns();
	if (boot_fdt && kho_scan(boot_fdt) < 0) {
		fprintf(stderr, "kho-bench: handover refused\n%s", host_log());
		exit(1);
	}
	if (scan_ns)
		*scan_ns = now_ns() - t;
	if (!kho_is_kho_boot() && kho_scratch_reserve(MiB(32)) < 0)
		exit(1);
	if (buddy_init())
		exit(1);
	t = now_ns();
	kho_mark_preserved();
	if (mark_ns)
		*mark_ns = now_ns() - t;
	slab_init();
	folio_init();
	vmalloc_init();
}

static const void *handover_fdt(const struct kho_handover *h)
{
	static u64 buf[4096 / 8];

	if (kho_handover_fdt(buf, sizeof(buf), h) < 0)
		abort();
	return buf;
}

/* One handover of n blocks of 2^order pages, as folios or as bare pages
 * (alloc_pages + kho_preserve_pages, restored with kho_restore_pages: no
 * descriptor to allocate); ns per phase. */
static void run(bool folios, unsigned order, u64 n, double ns[PHASES])
{
	phys_addr_t *pa = malloc(n * sizeof(*pa));
	struct kho_handover h;
	double t;

	boot(NULL, NULL, NULL);
	for (u64 i = 0; i < n; i++) {
		struct folio *f = folios ? folio_alloc(GFP_KERNEL, order) : NULL;
		struct page *p = folios ? NULL : alloc_pages(GFP_KERNEL, order);

		if (!f && !p)
			exit(1);
		pa[i] = f ? folio_pfn(f) << PAGE_SHIFT : page_to_phys(p);
	}
	t = now_ns();
	for (u64 i = 0; i < n; i++) {
		int err =
			folios ? kho_preserve_folio(virt_to_folio(phys_to_virt(pa[i])))
			       : kho_preserve_pages(pfn_to_page(pa[i] >> PAGE_SHIFT), 1UL << order);

		if (err) {
			fprintf(stderr, "kho-bench: preserve failed (%d)\n%s", err, host_log());
			exit(1);
		}
	}
	ns[PRESERVE] = now_ns() - t;
	t = now_ns();
	if (kho_serialize(&h) < 0) {
		fprintf(stderr, "kho-bench: serialize failed\n%s", host_log());
		exit(1);
	}
	ns[SERIALIZE] = now_ns() - t;

	boot(handover_fdt(&h), &ns[SCAN], &ns[MARK]);
	t = now_ns();
	for (u64 i = 0; i < n; i++) {
		if (folios ? !kho_restore_folio(pa[i]) : !kho_restore_pages(pa[i], 1UL << order))
			exit(1);
	}
	ns[RESTORE] = now_ns() - t;
	free(pa);
}

static int cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static void report(bool folios, unsigned order)
{
	u64 pages = PRESERVED / PAGE_SIZE, n = pages >> order;
	double all[PHASES][RUNS], ns[PHASES];

	for (int r = 0; r < RUNS; r++) {
		run(folios, order, n, ns);
		for (int p = 0; p < PHASES; p++)
			all[p][r] = ns[p];
	}
	printf("\n%llu %s of order %u (%llu MiB, %llu pages), median of %d runs [min..max]\n",
	       (unsigned long long)n, folios ? "folios" : "page blocks", order,
	       (unsigned long long)(PRESERVED >> 20), (unsigned long long)pages, RUNS);
	printf("  %-14s %12s %12s %12s %14s\n", "phase", "ns/object", "ns/page", "ms/GiB",
	       "total ms");
	for (int p = 0; p < PHASES; p++) {
		qsort(all[p], RUNS, sizeof(double), cmp);
		double med = all[p][RUNS / 2];
		printf("  %-14s %12.2f %12.3f %12.3f %8.2f [%.2f..%.2f]\n", phase_name[p], med / n,
		       med / pages, med / 1e6 * (double)GiB(1) / PRESERVED, med / 1e6,
		       all[p][0] / 1e6, all[p][RUNS - 1] / 1e6);
		ns[p] = med;
	}
	if (order == 0)
		printf("  goal: restore at most 10 ns per preserved order-0 page: %s (%.2f ns)%s\n",
		       ns[RESTORE] / pages <= 10 ? "MET" : "NOT MET", ns[RESTORE] / pages,
		       folios ? " -- a folio also allocates its descriptor" : "");
	else
		printf("  restore per page at order %u: %.3f ns (grows with folios, not pages)\n",
		       order, ns[RESTORE] / pages);
}

int main(void)
{
	host_ram(RAM_BASE, RAM);
	host_console_register();
	printf("kho-bench: %llu MiB preserved per handover; both generations in one process\n",
	       (unsigned long long)(PRESERVED >> 20));
	report(false, 0);
	report(true, 0);
	report(true, 9);
	return 0;
}

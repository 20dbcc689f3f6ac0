/*
 * kho_insns.c — what the incoming kernel's KHO costs in instructions, per
 * preserved block: the scan (validation), the marking of the memmap, and
 * the restore calls, exact and the same on every run. Run under callgrind
 * by tests/bench/kho-insns (`make bench-kho-insns`), which reads the
 * counts: each phase is bracketed by CALLGRIND_ZERO_STATS and a dump named
 * "<case>/<phase>/<blocks>", so a dump's total is that phase alone. Run
 * without callgrind, the brackets do nothing and it only checks that
 * every case restores.
 *
 * Goals (issue 13): scan + mark + restore at most 60 instructions per
 * preserved order-0 block, whatever the number of RAM regions the
 * firmware's memory map has; kho_restore_folio at most 300 instructions
 * plus one per page, at any order.
 *
 * The same kho/ and mm/ code as tests/bench/kho_bench.c, built as the
 * kernel is built (-O2, general registers only: no SSE stores the guest
 * could not make). Fake RAM is a plain anonymous mapping here, not
 * fake_arch.c's host_ram: that one reserves a TiB of vmalloc space, more
 * than valgrind can map, and no case here vmallocs.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <valgrind/callgrind.h>

#include "buddy.h"
#include "folio.h"
#include "host.h"
#include "kho.h"
#include "memblock.h"
#include "slab.h"
#include "vmalloc.h"
#include "arch/mmu.h"

#define RAM_BASE 0x40000000ULL
#define RAM (GiB(1) + MiB(64))
#define HOLE (64ULL << 10) /* between two regions of a many-region map */

static int nr_regions = 1;

/* RAM as nr_regions regions of equal size with a hole after each. */
static void add_ram(void)
{
	u64 each = ALIGN_DOWN(RAM / nr_regions, MiB(2));

	if (nr_regions == 1) {
		memblock_add(RAM_BASE, RAM);
		return;
	}
	for (int i = 0; i < nr_regions; i++)
		memblock_add(RAM_BASE + i * each, each - HOLE);
}

static void boot(const void *boot_fdt, const char *name, u64 blocks)
{
	char dump[128];

	memblock_reset();
	kho_reset();
	add_ram();
	memblock_reserve(RAM_BASE, MiB(1));
	if (boot_fdt) {
		CALLGRIND_ZERO_STATS;
		if (kho_scan(boot_fdt) < 0) {
			fprintf(stderr, "kho-insns: %s: handover refused\n%s", name, host_log());
			exit(1);
		}
		snprintf(dump, sizeof(dump), "%s/scan/%llu", name, (unsigned long long)blocks);
		CALLGRIND_DUMP_STATS_AT(dump);
	}
	if (!kho_is_kho_boot() && kho_scratch_reserve(MiB(8)) < 0)
		exit(1);
	if (buddy_init())
		exit(1);
	if (boot_fdt) {
		CALLGRIND_ZERO_STATS;
		kho_mark_preserved();
		snprintf(dump, sizeof(dump), "%s/mark/%llu", name, (unsigned long long)blocks);
		CALLGRIND_DUMP_STATS_AT(dump);
	}
	slab_init();
	folio_init();
	vmalloc_init();
}

enum kind { PAGES, SPARSE_PAGES, FOLIOS };

/* One handover of n blocks of 2^order pages: bare pages (adjacent, or
 * every other page), or folios; the next generation scans, marks and
 * restores them all. */
static void run(const char *name, enum kind kind, unsigned order, u64 n)
{
	u64 stride = kind == SPARSE_PAGES ? 2 : 1;
	static u64 boot_fdt[4096 / 8]; /* the next boot's, naming the handover */
	phys_addr_t *pa = malloc(n * stride * sizeof(*pa));
	struct kho_handover h;
	char dump[128];
	bool failed = false;

	boot(NULL, name, 0);
	for (u64 i = 0; i < n * stride; i++) {
		struct folio *f = kind == FOLIOS ? folio_alloc(GFP_KERNEL, order) : NULL;
		struct page *p = kind == FOLIOS ? NULL : alloc_pages(GFP_KERNEL, order);

		if (!f && !p) {
			fprintf(stderr, "kho-insns: %s: out of memory\n", name);
			exit(1);
		}
		pa[i] = f ? folio_pfn(f) << PAGE_SHIFT : page_to_phys(p);
	}
	for (u64 i = 0; i < n; i++) {
		phys_addr_t p = pa[i * stride];
		int err = kind == FOLIOS
				  ? kho_preserve_folio(virt_to_folio(phys_to_virt(p)))
				  : kho_preserve_pages(pfn_to_page(p >> PAGE_SHIFT), 1UL << order);

		if (err) {
			fprintf(stderr, "kho-insns: %s: preserve failed (%d)\n%s", name, err,
				host_log());
			exit(1);
		}
	}
	if (kho_serialize(&h) < 0 || kho_handover_fdt(boot_fdt, sizeof(boot_fdt), &h) < 0)
		exit(1);

	boot(boot_fdt, name, n);
	/* The loops are as tight as a caller's can be: what they add to
	 * each call (about 5 instructions) is counted with it. */
	CALLGRIND_ZERO_STATS;
	if (kind == FOLIOS) {
		for (u64 i = 0; i < n; i++)
			failed |= !kho_restore_folio(pa[i]);
	} else {
		for (u64 i = 0; i < n * stride; i += stride)
			failed |= !kho_restore_pages(pa[i], 1UL << order);
	}
	snprintf(dump, sizeof(dump), "%s/restore/%llu", name, (unsigned long long)n);
	CALLGRIND_DUMP_STATS_AT(dump);
	if (failed) {
		fprintf(stderr, "kho-insns: %s: a restore failed\n%s", name, host_log());
		exit(1);
	}
	free(pa);
}

static void fake_ram(void)
{
	void *mem = mmap(NULL, RAM, PROT_READ | PROT_WRITE,
			 MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1, 0);

	if (mem == MAP_FAILED) {
		perror("kho-insns: mmap of the RAM arena");
		exit(1);
	}
	host_page_offset = (uintptr_t)mem - RAM_BASE;
	host_vmalloc_start = 0; /* nothing here vmallocs */
}

int main(int argc, char **argv)
{
	/* 256 MiB of order-0 blocks, or as many as the argument says (up to
	 * 65536: the sparse case takes twice as many pages). */
	u64 n = argc > 1 ? strtoull(argv[1], NULL, 0) : 1 << 16;

	if (!n || n > 1 << 16) {
		fprintf(stderr, "kho-insns: 1 to 65536 blocks\n");
		return 1;
	}
	fake_ram();
	host_console_register();
	for (int regions = 1; regions <= 100; regions += 99) {
		char name[64];

		nr_regions = regions;
		snprintf(name, sizeof(name), "pages-r%d", regions);
		run(name, PAGES, 0, n);
		snprintf(name, sizeof(name), "sparse-pages-r%d", regions);
		run(name, SPARSE_PAGES, 0, n);
		snprintf(name, sizeof(name), "folios-o0-r%d", regions);
		run(name, FOLIOS, 0, n);
	}
	nr_regions = 1;
	run("folios-o9", FOLIOS, 9, 128);
	run("folios-o10", FOLIOS, 10, 64);
	printf("kho-insns: every case restored\n");
	return 0;
}

/*
 * store_watch.c — a QEMU TCG plugin that records which guest physical
 * memory the guest stores to inside a window of its execution, for the
 * handover benchmark to intersect with the preserved payload's pages
 * (issue 13: zero bytes of preserved payload copied, counted by the run
 * rather than asserted by reading the code); checked by
 * tests/bench/store-watch-check (make test-stores).
 *
 *   -plugin store_watch.so,start=0xVADDR,end=0xVADDR,out=FILE[,pages=on]
 *
 * The window opens at the first execution of the instruction at the guest
 * virtual address start= (before it runs: its own stores count) and closes
 * at the first execution of end= after that (before it runs: its stores
 * do not). The addresses are the kernel's link addresses, which every
 * generation of a kexec chain runs at, so a window may span a kexec. With
 * no end=, or an end never reached, the window stays open to the end of
 * the run. Inside the window every store to RAM adds its size to the
 * count of bytes stored to its 4 KiB physical page (a store that crosses
 * a page is split between the two). A page's count is non-zero exactly
 * when it was stored to: the counts are the bitmap of pages and the bytes
 * per page at once, kept in blocks of 512 pages (2 MiB of guest memory)
 * allocated at the first store into them, for guest physical addresses
 * below 1 TiB. Stores to I/O (qemu_plugin_hwaddr_is_io) are only counted.
 *
 * At exit it writes FILE:
 *
 *   store-watch: window opened at insn N closed at insn M
 *                (or "... opened at insn N never closed",
 *                 or "store-watch: window never opened")
 *   0xSTART 0xEND BYTES      one line per run of consecutive stored-to
 *                            pages, by address: END exclusive, BYTES the
 *                            bytes stored into the run (with pages=on, one
 *                            line per page: a run's bytes cannot say which
 *                            of its pages they went to)
 *   store-watch: total BYTES bytes in PAGES pages
 *   store-watch: N stores to I/O not recorded
 *   store-watch: N bytes above 1 TiB not recorded     (only if any)
 *
 * N and M count the instructions executed before start's and end's
 * execution, counted as insn_count.c counts (an inline add per
 * instruction): exact with one vCPU, as Baton runs. The counts of bytes
 * are atomic, so several vCPUs store safely into them.
 *
 * Assumes QEMU 7.2's plugin API (version 1, declared in qemu_plugin.h)
 * and its physical addresses: qemu_plugin_hwaddr_phys_addr gives the RAM
 * block's offset plus where the block is mapped, right for RAM that is
 * one block mapped once (arm64 virt's RAM at 0x40000000, x86-64's below
 * 4 GiB); q35's RAM above 4 GiB is an alias of the same block, and its
 * stores are reported at their offset in the block instead.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define PAGE_SHIFT 12
#define PAGE_SIZE (1ULL << PAGE_SHIFT)
#define BLOCK_PAGES 512 /* 2 MiB */
#define PHYS_LIMIT (1ULL << 40)
#define NBLOCKS (PHYS_LIMIT / PAGE_SIZE / BLOCK_PAGES)

/* Bytes stored per page, one block of counts per 2 MiB, NULL until a
 * store lands in it. */
struct block {
	uint64_t bytes[BLOCK_PAGES];
};
static struct block *blocks[NBLOCKS];

enum window { BEFORE, OPEN, CLOSED };
static enum window window;
static uint64_t opened_at, closed_at; /* instructions before each */

static uint64_t count;     /* instructions executed so far */
static uint64_t io_stores; /* stores to I/O, not recorded */
static uint64_t beyond;    /* bytes stored above PHYS_LIMIT */

static uint64_t start_va, end_va;
static bool have_start, have_end;
static bool each_page; /* pages=on: one line per page, not per run */
static FILE *out;
static const char *out_name;

/* What a marked instruction is: the window's start, its end, or both. */
#define MARK_START ((void *)1)
#define MARK_END ((void *)2)
#define MARK_BOTH ((void *)3)

static void at_mark(unsigned int vcpu, void *udata)
{
	uintptr_t what = (uintptr_t)udata;

	(void)vcpu;
	/* The end closes only a window opened before this execution. */
	if ((what & (uintptr_t)MARK_END) && window == OPEN) {
		closed_at = count;
		__atomic_store_n(&window, CLOSED, __ATOMIC_RELAXED);
	} else if ((what & (uintptr_t)MARK_START) && window == BEFORE) {
		opened_at = count;
		__atomic_store_n(&window, OPEN, __ATOMIC_RELAXED);
	}
}

static void record(uint64_t phys, uint64_t size)
{
	uint64_t page = phys >> PAGE_SHIFT;
	struct block *b, *fresh;

	if (phys >= PHYS_LIMIT) {
		__atomic_fetch_add(&beyond, size, __ATOMIC_RELAXED);
		return;
	}
	b = __atomic_load_n(&blocks[page / BLOCK_PAGES], __ATOMIC_ACQUIRE);
	if (!b) {
		fresh = calloc(1, sizeof(*fresh));
		if (!fresh) {
			fprintf(stderr, "store_watch: out of memory for the page counts\n");
			abort();
		}
		b = NULL;
		if (__atomic_compare_exchange_n(&blocks[page / BLOCK_PAGES], &b, fresh, false,
						__ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE))
			b = fresh;
		else
			free(fresh); /* another vCPU's came first: b is it */
	}
	__atomic_fetch_add(&b->bytes[page % BLOCK_PAGES], size, __ATOMIC_RELAXED);
}

static void stored(unsigned int vcpu, qemu_plugin_meminfo_t info, uint64_t vaddr, void *udata)
{
	struct qemu_plugin_hwaddr *hw;
	uint64_t phys, size, first;

	(void)vcpu;
	(void)udata;
	if (__atomic_load_n(&window, __ATOMIC_RELAXED) != OPEN || !qemu_plugin_mem_is_store(info))
		return;
	hw = qemu_plugin_get_hwaddr(info, vaddr);
	if (!hw || qemu_plugin_hwaddr_is_io(hw)) {
		__atomic_fetch_add(&io_stores, 1, __ATOMIC_RELAXED);
		return;
	}
	phys = qemu_plugin_hwaddr_phys_addr(hw);
	size = 1ULL << qemu_plugin_mem_size_shift(info);
	first = PAGE_SIZE - (phys & (PAGE_SIZE - 1));
	if (first >= size) {
		record(phys, size);
		return;
	}
	/* Across a page: the next virtual page need not be the next
	 * physical one, so it is looked up on its own (the access has just
	 * brought both into QEMU's TLB). */
	record(phys, first);
	hw = qemu_plugin_get_hwaddr(info, vaddr + first);
	if (hw && !qemu_plugin_hwaddr_is_io(hw))
		record(qemu_plugin_hwaddr_phys_addr(hw), size - first);
	else
		__atomic_fetch_add(&io_stores, 1, __ATOMIC_RELAXED);
}

/* What the instruction at va marks: MARK_START, MARK_END, both or none. */
static void *mark_of(uint64_t va)
{
	uintptr_t what = 0;

	if (have_start && va == start_va)
		what |= (uintptr_t)MARK_START;
	if (have_end && va == end_va)
		what |= (uintptr_t)MARK_END;
	return (void *)what;
}

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		void *what = mark_of(qemu_plugin_insn_vaddr(insn));

		/* Before the add: a mark sees the instructions before it. */
		if (what)
			qemu_plugin_register_vcpu_insn_exec_cb(insn, at_mark,
							       QEMU_PLUGIN_CB_NO_REGS, what);
		qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &count,
							   1);
		qemu_plugin_register_vcpu_mem_cb(insn, stored, QEMU_PLUGIN_CB_NO_REGS,
						 QEMU_PLUGIN_MEM_W, NULL);
	}
}

static uint64_t page_bytes(uint64_t page)
{
	struct block *b = blocks[page / BLOCK_PAGES];

	return b ? b->bytes[page % BLOCK_PAGES] : 0;
}

static void report(qemu_plugin_id_t id, void *udata)
{
	uint64_t total = 0, pages = 0, run_start = 0, run_bytes = 0;
	bool in_run = false;

	(void)id;
	(void)udata;
	if (window == BEFORE)
		fprintf(out, "store-watch: window never opened\n");
	else if (window == OPEN)
		fprintf(out, "store-watch: window opened at insn %" PRIu64 " never closed\n",
			opened_at);
	else
		fprintf(out,
			"store-watch: window opened at insn %" PRIu64 " closed at insn %" PRIu64
			"\n",
			opened_at, closed_at);
	/* One past the last page, so that a run at the top ends too. */
	for (uint64_t page = 0; page <= PHYS_LIMIT / PAGE_SIZE; page++) {
		uint64_t bytes;

		if (page % BLOCK_PAGES == 0 && !in_run && page < PHYS_LIMIT / PAGE_SIZE &&
		    !blocks[page / BLOCK_PAGES]) {
			page += BLOCK_PAGES - 1; /* nothing stored in this block */
			continue;
		}
		bytes = page < PHYS_LIMIT / PAGE_SIZE ? page_bytes(page) : 0;
		if (bytes && each_page) {
			fprintf(out, "0x%" PRIx64 " 0x%" PRIx64 " %" PRIu64 "\n",
				page << PAGE_SHIFT, (page + 1) << PAGE_SHIFT, bytes);
			total += bytes;
			pages++;
			continue;
		}
		if (bytes && !in_run) {
			in_run = true;
			run_start = page;
			run_bytes = 0;
		} else if (!bytes && in_run) {
			in_run = false;
			fprintf(out, "0x%" PRIx64 " 0x%" PRIx64 " %" PRIu64 "\n",
				run_start << PAGE_SHIFT, page << PAGE_SHIFT, run_bytes);
		}
		if (bytes) {
			run_bytes += bytes;
			total += bytes;
			pages++;
		}
	}
	fprintf(out, "store-watch: total %" PRIu64 " bytes in %" PRIu64 " pages\n", total, pages);
	fprintf(out, "store-watch: %" PRIu64 " stores to I/O not recorded\n", io_stores);
	if (beyond)
		fprintf(out, "store-watch: %" PRIu64 " bytes above 1 TiB not recorded\n", beyond);
	if (fclose(out) != 0)
		fprintf(stderr, "store_watch: writing %s: %s\n", out_name, strerror(errno));
	out = NULL;
}

/* name=0xADDR into *va; false if it is no number or given twice. */
static bool parse_addr(const char *arg, const char *value, uint64_t *va, bool *have)
{
	char *rest;

	if (*have) {
		fprintf(stderr, "store_watch: '%s' given twice\n", arg);
		return false;
	}
	errno = 0;
	*va = strtoull(value, &rest, 0);
	if (rest == value || *rest || errno) {
		fprintf(stderr, "store_watch: '%s' is not name=address\n", arg);
		return false;
	}
	*have = true;
	return true;
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
					   char **argv)
{
	if (!info->system_emulation) {
		fprintf(stderr, "store_watch: physical addresses need system emulation\n");
		return -1;
	}
	for (int i = 0; i < argc; i++) {
		const char *arg = argv[i];

		if (strncmp(arg, "start=", 6) == 0) {
			if (!parse_addr(arg, arg + 6, &start_va, &have_start))
				return -1;
		} else if (strncmp(arg, "end=", 4) == 0) {
			if (!parse_addr(arg, arg + 4, &end_va, &have_end))
				return -1;
		} else if (strcmp(arg, "pages=on") == 0) {
			each_page = true;
		} else if (strncmp(arg, "out=", 4) == 0) {
			if (out_name || !arg[4]) {
				fprintf(stderr, "store_watch: '%s': out= names one file\n", arg);
				return -1;
			}
			out_name = arg + 4; /* argv lives as long as the plugin */
		} else {
			fprintf(stderr,
				"store_watch: unknown argument '%s' (start=, end=, out=, pages=on)\n",
				arg);
			return -1;
		}
	}
	if (!have_start || !out_name) {
		fprintf(stderr, "store_watch: needs start=0xVADDR and out=FILE (end=0xVADDR "
				"optional)\n");
		return -1;
	}
	/* Opened now, so that a file that cannot be written stops the run
	 * before it starts rather than losing its figures at the end. */
	out = fopen(out_name, "w");
	if (!out) {
		fprintf(stderr, "store_watch: cannot write %s: %s\n", out_name, strerror(errno));
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
	qemu_plugin_register_atexit_cb(id, report, NULL);
	return 0;
}

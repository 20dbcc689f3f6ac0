/*
 * insn_count.c — a QEMU TCG plugin that counts the guest instructions a
 * run executes, for tests/bench/insns (make bench-insns, make test-insns).
 *
 *   -plugin insn_count.so,mark=0xADDR,start=0xADDR,end=0xADDR -d plugin
 *
 * Every instruction adds one to a counter as it executes (an inline add
 * per instruction, not per block: a block that stops early, at an I/O
 * access under -icount, counts what ran). mark= (any number) records the
 * count at every execution of the instruction at that guest virtual
 * address, before it runs; start= and end= count what runs from the first
 * execution of start to the first of end after it. At exit it writes, with
 * -d plugin (to stderr, or -D FILE):
 *
 *   insn-count: total N
 *   insn-count: start 0xS end 0xE: N          ("not reached" if never)
 *   insn-count: mark 0xA hits H: c1 c2 ...    (16 counts a line)
 *
 * One counter for all vCPUs: exact with -icount (one vCPU thread) or one
 * vCPU. The API declarations are the project's own (qemu_plugin.h).
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "qemu_plugin.h"

QEMU_PLUGIN_EXPORT int qemu_plugin_version = QEMU_PLUGIN_VERSION;

#define MAX_MARKS 32
#define PER_LINE 16

struct mark {
	uint64_t addr;
	uint64_t *hits; /* the count at each execution */
	size_t n, cap;
	bool listed; /* given as mark=: its hits are written out */
};

static uint64_t count;
static struct mark marks[MAX_MARKS];
static size_t nmarks;
static struct mark *start, *end;

static void hit(unsigned int vcpu, void *udata)
{
	struct mark *m = udata;

	(void)vcpu;
	if (m->n == m->cap) {
		size_t cap = m->cap ? 2 * m->cap : 64;
		uint64_t *p = realloc(m->hits, cap * sizeof(*p));

		if (!p)
			return; /* the hit is lost; the count of hits says so */
		m->hits = p;
		m->cap = cap;
	}
	m->hits[m->n++] = count;
}

static void translated(qemu_plugin_id_t id, struct qemu_plugin_tb *tb)
{
	size_t n = qemu_plugin_tb_n_insns(tb);

	(void)id;
	for (size_t i = 0; i < n; i++) {
		struct qemu_plugin_insn *insn = qemu_plugin_tb_get_insn(tb, i);
		uint64_t va = qemu_plugin_insn_vaddr(insn);

		/* The callback is placed before the add, so a hit sees the
		 * instructions before this one. */
		for (size_t m = 0; m < nmarks; m++)
			if (marks[m].addr == va)
				qemu_plugin_register_vcpu_insn_exec_cb(insn, hit,
								       QEMU_PLUGIN_CB_NO_REGS,
								       &marks[m]);
		qemu_plugin_register_vcpu_insn_exec_inline(insn, QEMU_PLUGIN_INLINE_ADD_U64, &count,
							   1);
	}
}

static void report(qemu_plugin_id_t id, void *udata)
{
	char line[64 + PER_LINE * 24];
	int len;

	(void)id;
	(void)udata;
	snprintf(line, sizeof(line), "insn-count: total %" PRIu64 "\n", count);
	qemu_plugin_outs(line);
	if (start && end) {
		uint64_t from = start->n ? start->hits[0] : 0, to = 0;
		bool reached = false;

		for (size_t i = 0; start->n && i < end->n && !reached; i++)
			if (end->hits[i] >= from) {
				to = end->hits[i];
				reached = true;
			}
		if (reached)
			snprintf(line, sizeof(line),
				 "insn-count: start 0x%" PRIx64 " end 0x%" PRIx64 ": %" PRIu64 "\n",
				 start->addr, end->addr, to - from);
		else
			snprintf(line, sizeof(line),
				 "insn-count: start 0x%" PRIx64 " end 0x%" PRIx64 ": not reached\n",
				 start->addr, end->addr);
		qemu_plugin_outs(line);
	}
	for (size_t m = 0; m < nmarks; m++) {
		if (!marks[m].listed)
			continue;
		len = snprintf(line, sizeof(line),
			       "insn-count: mark 0x%" PRIx64 " hits %zu:", marks[m].addr,
			       marks[m].n);
		for (size_t i = 0; i < marks[m].n; i++) {
			len += snprintf(line + len, sizeof(line) - len, " %" PRIu64,
					marks[m].hits[i]);
			if ((i + 1) % PER_LINE == 0 && i + 1 < marks[m].n) {
				snprintf(line + len, sizeof(line) - len, "\n");
				qemu_plugin_outs(line);
				len = snprintf(line, sizeof(line),
					       "insn-count: mark 0x%" PRIx64 " more:",
					       marks[m].addr);
			}
		}
		snprintf(line + len, sizeof(line) - len, "\n");
		qemu_plugin_outs(line);
	}
}

/* A mark for addr, shared when the address is given twice. */
static struct mark *add_mark(uint64_t addr)
{
	for (size_t m = 0; m < nmarks; m++)
		if (marks[m].addr == addr)
			return &marks[m];
	if (nmarks == MAX_MARKS)
		return NULL;
	marks[nmarks].addr = addr;
	return &marks[nmarks++];
}

QEMU_PLUGIN_EXPORT int qemu_plugin_install(qemu_plugin_id_t id, const qemu_info_t *info, int argc,
					   char **argv)
{
	(void)info;
	for (int i = 0; i < argc; i++) {
		char *eq = strchr(argv[i], '='), *rest;
		uint64_t addr = eq ? strtoull(eq + 1, &rest, 0) : 0;
		struct mark *m;

		if (!eq || rest == eq + 1 || *rest) {
			fprintf(stderr, "insn_count: '%s' is not name=address\n", argv[i]);
			return -1;
		}
		m = add_mark(addr);
		if (!m) {
			fprintf(stderr, "insn_count: more than %d addresses\n", MAX_MARKS);
			return -1;
		}
		if (strncmp(argv[i], "start=", 6) == 0) {
			start = m;
		} else if (strncmp(argv[i], "end=", 4) == 0) {
			end = m;
		} else if (strncmp(argv[i], "mark=", 5) == 0) {
			m->listed = true;
		} else {
			fprintf(stderr, "insn_count: unknown argument '%s' (mark=, start=, end=)\n",
				argv[i]);
			return -1;
		}
	}
	if (!start != !end) {
		fprintf(stderr, "insn_count: start= and end= go together\n");
		return -1;
	}
	qemu_plugin_register_vcpu_tb_trans_cb(id, translated);
	qemu_plugin_register_atexit_cb(id, report, NULL);
	return 0;
}

/*
 * shell_mem.c — the shell's `mem` command: memory as each allocator sees
 * it, through their own report functions (the headers of mm/):
 * memblock's map of the boot (RAM and what the boot reserved), the page
 * allocator's free pages by order, the memmap's pages by type, every slab
 * cache in use, and vmalloc. Reads only; called from kernel/shell.c.
 */
#include "shell.h"
#include "buddy.h"
#include "console.h"
#include "format.h"
#include "memblock.h"
#include "page.h"
#include "slab.h"
#include "vmalloc.h"

#define SHOW_RESERVED_MAX 24 /* reserved ranges listed; the rest are counted */

static unsigned long long kib(u64 bytes)
{
	return (unsigned long long)(bytes >> 10);
}

static void show_memblock(void)
{
	const struct memblock_list *m = &memblock.memory, *r = &memblock.reserved;

	console_printf("memblock (the boot's map): %llu KiB RAM in %d range%s, %llu KiB reserved "
		       "in %d\n",
		       kib(memblock_memory_size()), m->cnt, m->cnt == 1 ? "" : "s",
		       kib(memblock_reserved_size()), r->cnt);
	for (int i = 0; i < m->cnt; i++)
		console_printf("  ram      0x%016llx-0x%016llx %9llu KiB\n",
			       (unsigned long long)m->r[i].base,
			       (unsigned long long)(m->r[i].base + m->r[i].size - 1),
			       kib(m->r[i].size));
	for (int i = 0; i < r->cnt && i < SHOW_RESERVED_MAX; i++)
		console_printf("  reserved 0x%016llx-0x%016llx %9llu KiB\n",
			       (unsigned long long)r->r[i].base,
			       (unsigned long long)(r->r[i].base + r->r[i].size - 1),
			       kib(r->r[i].size));
	if (r->cnt > SHOW_RESERVED_MAX)
		console_printf("  ... and %d more reserved ranges\n", r->cnt - SHOW_RESERVED_MAX);
	if (memblock.nr_extra)
		console_printf(
			"  and %llu ranges of preserved memory (KHO) held out of the allocator\n",
			(unsigned long long)memblock.nr_extra);
}

static void show_buddy(void)
{
	struct buddy_stats st;
	char line[200];
	int n = 0;

	buddy_stats(&st);
	for (int k = 0; k <= MAX_ORDER && n < (int)sizeof(line) - 24; k++)
		n += snprintf(line + n, sizeof(line) - (size_t)n, " %d:%llu", k,
			      (unsigned long long)st.nr_free[k]);
	console_printf("buddy: %llu of %llu pages free (%llu of %llu MiB), %llu of them in the "
		       "per-CPU cache\n",
		       (unsigned long long)st.free_pages, (unsigned long long)st.managed_pages,
		       (unsigned long long)(st.free_pages >> (20 - PAGE_SHIFT)),
		       (unsigned long long)(st.managed_pages >> (20 - PAGE_SHIFT)),
		       (unsigned long long)st.pcp_pages);
	console_printf("  free blocks by order (order:count):%s\n", line);
}

static void show_memmap(void)
{
	static const char *const names[] = {
		[MEMDESC_RESERVED] = "reserved",     [MEMDESC_FREE] = "free",
		[MEMDESC_FREE_TAIL] = "free (tail)", [MEMDESC_PAGES] = "pages",
		[MEMDESC_FOLIO] = "folio",           [MEMDESC_SLAB] = "slab",
		[MEMDESC_PGTABLE] = "page table",    [MEMDESC_PRESERVED] = "preserved",
	};
	u64 count[16];
	char line[200];
	int n = 0;

	memdesc_census(count);
	for (unsigned t = 0; t < 16 && n < (int)sizeof(line) - 32; t++) {
		if (!count[t])
			continue;
		if (t < ARRAY_SIZE(names) && names[t])
			n += snprintf(line + n, sizeof(line) - (size_t)n, " %s %llu,", names[t],
				      (unsigned long long)count[t]);
		else
			n += snprintf(line + n, sizeof(line) - (size_t)n, " type %u %llu,", t,
				      (unsigned long long)count[t]);
	}
	if (n)
		line[n - 1] = 0; /* the last comma */
	console_printf("memmap (one word a page), pages by type:%s\n", line);
}

struct slab_totals {
	u64 caches, active, total, pages;
};

static void show_cache(const struct kmem_cache_stats *st, void *arg)
{
	struct slab_totals *t = arg;
	u64 pages = st->slabs << st->slab_order;

	if (!st->slabs)
		return;
	t->caches++;
	t->active += st->active_objects;
	t->total += st->total_objects;
	t->pages += pages;
	console_printf("  %-18s %6u bytes %8llu of %8llu objects %6llu slabs %6llu pages\n",
		       st->name, st->object_size, (unsigned long long)st->active_objects,
		       (unsigned long long)st->total_objects, (unsigned long long)st->slabs,
		       (unsigned long long)pages);
}

static void show_slab(void)
{
	struct slab_totals t = { 0 };

	console_printf("slab: caches with slabs (object size, objects in use of all, slabs, "
		       "pages):\n");
	kmem_cache_for_each(show_cache, &t);
	console_printf("  %llu caches, %llu of %llu objects in use, %llu pages\n",
		       (unsigned long long)t.caches, (unsigned long long)t.active,
		       (unsigned long long)t.total, (unsigned long long)t.pages);
}

void shell_mem_show(void)
{
	struct vmalloc_stats vs;

	show_memblock();
	show_buddy();
	show_memmap();
	show_slab();
	vmalloc_stats(&vs);
	console_printf("vmalloc: %llu areas, %llu pages mapped\n", (unsigned long long)vs.areas,
		       (unsigned long long)vs.pages);
}

/*
 * show.c — KHO's state in words, for people: the serial shell's `kho`
 * command (kernel/shell.c) calls kho_show. It reads both sides' state and
 * changes nothing.
 *
 * What it prints: whether this boot took a handover (its root FDT, ABI
 * version, how many blocks it preserved and how many wait to be restored,
 * its subtrees), what this generation has preserved so far for the next
 * one (blocks by order, from the outgoing radix tree; subtrees; KHO's own
 * pages), and the scratch areas.
 */
#include "kho.h"
#include "kho_internal.h"
#include "console.h"
#include "format.h"
#include "page.h"
#include <libfdt.h>

struct show_count {
	u64 blocks, pages;
	u64 by_order[KHO_MAX_BLOCK_ORDER + 1];
};

static int show_node_ok(phys_addr_t node, void *arg, char *why, size_t n)
{
	(void)node, (void)arg, (void)why, (void)n;
	return 0; /* the outgoing tree is this kernel's own */
}

static int show_blocks(phys_addr_t pa, unsigned order, u64 bits, void *arg, char *why, size_t n)
{
	struct show_count *c = arg;
	u64 k = 0;

	(void)pa, (void)why, (void)n;
	for (; bits; bits &= bits - 1) /* no libgcc: count the bits by hand */
		k++;
	c->blocks += k;
	c->pages += k << order;
	c->by_order[order] += k;
	return 0;
}

static void show_orders(const u64 *by_order)
{
	char line[200];
	int n = 0;

	line[0] = 0;
	for (unsigned o = 0; o <= KHO_MAX_BLOCK_ORDER && n < (int)sizeof(line) - 24; o++)
		if (by_order[o])
			n += snprintf(line + n, sizeof(line) - (size_t)n, " %u:%llu", o,
				      (unsigned long long)by_order[o]);
	console_printf("    blocks by order (order:count):%s\n", n ? line : " none");
}

static void show_incoming(void)
{
	const void *fdt;
	u64 in_order[KHO_MAX_BLOCK_ORDER + 1] = { 0 };
	u64 pages = 0;
	int node, subtrees = 0;

	if (!kho_is_kho_boot()) {
		console_printf(
			"  received: nothing (a cold boot, or a handover that was refused)\n");
		return;
	}
	for (u64 i = 0; i < kho.nr_block_runs; i++) {
		const struct kho_block_run *r = &kho.blocks[i];
		u64 k = (r->end - r->pa) >> (PAGE_SHIFT + r->order);

		in_order[r->order] += k;
		pages += k << r->order;
	}
	console_printf("  received: root FDT at 0x%llx (%s), kexec number %u\n",
		       (unsigned long long)kho.in_fdt, kho.version ? kho.version : "?",
		       kho.in_kexec_count);
	console_printf("    %llu blocks preserved (%llu pages, %llu KiB) in %llu ranges; "
		       "%llu pages not restored yet\n",
		       (unsigned long long)kho.nr_blocks, (unsigned long long)pages,
		       (unsigned long long)(pages << PAGE_SHIFT >> 10),
		       (unsigned long long)kho.nr_runs, (unsigned long long)kho_unclaimed_pages());
	show_orders(in_order);
	fdt = phys_to_virt(kho.in_fdt);
	fdt_for_each_subnode(node, fdt, 0) {
		phys_addr_t blob;
		u64 size;

		if (!kho_subtree_props(fdt, node, &blob, &size))
			continue;
		console_printf("    subtree %-20s at 0x%llx, %llu bytes\n",
			       fdt_get_name(fdt, node, NULL), (unsigned long long)blob,
			       (unsigned long long)size);
		subtrees++;
	}
	if (!subtrees)
		console_printf("    no subtrees\n");
}

static void show_outgoing(void)
{
	struct show_count c = { 0 };
	struct kho_radix_walker w = { .node_ok = show_node_ok, .blocks = show_blocks, .arg = &c };
	char why[ERR_WHY_MAX];
	int subtrees = 0;

	if (kho_radix_walk(kho.tree.root, &w, why, sizeof(why)) < 0) {
		console_printf("  preserved for the next kernel: the map cannot be read: %s\n",
			       why);
		return;
	}
	console_printf("  preserved for the next kernel: %llu blocks (%llu pages, %llu KiB); "
		       "KHO's own pages %llu\n",
		       (unsigned long long)c.blocks, (unsigned long long)c.pages,
		       (unsigned long long)(c.pages << PAGE_SHIFT >> 10),
		       (unsigned long long)kho_own_pages());
	show_orders(c.by_order);
	for (unsigned i = 0; i < KHO_MAX_SUBTREES; i++) {
		const struct kho_subtree *t = &kho.subtrees[i];

		if (!t->name[0])
			continue;
		console_printf("    subtree %-20s at 0x%llx, %llu bytes\n", t->name,
			       (unsigned long long)t->blob, (unsigned long long)t->size);
		subtrees++;
	}
	if (!subtrees)
		console_printf("    no subtrees\n");
}

const void *kho_received_fdt(void)
{
	return kho.in_fdt ? phys_to_virt(kho.in_fdt) : NULL;
}

void kho_show(void)
{
	console_printf("kho: %s; the next handover's root FDT says \"%s\"\n",
		       kho_is_kho_boot() ? "this boot took a handover"
					 : "this boot took no handover",
		       kho_out_compatible());
	show_incoming();
	show_outgoing();
	console_printf("  scratch: %d area%s\n", kho.nr_scratch, kho.nr_scratch == 1 ? "" : "s");
	for (int i = 0; i < kho.nr_scratch; i++)
		console_printf("    0x%016llx-0x%016llx (%llu KiB)\n",
			       (unsigned long long)kho.scratch[i].addr,
			       (unsigned long long)(kho.scratch[i].addr + kho.scratch[i].size -
						    (kho.scratch[i].size ? 1 : 0)),
			       (unsigned long long)(kho.scratch[i].size >> 10));
}

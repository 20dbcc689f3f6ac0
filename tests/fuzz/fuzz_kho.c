/*
 * fuzz_kho.c — libFuzzer target over KHO's incoming side: kho_scan (every
 * check of docs/design.md section 6), then the memmap marks, the page allocator
 * and restores, on fake RAM that the input fills.
 *
 * An input is a boot FDT and the pages a handover consists of:
 *
 *     u32 fdt_len; u8 fdt[fdt_len];                  the boot FDT
 *     { u32 page; u8 bytes[4096]; } ...              pages of fake RAM
 *
 * (page is taken modulo the RAM's page count). Built with -DFUZZ_CORPUS the
 * same file is instead a program that makes the seed corpus: real
 * handovers from a generation that preserved folios, pages, a vmalloc area
 * and slab objects, written in that format.
 *
 * A run passes when nothing crashes or trips a sanitizer, and, for an
 * accepted handover, every restore entry point behaves: the vmalloc area
 * named by the subtree "fuzz-index" (a struct kho_vmalloc) and every
 * object of the slab records come back or are refused, never half; then
 * every block still waiting is restored as a folio, a run of pages or one
 * block (if its owner is any restore) or refused (if it is the handover's
 * own or the slab records'), and everything restored frees cleanly under
 * the allocator's own consistency check.
 *
 * The seeds are real handovers, and real handovers damaged so that two
 * structures share a page (a subtree blob on the root FDT, a vmalloc page
 * listed twice, a slab chunk that is also a slab): the scan or the restore
 * must refuse those.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "host.h"
#include "bootfdt.h"
#include "buddy.h"
#include "folio.h"
#include "kho.h"
#include "kho_linux_test.h"
#include "memblock.h"
#include "slab.h"
#include "vmalloc.h"

#define INDEX_SUBTREE "fuzz-index"
#define RAM_BASE 0x40000000ULL
#define RAM (16ULL << 20)
#define SCRATCH (2ULL << 20)

static u8 *ram;

static void boot(const void *boot_fdt)
{
	memblock_reset();
	kho_reset();
	kho_linux_test_reset();
	memblock_add(RAM_BASE, RAM);
	memblock_reserve(RAM_BASE, 1 << 20);
	if (boot_fdt)
		kho_scan(boot_fdt);
	if (!kho_is_kho_boot() && kho_scratch_reserve(SCRATCH) < 0)
		abort();
	if (buddy_init())
		abort();
	kho_mark_preserved();
	slab_init();
	folio_init();
	vmalloc_init();
}

#ifndef FUZZ_CORPUS

/* The vmalloc area the seed named: back and freed, or refused whole. */
static void restore_index(void)
{
	struct kho_vmalloc v;
	phys_addr_t pa;
	u64 size;
	void *va;

	if (kho_retrieve_subtree(INDEX_SUBTREE, &pa, &size) < 0 || size != sizeof(v))
		return;
	memcpy(&v, phys_to_virt(pa), sizeof(v)); /* proven inside preserved memory */
	va = kho_restore_vmalloc(&v);
	if (va)
		vfree(va);
}

/* Every object of the slab records (their shape was proven by the scan). */
static void restore_slab_objects(void)
{
	phys_addr_t pa;
	u64 size;

	if (kho_retrieve_subtree(KHO_SLAB_SUBTREE, &pa, &size) < 0)
		return;
	for (u64 chunks = 0; pa && chunks < 64; chunks++) {
		const struct kho_slab_chunk *c = phys_to_virt(pa);
		u64 next = c->next, n = c->count;
		phys_addr_t objs[KHO_SLAB_CHUNK_RECS];

		for (u64 i = 0; i < n && i < KHO_SLAB_CHUNK_RECS; i++)
			objs[i] = c->rec[i].phys; /* the chunk may go back as we restore */
		for (u64 i = 0; i < n && i < KHO_SLAB_CHUNK_RECS; i++) {
			void *o = kho_restore_slab(objs[i]);

			if (o)
				kfree(o);
		}
		pa = next;
	}
}

/* Every block still waiting: a client's comes back (as a folio, a run of
 * pages, or through the primitive) and is freed; the handover's own and the
 * slab records' are refused to clients. Anything else is a bug. */
static void restore_the_rest(void)
{
	for (u64 pfn = RAM_BASE >> PAGE_SHIFT; pfn < (RAM_BASE + RAM) >> PAGE_SHIFT; pfn++) {
		unsigned long md = pfn_to_page(pfn)->memdesc;
		unsigned order, owner;
		phys_addr_t pa = pfn << PAGE_SHIFT;

		if (memdesc_type(md) != MEMDESC_PRESERVED || (memdesc_data(md) & 0xff) == 0xff)
			continue; /* not a waiting head */
		order = memdesc_data(md) & 0xff;
		owner = (memdesc_data(md) >> 8) & 0xff;
		if (owner != 0) { /* the handover's own, or the slab records' */
			if (kho_restore_page_desc(pa, order, MEMDESC_PAGES_OF(order)))
				abort(); /* a client took what is not a client's */
			continue;
		}
		if (order > MAX_ORDER) {
			if (!kho_restore_pages(pa, 1ULL << order))
				abort(); /* marked but not restorable: a bug */
			for (u64 q = 0; q < (1ULL << order); q += 1ULL << MAX_ORDER)
				__free_pages(pfn_to_page(pfn + q), MAX_ORDER);
		} else if (pfn & 1) {
			struct folio *f = kho_restore_folio(pa);

			if (!f)
				abort();
			folio_put(f);
		} else {
			struct page *p = kho_restore_page_desc(pa, order, MEMDESC_PAGES_OF(order));

			if (!p)
				abort();
			__free_pages(p, order);
		}
	}
}

static bool once(void)
{
	if (!ram) {
		ram = host_ram(RAM_BASE, RAM);
		host_console_register();
	}
	return true;
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static u64 fdt_buf[65536 / 8];
	u32 fdt_len;

	once();
	if (size < 4)
		return 0;
	memcpy(&fdt_len, data, 4);
	if (fdt_len > sizeof(fdt_buf) || fdt_len > size - 4)
		return 0;
	memset(ram, 0, RAM);
	memset(fdt_buf, 0, sizeof(fdt_buf));
	memcpy(fdt_buf, data + 4, fdt_len);
	data += 4 + fdt_len;
	size -= 4 + fdt_len;
	while (size >= 4 + PAGE_SIZE) {
		u32 page;

		memcpy(&page, data, 4);
		memcpy(ram + (page % (RAM / PAGE_SIZE)) * PAGE_SIZE, data + 4, PAGE_SIZE);
		data += 4 + PAGE_SIZE;
		size -= 4 + PAGE_SIZE;
	}
	/* A real boot checks the boot FDT first, with bootfdt_check. */
	if (bootfdt_check(fdt_buf, fdt_len, NULL, 0))
		return 0;
	host_log_clear();
	boot(fdt_buf);
	buddy_check();
	if (kho_is_kho_boot()) {
		char why[200];

		restore_index();
		restore_slab_objects();
		/* Linux's test_kho set: verified and freed, or refused. */
		if (kho_linux_test_take(false, why, sizeof(why)) < 0 && getenv("FUZZ_SHOW_LOG"))
			fprintf(stderr, "kho_linux_test_take: %s\n", why);
		restore_the_rest();
	}
	buddy_check();
	if (getenv("FUZZ_SHOW_LOG")) /* to see what a given input did */
		fputs(host_log(), stderr);
	return 0;
}

#else /* FUZZ_CORPUS: write seeds */

static FILE *out;

static void put_page(phys_addr_t pa)
{
	u32 page = (u32)((pa - RAM_BASE) / PAGE_SIZE);

	fwrite(&page, 4, 1, out);
	fwrite(phys_to_virt(pa & ~(PAGE_SIZE - 1)), PAGE_SIZE, 1, out);
}

/* Every radix node page, from the root down. */
static void put_tree(phys_addr_t node, int level)
{
	const u64 *t = phys_to_virt(node);

	put_page(node);
	if (level == 0)
		return;
	for (int i = 0; i < 512; i++)
		if (t[i])
			put_tree(t[i], level - 1);
}

static void put_range(phys_addr_t pa, u64 size)
{
	for (phys_addr_t p = pa & ~(PAGE_SIZE - 1); p < pa + size; p += PAGE_SIZE)
		put_page(p);
}

/* A subtree's blob, whole. */
static phys_addr_t put_subtree(const void *root, const char *name)
{
	int n = fdt_subnode_offset(root, 0, name);
	const void *d = n >= 0 ? fdt_getprop(root, n, "preserved-data", NULL) : NULL;
	const void *z = n >= 0 ? fdt_getprop(root, n, "blob-size", NULL) : NULL;
	u64 pa = 0, size = 0;

	if (!d || !z)
		return 0;
	memcpy(&pa, d, 8);
	memcpy(&size, z, 8);
	put_range(pa, size);
	return pa;
}

/* Linux's test_kho set: its FDT, the folios_info list (chunks and data
 * pages) and the folios themselves, so a seed's checksum holds. */
static void put_test_kho(const void *root)
{
	phys_addr_t pa = put_subtree(root, KHO_LINUX_TEST_SUBTREE);
	const void *t = pa ? phys_to_virt(pa) : NULL;
	int node = t ? fdt_path_offset(t, "/data") : -1;
	const struct kho_vmalloc *v = node >= 0 ? fdt_getprop(t, node, "folios_info", NULL) : NULL;
	const u32 *nr = node >= 0 ? fdt_getprop(t, node, "nr_folios", NULL) : NULL;

	if (!v || !nr)
		return;
	for (phys_addr_t c = v->first; c; c = ((struct kho_vmalloc_chunk *)phys_to_virt(c))->next) {
		const struct kho_vmalloc_chunk *ch = phys_to_virt(c);

		put_page(c);
		for (int i = 0; i < KHO_VMALLOC_CHUNK_ENTRIES && ch->phys[i]; i++) {
			const u64 *e = phys_to_virt(ch->phys[i]);

			put_page(ch->phys[i]);
			for (u32 k = 0; k < *nr && k < PAGE_SIZE / 8 && i == 0; k++)
				put_range(e[k] & ~(u64)(PAGE_SIZE - 1),
					  PAGE_SIZE << (e[k] & 0xfff));
		}
	}
}

/* The damaged seeds (see the file comment). */
static void damage_blob_on_root_fdt(const struct kho_handover *h)
{
	void *rfdt = phys_to_virt(h->fdt);
	int node = fdt_subnode_offset(rfdt, 0, INDEX_SUBTREE);
	u64 at = h->fdt;

	if (node >= 0)
		fdt_setprop_inplace(rfdt, node, "preserved-data", &at, 8);
}

static void damage_vmalloc_page_twice(const struct kho_vmalloc *v)
{
	struct kho_vmalloc_chunk *c = phys_to_virt(v->first);

	if (c->phys[0] && c->phys[1])
		c->phys[1] = c->phys[0];
}

static void damage_slab_chunk_is_a_slab(const struct kho_handover *h)
{
	const void *rfdt = phys_to_virt(h->fdt);
	int node = fdt_subnode_offset(rfdt, 0, KHO_SLAB_SUBTREE);
	const void *d = node >= 0 ? fdt_getprop(rfdt, node, "preserved-data", NULL) : NULL;
	struct kho_slab_chunk *c;
	u64 pa;

	if (!d)
		return;
	memcpy(&pa, d, 8);
	c = phys_to_virt(pa);
	if (c->count) { /* the first object now claims the chunk's page */
		c->rec[0].phys = pa;
		c->rec[0].slab_order = 0;
	}
}

int main(int argc, char **argv)
{
	static u64 fdt[4096 / 8];
	const char *dir = argc > 1 ? argv[1] : ".";

	ram = host_ram(RAM_BASE, RAM);
	host_console_register();
	for (int seed = 0; seed < 4; seed++) {
		struct kho_handover h;
		struct kho_vmalloc v;
		const u64 *map;
		char path[512];
		u32 len;

		memset(ram, 0, RAM);
		boot(NULL);
		for (unsigned o = 0; o <= (unsigned)seed + 2; o++) {
			struct folio *f = folio_alloc(GFP_KERNEL, o);

			if (!f || kho_preserve_folio(f) < 0)
				return 1;
		}
		struct page *p = alloc_pages(GFP_KERNEL, 2);
		if (!p || kho_preserve_pages(p, 4) < 0)
			return 1;
		void *area = vmalloc((u64)(seed + 1) * PAGE_SIZE);
		if (!area || kho_preserve_vmalloc(area, &v) < 0)
			return 1;
		struct page *ip = alloc_pages(__GFP_ZERO, 0);
		if (!ip || kho_preserve_pages(ip, 1) < 0)
			return 1;
		memcpy(page_address(ip), &v, sizeof(v));
		if (kho_add_subtree(INDEX_SUBTREE, page_address(ip), sizeof(v)) < 0)
			return 1;
		for (int k = 0; k < 3 + seed; k++)
			if (kho_preserve_slab(kmalloc(16u << k, GFP_KERNEL)) < 0)
				return 1;
		/* A test_kho set as Linux writes it (ktest/kho_linux_test.c),
		 * small, so the seed keeps its pages within max_len. */
		if (kho_linux_test_preserve(4 * PAGE_SIZE) < 0)
			return 1;
		if (kho_serialize(&h) < 0)
			return 1;

		if (kho_handover_fdt(fdt, sizeof(fdt), &h) < 0)
			return 1;
		fdt_pack(fdt);

		/* Seed 0 as it is, then seeds 1..3 each with two structures
		 * on one page: the scan or the restore must refuse them. */
		if (seed == 1)
			damage_blob_on_root_fdt(&h);
		if (seed == 2)
			damage_vmalloc_page_twice(&v);
		if (seed == 3)
			damage_slab_chunk_is_a_slab(&h);

		snprintf(path, sizeof(path), "%s/handover-%d", dir, seed);
		out = fopen(path, "wb");
		if (!out)
			return 1;
		len = fdt_totalsize(fdt);
		fwrite(&len, 4, 1, out);
		fwrite(fdt, len, 1, out);
		put_page(h.fdt);
		put_page(h.scratch);
		map = fdt_getprop(phys_to_virt(h.fdt), 0, "preserved-memory-map", NULL);
		put_tree(*map, 5);
		put_page(page_to_phys(ip));
		put_test_kho(phys_to_virt(h.fdt));
		put_subtree(phys_to_virt(h.fdt), KHO_METADATA_SUBTREE);
		for (phys_addr_t c = v.first; c;
		     c = ((struct kho_vmalloc_chunk *)phys_to_virt(c))->next)
			put_page(c);
		{
			phys_addr_t sp;
			u64 ssize;
			const void *rfdt = phys_to_virt(h.fdt);
			int sn = fdt_subnode_offset(rfdt, 0, KHO_SLAB_SUBTREE);
			const void *d =
				sn >= 0 ? fdt_getprop(rfdt, sn, "preserved-data", NULL) : NULL;

			(void)ssize;
			sp = 0;
			if (d)
				memcpy(&sp, d, 8);
			for (; sp; sp = ((struct kho_slab_chunk *)phys_to_virt(sp))->next)
				put_page(sp);
		}
		fclose(out);
	}
	return 0;
}
#endif

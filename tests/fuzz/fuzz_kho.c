/*
 * fuzz_kho.c — libFuzzer target over KHO's incoming side: kho_scan (every
 * check of DESIGN.md section 6), then the memmap marks, the page allocator
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
 * accepted handover, the allocator's own consistency check holds and every
 * restored block can be freed.
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
#include "memblock.h"
#include "slab.h"
#include "vmalloc.h"

#define RAM_BASE 0x40000000ULL
#define RAM (16ULL << 20)
#define SCRATCH (2ULL << 20)

static u8 *ram;

static void boot(const void *boot_fdt)
{
	memblock_reset();
	kho_reset();
	memblock_add(RAM_BASE, RAM);
	memblock_reserve(RAM_BASE, 1 << 20);
	if (boot_fdt)
		kho_scan(boot_fdt);
	if (!kho_is_kho_boot() && kho_scratch_reserve(SCRATCH) < 0)
		abort();
	if (!buddy_init())
		abort();
	kho_mark_preserved();
	slab_init();
	folio_init();
	vmalloc_init();
}

#ifndef FUZZ_CORPUS

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
	if (bootfdt_check(fdt_buf, fdt_len) != NULL)
		return 0;
	host_log_clear();
	boot(fdt_buf);
	buddy_check();
	/* Everything that came through must restore and free cleanly. */
	for (u64 pfn = RAM_BASE >> PAGE_SHIFT; pfn < (RAM_BASE + RAM) >> PAGE_SHIFT; pfn++) {
		unsigned long md = pfn_to_page(pfn)->memdesc;

		if (memdesc_type(md) == MEMDESC_PRESERVED && ((memdesc_data(md) >> 8) != 0)) {
			unsigned order = memdesc_data(md) & 0xff;
			struct page *p = kho_restore_page_desc(pfn << PAGE_SHIFT, order,
							       MEMDESC_PAGES_OF(order));

			if (!p)
				abort(); /* marked but not restorable: a bug */
			__free_pages(p, order);
		}
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
		int chosen;
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
		for (int k = 0; k < 3 + seed; k++)
			if (kho_preserve_slab(kmalloc(16u << k, GFP_KERNEL)) < 0)
				return 1;
		if (kho_serialize(&h) < 0)
			return 1;

		fdt_create_empty_tree(fdt, sizeof(fdt));
		fdt_setprop_u32(fdt, 0, "#address-cells", 2);
		fdt_setprop_u32(fdt, 0, "#size-cells", 2);
		chosen = fdt_add_subnode(fdt, 0, "chosen");
		fdt_appendprop_addrrange(fdt, 0, chosen, "linux,kho-fdt", h.fdt, h.fdt_size);
		fdt_appendprop_addrrange(fdt, 0, chosen, "linux,kho-scratch", h.scratch,
					 h.scratch_size);
		fdt_pack(fdt);

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
		fclose(out);
	}
	return 0;
}
#endif

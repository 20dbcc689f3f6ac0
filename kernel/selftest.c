/*
 * selftest.c — boot self-tests of the kernel's own foundations: where the
 * image landed, what the FDT said, the parser, the formatter, the clock.
 * `ktest=all` (or the suite names) on the command line runs them; the boot
 * test cases in tests/boot check their lines.
 */
#include "kernel.h"
#include "bootfdt.h"
#include "cmdline.h"
#include "console.h"
#include "ktest.h"
#include "kstring.h"
#include "buddy.h"
#include "folio.h"
#include "slab.h"
#include "vmalloc.h"
#include "kho.h"
#include "memblock.h"
#include "printk.h"
#include "arch/counter.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include <libfdt.h>

/* ktest.image_base=ADDR: the test run says where the loader was told to put
 * the image, and boot.image_base checks the kernel really runs there. */
static u64 expected_image_base;
static bool have_expected_image_base;

static int set_image_base(const char *val)
{
	if (cmdline_parse_u64(val, &expected_image_base) < 0)
		return -EINVAL;
	have_expected_image_base = true;
	return 0;
}
CMDLINE_PARAM("ktest.image_base", set_image_base, "expected physical base of the image");

/* Keys the loaders consume; the kernel knows them so it does not warn. */
static int loader_key(const char *val)
{
	(void)val;
	return 0;
}
CMDLINE_PARAM("efi.load_addr", loader_key, "the EFI loader's: where to place the kernel");

KTEST(boot, image_base)
{
	phys_addr_t base = arch_image_phys_base();

	KT_EXPECT(t, IS_ALIGNED(base, MiB(2)));
	if (have_expected_image_base && base != expected_image_base)
		ktest_fail(t, "image at 0x%llx, expected 0x%llx", (unsigned long long)base,
			   (unsigned long long)expected_image_base);
	/* The link address maps to the physical base. */
	KT_EXPECT(t, (uintptr_t)_kernel_start == KERNEL_VBASE);
	KT_EXPECT(t, *(volatile char *)phys_to_virt(base) == _kernel_start[0]);
}

static bool inside(const struct mem_range *r, int n, u64 base, u64 size)
{
	for (int i = 0; i < n; i++) {
		if (base >= r[i].base && base - r[i].base + size <= r[i].size)
			return true;
	}
	return false;
}

KTEST(fdt, memory_map)
{
	struct mem_range r[64];
	int n = bootfdt_memory(t->fdt, r, ARRAY_SIZE(r));

	KT_EXPECT(t, n > 0);
	for (int i = 1; i < n; i++)
		KT_EXPECT(t, r[i - 1].base + r[i - 1].size < r[i].base);
	KT_EXPECT(t, inside(r, n, arch_image_phys_base(), (u64)(_kernel_end - _kernel_start)));
	KT_EXPECT(t, inside(r, n, virt_to_phys(t->fdt), fdt_totalsize(t->fdt)));
}

KTEST(fdt, check_rejects_garbage)
{
	static u8 blob[256];

	memcpy(blob, t->fdt, sizeof(blob));
	KT_EXPECT(t, bootfdt_check(t->fdt, BOOTFDT_MAX_SIZE, NULL, 0) == 0);
	KT_EXPECT(t, bootfdt_check(blob, sizeof(blob), NULL, 0) == -E2BIG); /* truncated */
	blob[0] ^= 0xff;
	KT_EXPECT(t, bootfdt_check(blob, sizeof(blob), NULL, 0) == -EBADMSG); /* bad magic */
}

KTEST(console, registered)
{
	KT_EXPECT(t, console_current() != NULL);
}

KTEST(cmdline, numbers)
{
	u64 v = 0;

	KT_EXPECT(t, cmdline_parse_u64("4096", &v) == 0 && v == 4096);
	KT_EXPECT(t, cmdline_parse_u64("0x200000", &v) == 0 && v == 0x200000);
	KT_EXPECT(t, cmdline_parse_u64("64M", &v) == 0 && v == MiB(64));
	KT_EXPECT(t, cmdline_parse_u64("12x", &v) < 0);
	KT_EXPECT(t, cmdline_parse_u64("", &v) < 0);
	KT_EXPECT(t, cmdline_parse_u64("99999999999999999999", &v) < 0);
}

KTEST(printk, format)
{
	char b[64];

	snprintf(b, sizeof(b), "%d|%5u|%-4x|%08llx|%s|%c", -42, 7u, 0xabu,
		 0x1234ULL, "ok", '!');
	KT_EXPECT(t, strcmp(b, "-42|    7|ab  |00001234|ok|!") == 0);
	KT_EXPECT(t, snprintf(b, 4, "%s", "truncated") == 9 && strcmp(b, "tru") == 0);
}

KTEST(counter, advances)
{
	u64 a = arch_counter_read(), b;

	for (volatile int i = 0; i < 10000; i++)
		;
	b = arch_counter_read();
	KT_EXPECT(t, arch_counter_freq() >= 1000000);
	KT_EXPECT(t, b > a);
}

/* The exception path works both ways: in through the vectors, out to the
 * next instruction with the interrupted state intact. */
KTEST(trap, breakpoint_resumes)
{
	unsigned before = arch_breakpoint_count();
	volatile u64 canary = 0x1234567890abcdefULL;

	arch_breakpoint();
	arch_breakpoint();
	KT_EXPECT(t, arch_breakpoint_count() == before + 2);
	KT_EXPECT(t, canary == 0x1234567890abcdefULL);
}

/* memblock knows what the kernel occupies; once the buddy allocator has
 * taken over, memblock hands out nothing more. */
KTEST(memblock, boot_layout)
{
	phys_addr_t image = arch_image_phys_base();

	KT_EXPECT(t, memblock_memory_size() > 0);
	KT_EXPECT(t, memblock_is_reserved(image, (u64)(_kernel_end - _kernel_start)));
	KT_EXPECT(t, memblock_is_reserved(virt_to_phys(t->fdt), fdt_totalsize(t->fdt)));
	KT_EXPECT(t, memblock_alloc(PAGE_SIZE, PAGE_SIZE) == 0);
	memblock_check();
}

/* The page allocator on the real machine: blocks of every order are
 * aligned, writable, never the kernel's or the FDT's, and all of it goes
 * back, merged, to exactly the free counts it started with. */
KTEST(buddy, every_order_and_back)
{
	struct buddy_stats before, after;
	struct page *p[MAX_ORDER + 1];

	buddy_check();
	buddy_stats(&before);
	KT_EXPECT(t, before.free_pages > 0 && before.free_pages <= before.managed_pages);
	for (unsigned k = 0; k <= MAX_ORDER; k++) {
		p[k] = alloc_pages(k % 2 ? __GFP_ZERO : GFP_KERNEL, k);
		KT_EXPECT(t, p[k] != NULL);
		if (!p[k])
			continue;
		KT_EXPECT(t, page_to_pfn(p[k]) % (1UL << k) == 0);
		/* Never the kernel's or the boot FDT's memory. */
		KT_EXPECT(t, page_to_phys(p[k]) + (PAGE_SIZE << k) <= arch_image_phys_base() ||
			     page_to_phys(p[k]) >= arch_image_phys_base() +
						   (u64)(_kernel_end - _kernel_start));
		KT_EXPECT(t, page_to_phys(p[k]) + (PAGE_SIZE << k) <= virt_to_phys(t->fdt) ||
			     page_to_phys(p[k]) >= virt_to_phys(t->fdt) + fdt_totalsize(t->fdt));
		memset(page_address(p[k]), 0xa5, PAGE_SIZE << k);
	}
	KT_EXPECT(t, free_page_desc(p[0], 1) == -EINVAL); /* wrong order: refused */
	for (unsigned k = 0; k <= MAX_ORDER; k++) {
		if (p[k])
			__free_pages(p[k], k);
	}
	KT_EXPECT(t, p[0] == NULL || free_page_desc(p[0], 0) == -EINVAL); /* double free: refused */
	buddy_check();
	buddy_stats(&after);
	KT_EXPECT(t, after.free_pages == before.free_pages);
	for (unsigned k = 0; k <= MAX_ORDER; k++)
		KT_EXPECT(t, after.nr_free[k] == before.nr_free[k]);
}

/* kmalloc of every size class and a large one, kfree through the memdesc,
 * folios with references, on the real machine. */
KTEST(slab, kmalloc_and_folios)
{
	static const size_t sizes[] = { 8, 24, 96, 200, 512, 4096, 3 * 4096 + 1 };
	void *p[ARRAY_SIZE(sizes)];
	struct folio *f;

	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++) {
		p[i] = kmalloc(sizes[i], GFP_KERNEL);
		KT_EXPECT(t, p[i] != NULL && ksize(p[i]) >= sizes[i]);
		if (p[i])
			memset(p[i], (int)i, sizes[i]);
	}
	KT_EXPECT(t, virt_to_folio(p[ARRAY_SIZE(sizes) - 1]) != NULL);
	for (size_t i = 0; i < ARRAY_SIZE(sizes); i++)
		kfree(p[i]);
	f = folio_alloc(GFP_KERNEL, 4);
	KT_EXPECT(t, f && page_folio(f->page + 15) == f && folio_size(f) == 16 * PAGE_SIZE);
	if (f)
		folio_put(f);
}

/* vmalloc through the real page tables: contiguous, aliased to its pages,
 * a guard page after it, and nothing left behind by vfree. */
KTEST(vmalloc, map_alias_guard)
{
	struct vmalloc_stats before, st;
	phys_addr_t pa;
	u8 *p;

	vmalloc_stats(&before); /* areas others hold (a handed-over list) */
	p = vmalloc(3 * PAGE_SIZE);

	KT_EXPECT(t, p && is_vmalloc_addr(p));
	if (!p)
		return;
	memset(p, 0x6b, 3 * PAGE_SIZE);
	for (int i = 0; i < 3; i++) {
		struct page *pg = vmalloc_to_page(p + i * PAGE_SIZE);

		KT_EXPECT(t, pg && ((u8 *)page_address(pg))[100] == 0x6b);
		KT_EXPECT(t, arch_kernel_page_phys((unsigned long)p + i * PAGE_SIZE, &pa) &&
			     pg && pa == page_to_phys(pg));
	}
	KT_EXPECT(t, !arch_kernel_page_phys((unsigned long)p + 3 * PAGE_SIZE, &pa));
	vfree(p);
	KT_EXPECT(t, !arch_kernel_page_phys((unsigned long)p, &pa));
	vmalloc_stats(&st);
	KT_EXPECT(t, st.areas == before.areas && st.pages == before.pages);
}

/* Run the machine out of memory on purpose: every allocator says NULL,
 * nothing breaks, and freeing it all gives back exactly what there was.
 * The blocks taken are chained through their own first words. */
KTEST(mm, out_of_memory_and_back)
{
	struct buddy_stats before, after;
	void *chain = NULL;
	u64 taken = 0;

	buddy_stats(&before);
	for (int k = MAX_ORDER; k >= 0; k--) {
		struct page *p;

		while ((p = alloc_pages(GFP_KERNEL, k)) != NULL) {
			*(void **)page_address(p) = chain;
			*((u64 *)page_address(p) + 1) = (u64)k;
			chain = page_address(p);
			taken += 1UL << k;
		}
	}
	buddy_stats(&after);
	KT_EXPECT(t, after.free_pages == 0 && taken == before.free_pages);
	KT_EXPECT(t, kmalloc(PAGE_SIZE * 2, GFP_KERNEL) == NULL); /* needs a new folio */
	KT_EXPECT(t, vmalloc(PAGE_SIZE * 2) == NULL);
	while (chain) {
		void *next = *(void **)chain;
		unsigned k = (unsigned)*((u64 *)chain + 1);

		__free_pages(virt_to_page(chain), k);
		chain = next;
	}
	buddy_check();
	buddy_stats(&after);
	KT_EXPECT(t, after.free_pages == before.free_pages);
	for (int k = 0; k <= MAX_ORDER; k++)
		KT_EXPECT(t, after.nr_free[k] == before.nr_free[k]);
}

/* KHO's outgoing side on the machine: scratch exists and is refused, a
 * folio is preserved once, and the handover serializes. */
KTEST(kho, preserve_and_serialize)
{
	const struct kho_scratch *areas;
	struct kho_handover h;
	struct folio *f = folio_alloc(GFP_KERNEL, 2);
	int n = kho_scratch_areas(&areas), used = 0;

	/* One area of Baton's own, or the ones a handover brought (Linux's
	 * NUMA nodes + 2, some possibly empty). */
	KT_EXPECT(t, n >= 1 && n <= KHO_MAX_SCRATCH);
	for (int i = 0; i < n; i++) {
		if (!areas[i].size)
			continue;
		used++;
		KT_EXPECT(t, memblock_is_reserved(areas[i].addr, areas[i].size));
	}
	KT_EXPECT(t, used >= 1);
	KT_EXPECT(t, f != NULL);
	if (!f)
		return;
	KT_EXPECT(t, kho_preserve_folio(f) == 0);
	KT_EXPECT(t, kho_preserve_folio(f) == -EEXIST);
	KT_EXPECT(t, kho_serialize(&h) == 0 && h.fdt &&
			     h.scratch_size == (u64)n * sizeof(struct kho_scratch));
	KT_EXPECT(t, fdt_node_check_compatible(phys_to_virt(h.fdt), 0, kho_out_compatible()) == 0);
	KT_EXPECT(t, kho_unpreserve_folio(f) == 0);
	KT_EXPECT(t, kho_unpreserve_folio(f) == -ENOENT);
	kho_abort();
	folio_put(f);
}

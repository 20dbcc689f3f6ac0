/*
 * mm_boot.c — see mm_boot.h.
 */
#include "mm_boot.h"
#include "harness.h"
#include "host.h"
#include "buddy.h"
#include "folio.h"
#include "kho_linux_test.h"
#include "kho.h"
#include "memblock.h"
#include "slab.h"
#include "vmalloc.h"

void mm_boot(u64 ram_size)
{
	host_ram(MM_RAM_BASE, ram_size);
	memblock_reset();
	memblock_add(MM_RAM_BASE, ram_size);
	memblock_reserve(MM_RAM_BASE, 1 << 20);
	host_console_register();
	REQUIRE(buddy_init() == 0);
	slab_init();
	folio_init();
	vmalloc_init();
	host_log_clear();
}

void mm_boot_generation(u64 ram_base, u64 ram_size, const void *boot_fdt)
{
	memblock_reset();
	kho_reset();
	kho_linux_test_reset();
	memblock_add(ram_base, ram_size);
	memblock_reserve(ram_base, 1 << 20);
	memblock_reserve(MM_KERNEL_IMAGE(ram_base), 1 << 20);
	if (boot_fdt)
		kho_scan(boot_fdt);
	if (!kho_is_kho_boot())
		REQUIRE(kho_scratch_reserve(MM_KHO_SCRATCH) == 0);
	REQUIRE(buddy_init() == 0);
	kho_mark_preserved();
	slab_init();
	folio_init();
	vmalloc_init();
	kho_metadata_take(); /* as kexec_init does */
}

static void add_pages(const struct kmem_cache_stats *st, void *arg)
{
	*(u64 *)arg += st->slabs << st->slab_order;
}

u64 mm_slab_pages(void)
{
	u64 n = 0;

	kmem_cache_for_each(add_pages, &n);
	return n;
}

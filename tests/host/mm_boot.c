/*
 * mm_boot.c — see mm_boot.h.
 */
#include "mm_boot.h"
#include "harness.h"
#include "host.h"
#include "buddy.h"
#include "folio.h"
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
	REQUIRE(buddy_init());
	slab_init();
	folio_init();
	vmalloc_init();
	host_log_clear();
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

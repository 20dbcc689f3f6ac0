/*
 * test_memblock.c — mm/memblock.c: merging, splitting, top-down allocation
 * around reservations, limits, the free-range walk, and a full list.
 * memblock only does arithmetic on addresses, so no arena is needed.
 */
#include "harness.h"
#include "host.h"
#include "memblock.h"

#define M(x) ((u64)(x) << 20)

static void fresh(void)
{
	memblock_reset();
	host_console_register();
	host_log_clear();
}

TEST(memblock, add_merges_touching_and_overlapping)
{
	fresh();
	EXPECT_EQ(memblock_add(M(4), M(4)), 0);
	EXPECT_EQ(memblock_add(M(0), M(1)), 0);
	EXPECT_EQ(memblock_add(M(1), M(1)), 0); /* touches [0,1M) */
	EXPECT_EQ(memblock_add(M(6), M(4)), 0); /* overlaps [4M,8M) */
	EXPECT_EQ(memblock.memory.cnt, 2);
	EXPECT_EQ(memblock.memory.r[0].base, 0);
	EXPECT_EQ(memblock.memory.r[0].size, M(2));
	EXPECT_EQ(memblock.memory.r[1].base, M(4));
	EXPECT_EQ(memblock.memory.r[1].size, M(6));
	EXPECT_EQ(memblock_add(M(2), M(2)), 0); /* bridges both */
	EXPECT_EQ(memblock.memory.cnt, 1);
	EXPECT_EQ(memblock.memory.r[0].size, M(10));
	memblock_check();
}

TEST(memblock, rejects_wrapping_and_ignores_empty)
{
	fresh();
	EXPECT_EQ(memblock_add(~0ULL - 10, 100), -EOVERFLOW);
	EXPECT_EQ(memblock_reserve(0, 0), 0);
	EXPECT_EQ(memblock.memory.cnt, 0);
	EXPECT_EQ(memblock.reserved.cnt, 0);
}

TEST(memblock, unreserve_splits)
{
	fresh();
	memblock_reserve(M(1), M(3));
	EXPECT_EQ(memblock_unreserve(M(2), M(1)), 0);
	EXPECT_EQ(memblock.reserved.cnt, 2);
	EXPECT_EQ(memblock.reserved.r[0].size, M(1));
	EXPECT_EQ(memblock.reserved.r[1].base, M(3));
	EXPECT(!memblock_is_reserved(M(2), M(1)));
	EXPECT(memblock_is_reserved(M(2) - 1, 2));
	memblock_check();
}

TEST(memblock, alloc_top_down_around_reservations)
{
	phys_addr_t a, b;

	fresh();
	memblock_add(M(16), M(16));    /* [16M, 32M) */
	memblock_reserve(M(31), M(1)); /* top MiB taken */
	a = memblock_alloc(M(1), M(1));
	EXPECT_EQ(a, M(30));
	b = memblock_alloc(4096, 4096);
	EXPECT_EQ(b, M(30) - 4096);
	EXPECT(memblock_is_reserved(a, M(1)));
	/* A 2 MiB-aligned 2 MiB block must go below everything taken:
	 * [28M, 30M) would cover b's last page, so [26M, 28M). */
	EXPECT_EQ(memblock_alloc(M(2), M(2)), M(26));
	memblock_check();
}

TEST(memblock, alloc_respects_range_and_limits)
{
	fresh();
	memblock_add(M(0), M(64));
	EXPECT_EQ(memblock_alloc_range(M(1), 4096, M(8), M(10)), M(9));
	memblock_set_alloc_limits(M(20), M(24));
	EXPECT_EQ(memblock_alloc(M(2), 4096), M(22));
	EXPECT_EQ(memblock_alloc(M(2), 4096), M(20));
	EXPECT_EQ(memblock_alloc(4096, 4096), 0); /* limits full */
}

TEST(memblock, alloc_failure_changes_nothing)
{
	fresh();
	memblock_add(M(1), M(1));
	EXPECT_EQ(memblock_alloc(M(2), 4096), 0);
	EXPECT_EQ(memblock_alloc(4096, 3), 0); /* not a power of two */
	EXPECT_EQ(memblock_alloc(0, 4096), 0);
	EXPECT_EQ(memblock.reserved.cnt, 0);
}

TEST(memblock, never_returns_address_zero)
{
	fresh();
	memblock_add(0, 4096);
	EXPECT_EQ(memblock_alloc(4096, 4096), 0);
}

TEST(memblock, free_ranges_walk)
{
	u64 cursor = 0, size;
	phys_addr_t base;

	fresh();
	memblock_add(M(0), M(4));
	memblock_add(M(8), M(4));
	memblock_reserve(M(0), M(1));
	memblock_reserve(M(2), M(1));
	memblock_reserve(M(3) + M(5) / 2, M(6)); /* spans the hole */
	REQUIRE(memblock_next_free(&cursor, &base, &size));
	EXPECT_EQ(base, M(1));
	EXPECT_EQ(size, M(1));
	REQUIRE(memblock_next_free(&cursor, &base, &size));
	EXPECT_EQ(base, M(3));
	EXPECT_EQ(size, M(1));
	REQUIRE(memblock_next_free(&cursor, &base, &size));
	EXPECT_EQ(base, M(3) + M(5) / 2 + M(6));
	EXPECT_EQ(base + size, M(12));
	EXPECT(!memblock_next_free(&cursor, &base, &size));
}

TEST(memblock, full_list_refuses_cleanly)
{
	fresh();
	for (int i = 0; i < MEMBLOCK_MAX_REGIONS; i++)
		REQUIRE(memblock_add(M(2 * i), M(1)) == 0);
	EXPECT_EQ(memblock_add(M(1000), M(1)), -ENOSPC);
	EXPECT_EQ(memblock.memory.cnt, MEMBLOCK_MAX_REGIONS);
	/* Merging into an existing region needs no new slot. */
	EXPECT_EQ(memblock_add(M(1), M(1)), 0);
	EXPECT_EQ(memblock.memory.cnt, MEMBLOCK_MAX_REGIONS - 1);
	memblock_check();
}

TEST(memblock, dump_reports_totals)
{
	fresh();
	memblock_add(M(0), M(8));
	memblock_reserve(M(1), M(1));
	memblock_dump();
	EXPECT_LOG("memblock: 8192 KiB RAM in 1 range, 1024 KiB reserved in 1, 7168 KiB free");
	/* Each range is a debug line: in the ring, not on the console. */
	EXPECT_NO_LOG("memblock: ram ");
}

TEST(memblock, caller_kept_table_is_reserved_too)
{
	static const struct memblock_region table[] = {
		{ M(2), M(1) },
		{ M(4), M(2) },
		{ M(7), M(1) },
	};
	u64 cursor = 0, size;
	phys_addr_t base, got[8];
	int n = 0;

	fresh();
	memblock_add(M(1), M(8)); /* [1M, 9M) */
	memblock_reserve_table(table, 3);
	EXPECT(memblock_is_reserved(M(4) + 5, 1));
	EXPECT(!memblock_is_reserved(M(3), M(1)));
	while (memblock_next_free(&cursor, &base, &size) && n < 8) {
		got[n++] = base;
		got[n++] = base + size;
	}
	REQUIRE(n == 8);
	EXPECT_EQ(got[0], M(1));
	EXPECT_EQ(got[1], M(2));
	EXPECT_EQ(got[2], M(3));
	EXPECT_EQ(got[3], M(4));
	EXPECT_EQ(got[4], M(6));
	EXPECT_EQ(got[5], M(7));
	EXPECT_EQ(got[6], M(8));
	EXPECT_EQ(got[7], M(9));
	/* Top-down allocation steps below the table's ranges. */
	EXPECT_EQ(memblock_alloc(M(1), M(1)), M(8));
	EXPECT_EQ(memblock_alloc(M(1), M(1)), M(6));
	EXPECT_EQ(memblock_alloc(M(1), M(1)), M(3));
	EXPECT_EQ(memblock_alloc(M(1), M(1)), M(1));
	EXPECT_EQ(memblock_alloc(4096, 4096), 0);
	EXPECT_EQ(memblock_reserved_size(), M(8));
}

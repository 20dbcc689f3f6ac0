/*
 * memblock.h — the early allocator: what RAM exists and what of it is taken,
 * before the page allocator runs. docs/design.md section 5.
 *
 * Two lists of physical ranges, "memory" (RAM) and "reserved" (RAM that is
 * not free: the kernel image, the boot FDT, firmware areas, early
 * allocations). Free memory is memory minus reserved. memblock_alloc takes
 * from the top of free memory within the current limits and reserves what
 * it returns; at the end of early boot everything still free goes to the
 * buddy allocator.
 */
#ifndef BATON_MEMBLOCK_H
#define BATON_MEMBLOCK_H

#include "types.h"
#include "kerrno.h"

#define MEMBLOCK_MAX_REGIONS 128

struct memblock_region {
	phys_addr_t base;
	u64 size;
};

/*
 * Invariant of each list, checked by memblock_check():
 *   0 < r[i].size, r[i].base + r[i].size does not wrap, and
 *   r[i].base + r[i].size < r[i + 1].base   (sorted, apart, never touching:
 *                                            touching ranges are merged)
 * e.g. adding [0x1000, 0x2000) to { [0x0, 0x1000) } gives { [0x0, 0x2000) }.
 */
struct memblock_list {
	int cnt;
	struct memblock_region r[MEMBLOCK_MAX_REGIONS];
};

struct memblock {
	struct memblock_list memory;
	struct memblock_list reserved;
	/* memblock_alloc only returns memory inside [alloc_min, alloc_max). */
	phys_addr_t alloc_min, alloc_max;
	/* More reserved ranges, in a table its owner keeps (KHO's preserved
	 * memory, which can run to millions of ranges): same invariant as a
	 * list, any length, never changed by memblock. */
	const struct memblock_region *extra;
	u64 nr_extra;
};

extern struct memblock memblock;

/* Forget everything (boot, and each host test). */
void memblock_reset(void);

/* Add RAM / reserve / release a range. Return 0, -ENOSPC when the list is
 * full or -EOVERFLOW when the range wraps (nothing is changed then). */
int memblock_add(phys_addr_t base, u64 size);
int memblock_reserve(phys_addr_t base, u64 size);
int memblock_unreserve(phys_addr_t base, u64 size);

/* size bytes aligned to align (a power of two), inside [min, max) and the
 * allocation limits, highest address first; reserved on success. Returns 0
 * when nothing fits. */
phys_addr_t memblock_alloc_range(u64 size, u64 align, phys_addr_t min, phys_addr_t max);
phys_addr_t memblock_alloc(u64 size, u64 align);

/* Hand memblock a caller-kept table of reserved ranges (see above). */
void memblock_reserve_table(const struct memblock_region *r, u64 n);

/* Restrict memblock_alloc to [min, max) (KHO: scratch only). */
void memblock_set_alloc_limits(phys_addr_t min, phys_addr_t max);

/* Free ranges (memory minus reserved) in address order: start with
 * *cursor = 0; returns false when there are no more. */
bool memblock_next_free(u64 *cursor, phys_addr_t *base, u64 *size);

/* Is any byte of [base, base + size) reserved? */
bool memblock_is_reserved(phys_addr_t base, u64 size);

/* Totals, for reports and tests. */
u64 memblock_memory_size(void);
u64 memblock_reserved_size(void);

/* Check both lists' invariants; panics naming the broken one. */
void memblock_check(void);

/* Print the layout: RAM, reserved ranges, free total. */
void memblock_dump(void);

#endif

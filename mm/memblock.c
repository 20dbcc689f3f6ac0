/*
 * memblock.c — the early allocator (include/memblock.h).
 *
 * kernel_main fills it from the boot FDT (memblock_init_fdt in
 * kernel/bootmem.c), early code allocates from it, and the buddy allocator
 * takes over what is still free. It runs before anything else of mm/ and
 * needs nothing but two fixed arrays. Single CPU, no locking.
 */
#include "memblock.h"
#include "compiler.h"
#include "kstring.h"
#include "panic.h"
#include "printk.h"
#include "kerrno.h"

struct memblock memblock;

void memblock_reset(void)
{
	memset(&memblock, 0, sizeof(memblock));
	memblock.alloc_max = ~0ULL;
}

static void check_list(const struct memblock_list *l, const char *name)
{
	for (int i = 0; i < l->cnt; i++) {
		const struct memblock_region *r = &l->r[i];

		if (r->size == 0 || r->base + r->size < r->base ||
		    (i + 1 < l->cnt && r->base + r->size >= l->r[i + 1].base))
			panic("memblock: %s list broken at entry %d [0x%llx +0x%llx]", name, i,
			      (unsigned long long)r->base, (unsigned long long)r->size);
	}
}

void memblock_check(void)
{
	check_list(&memblock.memory, "memory");
	check_list(&memblock.reserved, "reserved");
}

/* Insert [base, end) into l, merging every region it overlaps or touches. */
static int list_add(struct memblock_list *l, phys_addr_t base, phys_addr_t end)
{
	int first, last;

	/* first: the first region ending at or after base; last: one past the
	 * last region starting at or before end. Those in between merge. */
	for (first = 0; first < l->cnt && l->r[first].base + l->r[first].size < base; first++)
		;
	for (last = first; last < l->cnt && l->r[last].base <= end; last++)
		;
	if (first == last) { /* nothing to merge: insert at first */
		if (l->cnt == MEMBLOCK_MAX_REGIONS)
			return -ENOSPC;
		memmove(&l->r[first + 1], &l->r[first], (l->cnt - first) * sizeof(l->r[0]));
		l->r[first] = (struct memblock_region){ base, end - base };
		l->cnt++;
		return 0;
	}
	base = MIN(base, l->r[first].base);
	end = MAX(end, l->r[last - 1].base + l->r[last - 1].size);
	l->r[first] = (struct memblock_region){ base, end - base };
	memmove(&l->r[first + 1], &l->r[last], (l->cnt - last) * sizeof(l->r[0]));
	l->cnt -= last - first - 1;
	return 0;
}

/* Remove [base, end) from l, splitting a region that contains it. */
static int list_remove(struct memblock_list *l, phys_addr_t base, phys_addr_t end)
{
	for (int i = 0; i < l->cnt; i++) {
		struct memblock_region *r = &l->r[i];
		phys_addr_t rend = r->base + r->size;

		if (rend <= base || r->base >= end)
			continue;
		if (r->base < base && rend > end) { /* a hole in the middle */
			if (l->cnt == MEMBLOCK_MAX_REGIONS)
				return -ENOSPC;
			memmove(&l->r[i + 1], &l->r[i], (l->cnt - i) * sizeof(l->r[0]));
			l->cnt++;
			l->r[i].size = base - r->base;
			l->r[i + 1] = (struct memblock_region){ end, rend - end };
			return 0;
		}
		if (r->base < base) { /* keep the head */
			r->size = base - r->base;
		} else if (rend > end) { /* keep the tail */
			r->size = rend - end;
			r->base = end;
		} else { /* all of it goes */
			memmove(r, r + 1, (l->cnt - i - 1) * sizeof(*r));
			l->cnt--;
			i--;
		}
	}
	return 0;
}

static int range_ok(phys_addr_t base, u64 size)
{
	return size != 0 && base + size > base;
}

int memblock_add(phys_addr_t base, u64 size)
{
	if (!range_ok(base, size))
		return size ? -EOVERFLOW : 0;
	return list_add(&memblock.memory, base, base + size);
}

int memblock_reserve(phys_addr_t base, u64 size)
{
	if (!range_ok(base, size))
		return size ? -EOVERFLOW : 0;
	return list_add(&memblock.reserved, base, base + size);
}

int memblock_unreserve(phys_addr_t base, u64 size)
{
	if (!range_ok(base, size))
		return size ? -EOVERFLOW : 0;
	return list_remove(&memblock.reserved, base, base + size);
}

void memblock_reserve_table(const struct memblock_region *r, u64 n)
{
	memblock.extra = r;
	memblock.nr_extra = n;
}

/* The first extra range that ends after base, or NULL. */
static const struct memblock_region *extra_after(phys_addr_t base)
{
	u64 lo = 0, hi = memblock.nr_extra;

	while (lo < hi) {
		u64 mid = lo + (hi - lo) / 2;

		if (memblock.extra[mid].base + memblock.extra[mid].size <= base)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < memblock.nr_extra ? &memblock.extra[lo] : NULL;
}

/* The extra range overlapping [base, base + size) that ends last, or NULL. */
static const struct memblock_region *extra_overlap(phys_addr_t base, u64 size)
{
	const struct memblock_region *r = extra_after(base), *hit = NULL;

	for (; r && r < memblock.extra + memblock.nr_extra && r->base < base + size; r++)
		hit = r;
	return hit;
}

void memblock_set_alloc_limits(phys_addr_t min, phys_addr_t max)
{
	memblock.alloc_min = min;
	memblock.alloc_max = max;
}

bool memblock_is_reserved(phys_addr_t base, u64 size)
{
	const struct memblock_list *l = &memblock.reserved;

	if (extra_overlap(base, size))
		return true;
	for (int i = 0; i < l->cnt; i++) {
		if (l->r[i].base < base + size && base < l->r[i].base + l->r[i].size)
			return true;
	}
	return false;
}

phys_addr_t memblock_alloc_range(u64 size, u64 align, phys_addr_t min, phys_addr_t max)
{
	const struct memblock_list *mem = &memblock.memory, *rsv = &memblock.reserved;

	if (size == 0 || align == 0 || (align & (align - 1)))
		return 0;
	min = MAX(min, memblock.alloc_min);
	max = MIN(max, memblock.alloc_max);

	/* Top-down over RAM; inside a region, step below each reserved range
	 * in the way. Address 0 is never handed out: 0 means failure. */
	for (int i = mem->cnt - 1; i >= 0; i--) {
		phys_addr_t lo = MAX(mem->r[i].base, min);
		phys_addr_t top = MIN(mem->r[i].base + mem->r[i].size, max);
		int j = rsv->cnt - 1;

		while (top > lo && top - lo >= size) {
			phys_addr_t cand = ALIGN_DOWN(top - size, align);

			if (cand < lo || cand == 0)
				break;
			const struct memblock_region *x = extra_overlap(cand, size);

			while (j >= 0 && rsv->r[j].base >= cand + size)
				j--;
			if (j >= 0 && rsv->r[j].base + rsv->r[j].size > cand) {
				top = rsv->r[j].base; /* collides: try below it */
				continue;
			}
			if (x) { /* collides with the table: below its first range */
				top = extra_after(cand)->base;
				continue;
			}
			if (memblock_reserve(cand, size) < 0)
				return 0;
			return cand;
		}
	}
	return 0;
}

phys_addr_t memblock_alloc(u64 size, u64 align)
{
	return memblock_alloc_range(size, align, 0, ~0ULL);
}

bool memblock_next_free(u64 *cursor, phys_addr_t *base, u64 *size)
{
	const struct memblock_list *mem = &memblock.memory, *rsv = &memblock.reserved;
	phys_addr_t pos = *cursor;

	for (int i = 0; i < mem->cnt; i++) {
		phys_addr_t lo = MAX(mem->r[i].base, pos);
		phys_addr_t end = mem->r[i].base + mem->r[i].size;

		while (lo < end) {
			phys_addr_t hi = end;
			bool taken = false;

			for (int j = 0; j < rsv->cnt; j++) {
				phys_addr_t rb = rsv->r[j].base, re = rb + rsv->r[j].size;

				if (re <= lo || rb >= hi)
					continue;
				if (rb <= lo) { /* lo is inside: skip past */
					lo = re;
					taken = true;
					break;
				}
				hi = rb; /* free up to this reservation */
			}
			if (taken)
				continue;
			/* ... and of the caller-kept table. */
			const struct memblock_region *x = extra_after(lo);

			if (x && x->base <= lo) {
				lo = x->base + x->size;
				continue;
			}
			if (x && x->base < hi)
				hi = x->base;
			*base = lo;
			*size = hi - lo;
			*cursor = hi;
			return true;
		}
	}
	return false;
}

static u64 list_size(const struct memblock_list *l)
{
	u64 total = 0;

	for (int i = 0; i < l->cnt; i++)
		total += l->r[i].size;
	return total;
}

u64 memblock_memory_size(void)
{
	return list_size(&memblock.memory);
}

u64 memblock_reserved_size(void)
{
	u64 total = list_size(&memblock.reserved);

	for (u64 i = 0; i < memblock.nr_extra; i++)
		total += memblock.extra[i].size;
	return total;
}

void memblock_dump(void)
{
	u64 cursor = 0, free = 0, base, size;

	for (int i = 0; i < memblock.memory.cnt; i++)
		pr_debug("memblock: ram      0x%016llx-0x%016llx",
			 (unsigned long long)memblock.memory.r[i].base,
			 (unsigned long long)(memblock.memory.r[i].base +
					      memblock.memory.r[i].size - 1));
	for (int i = 0; i < memblock.reserved.cnt; i++)
		pr_debug("memblock: reserved 0x%016llx-0x%016llx",
			 (unsigned long long)memblock.reserved.r[i].base,
			 (unsigned long long)(memblock.reserved.r[i].base +
					      memblock.reserved.r[i].size - 1));
	while (memblock_next_free(&cursor, &base, &size))
		free += size;
	pr_info("memblock: %llu KiB RAM in %d range%s, %llu KiB reserved in %d, %llu KiB free",
		(unsigned long long)(memblock_memory_size() >> 10), memblock.memory.cnt,
		memblock.memory.cnt == 1 ? "" : "s",
		(unsigned long long)(memblock_reserved_size() >> 10), memblock.reserved.cnt,
		(unsigned long long)(free >> 10));
}

/*
 * e820.c — the loader's e820 entries sorted out into what the boot FDT
 * says (linuxboot.h): RAM for /memory and what the firmware keeps for the
 * memory reservation block, as boot/efi/fdt.c does with a UEFI map.
 *
 * e820 tables are not tidy: entries come in any order, overlap (a BIOS
 * reports a reserved hole inside a RAM entry), touch, repeat, have size 0
 * or odd sizes, and a hostile one wraps past 2^64 (any entry past 2^52,
 * where x86 physical addresses end, is left out with a line). So every
 * byte gets the
 * strongest claim any entry makes on it:
 *
 *     hole (reserved, unusable, unknown)  >  firmware's RAM (ACPI 3, NVS 4)
 *                                         >  RAM (1, and 7 as UEFI counts it)
 *
 * computed over the elementary intervals between all entry boundaries:
 * RAM = bytes whose strongest claim is RAM or firmware's RAM, merged where
 * they touch, then trimmed inward to whole 4 KiB pages (a partial page is
 * not the kernel's); reserved = firmware's RAM, widened outward to whole
 * pages. Example: RAM 0-0x9fc00, reserved 0x9fc00-0xa0000, RAM 1M-512M,
 * reserved 0xe0000-0x100000, ACPI 0x1ffe0000-0x20000000 inside the RAM
 * gives /memory = 0-0x9f000 and 1M-512M, and memreserve
 * 0x1ffe0000-0x20000000.
 */
#include "linuxboot.h"
#include "compiler.h"

#define PAGE 0x1000ULL
#define PHYS_END (1ULL << 52)

enum claim { NONE, RAM, FIRMWARE, HOLE };

/* Physical addresses end at 2^52 on x86 (MAXPHYADDR); an entry past that
 * (or past 2^64) is junk, and leaving it out keeps the page arithmetic
 * below from overflowing. */
static bool usable(const struct boot_e820_entry *e)
{
	return e->addr < PHYS_END && e->size <= PHYS_END - e->addr;
}

static enum claim claim_of(u32 type)
{
	switch (type) {
	case E820_TYPE_RAM:
	case E820_TYPE_PMEM:
		return RAM;
	case E820_TYPE_ACPI:
	case E820_TYPE_NVS:
		return FIRMWARE;
	}
	return HOLE;
}

/* Append [base, end) to list, merged with its last range when they touch
 * or overlap (appends come in address order). */
static bool append(struct lb_range *list, int *n, u64 base, u64 end)
{
	if (*n && list[*n - 1].base + list[*n - 1].size >= base) {
		struct lb_range *last = &list[*n - 1];

		if (end > last->base + last->size)
			last->size = end - last->base;
		return true;
	}
	if (*n == LB_MAX_RANGES)
		return false;
	list[(*n)++] = (struct lb_range){ base, end - base };
	return true;
}

bool e820_sort_out(const struct boot_e820_entry *e, int n, struct lb_info *out)
{
	static u64 pts[2 * LB_MAX_E820];
	static struct lb_range ram[LB_MAX_RANGES];
	int np = 0, nram = 0;

	out->nr_ram = out->nr_resv = 0;
	if (n > LB_MAX_E820)
		n = LB_MAX_E820;
	for (int i = 0; i < n; i++) {
		if (e[i].size == 0)
			continue;
		if (!usable(&e[i])) {
			lb_note("e820: entry %d (type %u, 0x%llx + 0x%llx) runs past 2^52, where no x86 "
				"memory is: ignored",
				i, e[i].type, (unsigned long long)e[i].addr,
				(unsigned long long)e[i].size);
			continue;
		}
		pts[np++] = e[i].addr;
		pts[np++] = e[i].addr + e[i].size;
	}
	/* Sort the boundaries (insertion sort: at most 1024) and drop repeats. */
	for (int i = 1; i < np; i++) {
		u64 v = pts[i];
		int j = i;

		for (; j > 0 && pts[j - 1] > v; j--)
			pts[j] = pts[j - 1];
		pts[j] = v;
	}
	{
		int k = 0;

		for (int i = 0; i < np; i++)
			if (k == 0 || pts[k - 1] != pts[i])
				pts[k++] = pts[i];
		np = k;
	}

	for (int k = 0; k + 1 < np; k++) {
		u64 a = pts[k], b = pts[k + 1];
		enum claim c = NONE;

		for (int i = 0; i < n; i++) {
			if (e[i].size == 0 || !usable(&e[i]))
				continue;
			if (e[i].addr <= a && e[i].addr + e[i].size >= b)
				c = MAX(c, claim_of(e[i].type));
		}
		if ((c == RAM || c == FIRMWARE) && !append(ram, &nram, a, b))
			goto full;
		if (c == FIRMWARE &&
		    !append(out->resv, &out->nr_resv, ALIGN_DOWN(a, PAGE), ALIGN_UP(b, PAGE)))
			goto full;
	}
	for (int i = 0; i < nram; i++) {
		u64 base = ALIGN_UP(ram[i].base, PAGE),
		    end = ALIGN_DOWN(ram[i].base + ram[i].size, PAGE);

		if (end <= base)
			continue;
		out->ram[out->nr_ram++] = (struct lb_range){ base, end - base };
	}
	return true;
full:
	lb_note("e820: the map has more than %d separate ranges, more than Baton takes; it is "
		"refused",
		LB_MAX_RANGES);
	return false;
}

const char *e820_use(const struct boot_e820_entry *e, int n, struct lb_info *out)
{
	if (!e820_sort_out(e, n, out))
		return "the memory map has more ranges than Baton takes";
	if (out->nr_ram == 0)
		return "the memory map has no RAM in it";
	return NULL;
}

/*
 * place.c — where the kernel and its boot FDT go (place_kernel,
 * linuxboot.h). The kernel must start on a 2 MiB boundary below 4 GiB
 * (its first page tables, arch/x86_64/entry.S, map 2 MiB pages of the low
 * 4 GiB), its FDT follows it, and neither may land on anything the loader
 * put in memory for us (struct lb_info.busy: the boot_params, the command
 * line, the initrd, setup_data, KHO's FDT and scratch array).
 *
 * Usually the slot is in our own window: a loader that honours
 * kernel_alignment puts us on a 2 MiB boundary, so the slot is 2 MiB in,
 * and init_size counts it (bzimage.ld). When that slot is not below 4 GiB
 * (a 64-bit loader put us higher) or something is in it, the lowest slot
 * of RAM that is clear of the whole window and of the loader's ranges is
 * taken, from 2 MiB up; on a KHO boot only KHO scratch will do, because
 * any other RAM may hold memory the last kernel preserved.
 */
#include "linuxboot.h"
#include "compiler.h"

#define SZ_2M 0x200000ULL

static bool overlaps(u64 a, u64 an, u64 b, u64 bn)
{
	return a < b + bn && b < a + an;
}

static bool clear_of_loader(const struct lb_info *info, u64 s, u64 need)
{
	for (int i = 0; i < info->nr_busy; i++)
		if (overlaps(s, need, info->busy[i].base, info->busy[i].size))
			return false;
	return true;
}

/* The lowest 2 MiB slot of need bytes in [base, base + size), below 4 GiB,
 * clear of the window and the loader's ranges; 0 if none. */
static u64 lowest_in(const struct lb_info *info, u64 base, u64 size, u64 need, u64 win,
		     u64 win_size)
{
	u64 end = base + size < base ? ~0ULL : base + size;

	if (end > LB_4G)
		end = LB_4G;
	for (u64 s = ALIGN_UP(MAX(base, SZ_2M), SZ_2M); s < end && need <= end - s; s += SZ_2M)
		if (!overlaps(s, need, win, win_size) && clear_of_loader(info, s, need))
			return s;
	return 0;
}

u64 place_kernel(const struct lb_info *info, u64 win, u64 win_file, u64 win_work, u64 win_size,
		 u64 span)
{
	u64 need = ALIGN_UP(span, 0x1000ULL) + LB_FDT_SIZE;
	u64 s = ALIGN_UP(win + win_file, SZ_2M), best = 0;

	if (s + need <= win + win_work && s + need <= LB_4G && clear_of_loader(info, s, need))
		return s;
	for (int i = 0; i < info->nr_ram; i++) {
		const struct lb_range *r = &info->ram[i];

		if (!info->kho) {
			s = lowest_in(info, r->base, r->size, need, win, win_size);
			if (s)
				return s;
			continue;
		}
		/* A KHO boot: RAM that is also scratch. */
		for (int j = 0; j < info->nr_scratch; j++) {
			const struct lb_range *c = &info->scratch[j];
			u64 b = MAX(r->base, c->base);
			u64 e = MIN(r->base + r->size, c->base + c->size);

			if (e > b && (s = lowest_in(info, b, e - b, need, win, win_size)) &&
			    (!best || s < best))
				best = s;
		}
		if (best)
			return best;
	}
	return 0;
}

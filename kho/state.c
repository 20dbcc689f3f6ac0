/*
 * state.c — what both sides of KHO share: struct kho_state (kho_internal.h),
 * and the questions about it that the outgoing side (preserve.c,
 * serialize.c, slab_out.c, metadata_out.c) and the incoming side
 * (validate.c, restore.c, slab_in.c, metadata_in.c) both ask: where
 * scratch is, and whether this is a KHO boot. It calls neither side.
 */
#include "kho.h"
#include "kho_internal.h"

struct kho_state kho;

/* Scratch holds the next kernel, which must be below the arch's kexec
 * limit; the kernel sets it (arch_kexec_max_phys), the host tests keep
 * the default. */
phys_addr_t kho_scratch_limit = ~0ULL;

bool kho_in_scratch(phys_addr_t base, u64 size)
{
	for (int i = 0; i < kho.nr_scratch; i++) {
		if (base < kho.scratch[i].addr + kho.scratch[i].size &&
		    kho.scratch[i].addr < base + size)
			return true;
	}
	return false;
}

bool kho_in_scratch_whole(phys_addr_t base, u64 size)
{
	for (int i = 0; i < kho.nr_scratch; i++) {
		if (base >= kho.scratch[i].addr && base + size >= base &&
		    base + size <= kho.scratch[i].addr + kho.scratch[i].size)
			return true;
	}
	return false;
}

int kho_scratch_areas(const struct kho_scratch **areas)
{
	*areas = kho.scratch;
	return kho.nr_scratch;
}

bool kho_is_kho_boot(void)
{
	return kho.in_fdt != 0;
}

/*
 * boot.c — a generation's start: kho_boot reads what the last kernel
 * handed over (kho_scan, validate.c) and reserves scratch on a cold boot;
 * kho_reset forgets everything, both sides (the host tests start each
 * generation with it). It sits above both the outgoing and the incoming
 * side and calls both (as vmalloc.c does); neither calls it.
 */
#include "kho.h"
#include "kho_internal.h"
#include "cmdline.h"
#include "arch/kexec.h"
#include "memblock.h"
#include "kstring.h"
#include "printk.h"

void kho_reset(void)
{
	memset(&kho, 0, sizeof(kho));
	kho_serialize_reset();
	kho_metadata_reset();
	kho_slab_out_reset();
	kho_slab_in_reset();
}

static u64 scratch_size = KHO_SCRATCH_DEFAULT;
static bool scratch_given, scratch_for_linux;

static int set_scratch_size(const char *val)
{
	u64 v;

	if (cmdline_parse_u64(val, &v) < 0 || v < MiB(2) || v > GiB(64))
		return -EINVAL;
	scratch_size = v;
	scratch_given = true;
	return 0;
}

void kho_scratch_for_linux(void)
{
	scratch_for_linux = true;
}

/* Scratch for a Linux next: before its page allocator starts, Linux takes
 * every early allocation from scratch, its memmap (64 bytes per 4 KiB
 * page, RAM / 64) first, and its image lands there too: twice the
 * memmap, plus 32 MiB. */
static u64 linux_scratch_size(void)
{
	return ALIGN_UP(memblock_memory_size() / 32 + MiB(32), MiB(2));
}
CMDLINE_PARAM("kho_scratch", set_scratch_size, "KHO scratch size, e.g. 64M (2M..64G)");

void kho_boot(const void *boot_fdt)
{
	kho_scratch_limit = arch_kexec_max_phys;
	kho_scan(boot_fdt);
	if (!kho_is_kho_boot() && scratch_for_linux && !scratch_given &&
	    linux_scratch_size() > scratch_size) {
		scratch_size = linux_scratch_size();
		pr_info("kho: scratch sized for a Linux next: %llu MiB (kho_scratch= overrides)",
			(unsigned long long)(scratch_size >> 20));
	}
	if (!kho_is_kho_boot() && kho_scratch_reserve(scratch_size) < 0)
		pr_warn("kho: no scratch: this kernel cannot hand over memory");
}

int kho_scratch_reserve(u64 size)
{
	phys_addr_t base;

	if (kho.nr_scratch) /* a KHO boot: the handed-over areas are reused */
		return 0;
	size = ALIGN_UP(size, MiB(2));
	base = memblock_alloc_range(size, MiB(2), 0, kho_scratch_limit);
	if (!base) {
		pr_err("kho: no room for %llu MiB of scratch below the limit",
		       (unsigned long long)(size >> 20));
		return -ENOMEM;
	}
	kho.scratch[0] = (struct kho_scratch){ base, size };
	kho.nr_scratch = 1;
	pr_info("kho: scratch 0x%llx-0x%llx (%llu MiB)", (unsigned long long)base,
		(unsigned long long)(base + size - 1), (unsigned long long)(size >> 20));
	return 0;
}

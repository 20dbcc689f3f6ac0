/*
 * preserve.c — the outgoing side of KHO: scratch, and the preserve and
 * unpreserve calls, which set and clear bits in the radix tree
 * (kho/radix.c). Nothing is copied: preserved memory stays where it is.
 */
#include "kho.h"
#include "kho_internal.h"
#include "buddy.h"
#include "cmdline.h"
#include "arch/counter.h"
#include "arch/kexec.h"
#include "folio.h"
#include "memblock.h"
#include "kstring.h"
#include "printk.h"

struct kho_state kho;

/* Scratch holds the next kernel, which must be below the arch's kexec
 * limit; the kernel sets it (arch_kexec_max_phys), the host tests keep
 * the default. */
phys_addr_t kho_scratch_limit = ~0ULL;

void kho_reset(void)
{
	memset(&kho, 0, sizeof(kho));
	kho_serialize_reset();
	kho_metadata_reset();
	kho_slab_reset();
}

static u64 scratch_size = KHO_SCRATCH_DEFAULT;
static bool scratch_given, scratch_for_linux;

static int set_scratch_size(const char *val)
{
	u64 v;

	if (cmdline_parse_u64(val, &v) < 0 || v < MiB(2) || v > GiB(64))
		return -1;
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

u64 kho_scan_started, kho_scan_ticks;

void kho_boot(const void *boot_fdt)
{
	kho_scratch_limit = arch_kexec_max_phys;
	kho_scan_started = arch_counter_read();
	kho_scan(boot_fdt);
	kho_scan_ticks = arch_counter_read() - kho_scan_started;
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
		pr_err("kho: no room for %llu MiB of scratch", (unsigned long long)(size >> 20));
		return -KHO_ENOMEM;
	}
	kho.scratch[0] = (struct kho_scratch){ base, size };
	kho.nr_scratch = 1;
	pr_info("kho: scratch 0x%llx-0x%llx (%llu MiB)", (unsigned long long)base,
		(unsigned long long)(base + size - 1), (unsigned long long)(size >> 20));
	return 0;
}

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

/* One aligned block, already checked to be the allocator's. */
static int preserve_block(u64 pfn, unsigned order)
{
	phys_addr_t pa = pfn << PAGE_SHIFT;

	if (kho_in_scratch(pa, PAGE_SIZE << order)) {
		pr_err("kho: refused to preserve 0x%llx order %u: it is inside scratch",
		       (unsigned long long)pa, order);
		return -KHO_EINVAL;
	}
	return kho_radix_set(&kho.tree, pa, order);
}

int kho_preserve_folio(struct folio *f)
{
	if (!f || page_folio(f->page) != f)
		return -KHO_EINVAL;
	return preserve_block(folio_pfn(f), folio_order(f));
}

int kho_unpreserve_folio(struct folio *f)
{
	return kho_radix_clear(&kho.tree, folio_pfn(f) << PAGE_SHIFT, folio_order(f));
}

static bool allocated(u64 pfn, u64 nr)
{
	for (u64 i = 0; i < nr; i++) {
		enum memdesc_type t;

		if (!pfn_valid(pfn + i))
			return false;
		t = memdesc_type(pfn_to_page(pfn + i)->memdesc);
		if (t == MEMDESC_FREE || t == MEMDESC_FREE_TAIL || t == MEMDESC_RESERVED ||
		    t == MEMDESC_PRESERVED)
			return false;
	}
	return true;
}

int kho_preserve_pages(struct page *page, u64 nr_pages)
{
	u64 pfn, end, done;
	int err = 0;

	if (!page || !nr_pages || !allocated(page_to_pfn(page), nr_pages)) {
		pr_err("kho: refused to preserve pages that are not allocated");
		return -KHO_EINVAL;
	}
	pfn = page_to_pfn(page);
	end = pfn + nr_pages;
	for (done = pfn; done < end; done += 1UL << kho_run_order(done, end)) {
		err = preserve_block(done, kho_run_order(done, end));
		if (err)
			break;
	}
	if (err) /* undo what was set: all or nothing */
		for (u64 p = pfn; p < done; p += 1UL << kho_run_order(p, end))
			kho_radix_clear(&kho.tree, p << PAGE_SHIFT, kho_run_order(p, end));
	return err;
}

int kho_unpreserve_pages(struct page *page, u64 nr_pages)
{
	u64 pfn = page_to_pfn(page), end = pfn + nr_pages;
	int err = 0;

	for (u64 p = pfn; p < end; p += 1UL << kho_run_order(p, end)) {
		if (kho_radix_clear(&kho.tree, p << PAGE_SHIFT, kho_run_order(p, end)) < 0)
			err = -KHO_ENOENT;
	}
	return err;
}

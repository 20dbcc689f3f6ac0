/*
 * kexec.c — kexec into a fresh copy of this kernel, carrying preserved
 * memory through KHO.
 *
 * The image: the loader put the kernel file it booted in /chosen/baton,image
 * (x86-64's EFI loader), or the arch kept a copy of its own (arm64's head.S
 * copies the Image at entry); kexec_init keeps it in a folio (restoring it
 * when the last generation preserved it), so every generation has the
 * pristine file, whoever loaded the first.
 *
 * kexec() places the next kernel in scratch: a 2 MiB-aligned slot that
 * overlaps neither this kernel's image nor its boot FDT (from the second
 * generation on, both live in scratch too), then the new boot FDT right
 * after it: this one, with /chosen's KHO properties removed and written
 * anew (a stale copy broke Linux's second kexec once), baton,image and
 * baton,generation. Everything else in scratch is dead by then (the early
 * KHO tables of this boot), and scratch is not the page allocator's, so the
 * copy can happen before the jump and the arch only has to enter the image.
 */
#include "kexec.h"
#include "kexec_damage.h"
#include "bootfdt.h"
#include "buddy.h"
#include "cmdline.h"
#include "folio.h"
#include "kernel.h"
#include "kho.h"
#include "kho_test.h"
#include "kstring.h"
#include "ktest.h"
#include "printk.h"
#include "arch/counter.h"
#include "arch/cpu.h"
#include "arch/kexec.h"
#include "arch/mmu.h"
#include <libfdt.h>

#define FDT_SLACK (16 * 1024) /* room for the properties kexec adds */

/*
 * Handover timings, in CPU counter ticks (the counter runs on across
 * kexec): the outgoing kernel measures preserve and serialize and notes the
 * counter at the jump in /chosen/baton,kexec-timing = <u64 preserve,
 * serialize, jump_at>; the incoming one adds the jump (to kernel_main),
 * early boot (to the KHO scan), validate (the scan) and restore.
 */
static u64 t_preserve, t_serialize, t_prev[3];

static struct folio *image;
static u64 image_size;
static u64 generation;
static u64 chain_length;

static int set_chain(const char *val)
{
	return cmdline_parse_u64(val, &chain_length);
}
CMDLINE_PARAM("kexec.chain", set_chain, "kexec this many generations, then stop");

u64 kexec_generation(void)
{
	return generation;
}

u64 kexec_chain_length(void)
{
	return chain_length;
}

u64 kexec_image_pages(void)
{
	return image ? folio_nr_pages(image) : 0;
}

void kexec_init(const void *fdt)
{
	struct mem_range r, handover;
	unsigned order = 0;

	bootfdt_chosen_u64(fdt, "baton,generation", &generation);
	{
		int chosen = fdt_path_offset(fdt, "/chosen"), len;
		const fdt64_t *t = chosen >= 0 ? fdt_getprop(fdt, chosen, "baton,kexec-timing", &len)
					       : NULL;

		if (t && len == 3 * 8)
			for (int i = 0; i < 3; i++)
				t_prev[i] = fdt64_to_cpu(t[i]);
	}
	if (!bootfdt_chosen_range(fdt, "baton,image", &r) &&
	    !arch_kexec_own_image(&r.base, &r.size)) {
		pr_warn("kexec: no /chosen/baton,image: this kernel cannot kexec");
		return;
	}
	if (kho_is_kho_boot()) {
		image = kho_restore_folio(r.base);
	} else if (bootfdt_chosen_range(fdt, KHO_CHOSEN_FDT, &handover)) {
		/* A handover was refused: its memory, the image copy with it,
		 * was not kept. */
		pr_warn("kexec: the image copy went with the refused handover");
		return;
	}
	if (!image) { /* a cold boot: copy the loader's file into a folio */
		while ((PAGE_SIZE << order) < r.size && order < MAX_ORDER)
			order++;
		image = (PAGE_SIZE << order) >= r.size ? folio_alloc(GFP_KERNEL, order) : NULL;
		if (!image || !arch_map_early(r.base, r.size)) {
			pr_err("kexec: cannot keep the %llu-byte image copy", (unsigned long long)r.size);
			return;
		}
		memcpy(folio_address(image), phys_to_virt(r.base), r.size);
	}
	image_size = r.size;
	pr_info("kexec: generation %llu; image copy %llu KiB at 0x%llx", (unsigned long long)generation,
		(unsigned long long)(image_size >> 10), (unsigned long long)(folio_pfn(image) << PAGE_SHIFT));
}

static bool overlaps(u64 a, u64 an, u64 b, u64 bn)
{
	return a < b + bn && b < a + an;
}

/* A 2 MiB-aligned slot of need bytes in a scratch area, clear of this
 * kernel's image and boot FDT; 0 if there is none. */
static phys_addr_t find_slot(u64 need)
{
	const struct kho_scratch *areas;
	int n = kho_scratch_areas(&areas);
	phys_addr_t img = arch_image_phys_base(), fdt = virt_to_phys(boot_fdt);
	u64 img_size = (u64)(_kernel_end - _kernel_start), fdt_size = fdt_totalsize(boot_fdt);

	for (int i = 0; i < n; i++) {
		for (phys_addr_t s = ALIGN_UP(areas[i].addr, MiB(2));
		     s + need <= areas[i].addr + areas[i].size; s += MiB(2)) {
			if (!overlaps(s, need, img, img_size) && !overlaps(s, need, fdt, fdt_size) &&
			    s + need <= arch_kexec_max_phys && arch_map_early(s, need))
				return s;
		}
	}
	return 0;
}

static int chosen_range(void *fdt, int chosen, const char *name, u64 base, u64 size)
{
	int err = fdt_delprop(fdt, chosen, name);

	if (err && err != -FDT_ERR_NOTFOUND)
		return err;
	return fdt_appendprop_addrrange(fdt, 0, chosen, name, base, size);
}

/* The next kernel's boot FDT, at dst (size bytes). */
static int build_fdt(void *dst, u64 size, const struct kho_handover *h)
{
	int chosen, err;

	err = fdt_open_into(boot_fdt, dst, (int)size);
	if (err)
		return err;
	chosen = fdt_path_offset(dst, "/chosen");
	if (chosen < 0)
		return chosen;
	err = chosen_range(dst, chosen, KHO_CHOSEN_FDT, h->fdt, h->fdt_size);
	if (!err)
		err = chosen_range(dst, chosen, KHO_CHOSEN_SCRATCH, h->scratch, h->scratch_size);
	if (!err)
		err = chosen_range(dst, chosen, "baton,image", folio_pfn(image) << PAGE_SHIFT,
				   image_size);
	if (!err)
		err = fdt_setprop_u64(dst, chosen, "baton,generation", generation + 1);
	if (!err) {
		fdt64_t t[3] = { cpu_to_fdt64(t_preserve), cpu_to_fdt64(t_serialize),
				 cpu_to_fdt64(arch_counter_read()) };

		err = fdt_setprop(dst, chosen, "baton,kexec-timing", t, sizeof(t));
	}
	if (!err)
		err = fdt_pack(dst);
	return err;
}

void kexec(void)
{
	struct kexec_layout l;
	struct kho_handover h;
	phys_addr_t slot, fdt_pa;
	u64 fdt_size, need, t;
	const char *why;
	int err;

	if (!image) {
		pr_err("kexec: no image to kexec into");
		return;
	}
	why = arch_kexec_image_check(folio_address(image), image_size, &l);
	if (why) {
		pr_err("kexec: the image copy is unusable: %s", why);
		return;
	}
	fdt_size = fdt_totalsize(boot_fdt) + FDT_SLACK;
	need = ALIGN_UP(l.span, PAGE_SIZE) + fdt_size;
	slot = find_slot(need);
	if (!slot) {
		pr_err("kexec: no room for %llu KiB in scratch (kho_scratch= sets its size)",
		       (unsigned long long)(need >> 10));
		return;
	}
	err = kho_preserve_folio(image);
	if (err && err != -KHO_EEXIST) {
		pr_err("kexec: cannot preserve the image copy (%d)", err);
		return;
	}
	t = arch_counter_read();
	if (kho_serialize(&h) < 0) {
		pr_err("kexec: KHO could not serialize");
		return;
	}
	t_serialize = arch_counter_read() - t;
	fdt_pa = slot + ALIGN_UP(l.span, PAGE_SIZE);
	err = build_fdt(phys_to_virt(fdt_pa), fdt_size, &h);
	if (err) {
		pr_err("kexec: building the next boot FDT: %s", fdt_strerror(err));
		return;
	}
	arch_kexec_image_place(folio_address(image), image_size, phys_to_virt(slot), &l);
	if (kexec_damage_armed()) { /* fault injection for the boot tests only */
		struct kexec_damage_target d = {
			&h, phys_to_virt(fdt_pa), slot + l.entry_off,
			folio_pfn(image) << PAGE_SHIFT, folio_order(image),
		};

		kexec_damage(&d);
	}
	pr_info("kexec: generation %llu -> %llu: image at 0x%llx, FDT at 0x%llx, entering",
		(unsigned long long)generation, (unsigned long long)generation + 1,
		(unsigned long long)slot + l.entry_off, (unsigned long long)fdt_pa);
	arch_kexec_jump(slot + l.entry_off, fdt_pa, slot, fdt_pa + fdt_size - slot);
}

void kexec_chain_restore(void)
{
	/* The KHO self-test client: restore and check what the last
	 * generation left (and, at the end, that nothing leaked). */
	if (chain_length)
		ktest_run_one("kho_chain", "restore", boot_fdt);
}

/* One step of a kexec chain, reported like a self-test: kexec() returns
 * only when it could not kexec, and then the step fails, so a chain asked
 * of a kernel that cannot kexec fails its boot test instead of ending
 * quietly. */
KTEST_ON_DEMAND(kexec, chain_step)
{
	u64 start = arch_counter_read();

	if (kho_test_preserve() < 0)
		ktest_fail(t, "the KHO self-test could not preserve its set");
	t_preserve = arch_counter_read() - start;
	kexec();
	ktest_fail(t, "generation %llu could not kexec (the reason is above)",
		   (unsigned long long)generation);
}

void kexec_chain_step(void)
{
	if (!chain_length)
		return;
	if (generation >= chain_length) {
		pr_info("kexec: chain of %llu generations done", (unsigned long long)chain_length);
		return;
	}
	ktest_run_one("kexec", "chain_step", boot_fdt);
}

static u64 us(u64 ticks)
{
	u64 f = arch_counter_freq();

	return f ? ticks * 1000000 / f : 0;
}

void kexec_report_timings(u64 restore_ticks)
{
	if (!generation || !t_prev[2])
		return;
	pr_info("kexec: handover %llu -> %llu took: preserve %llu us, serialize %llu us, jump %llu us, "
		"early boot %llu us, validate %llu us, restore %llu us",
		(unsigned long long)generation - 1, (unsigned long long)generation,
		(unsigned long long)us(t_prev[0]), (unsigned long long)us(t_prev[1]),
		(unsigned long long)us(boot_counter_start - t_prev[2]),
		(unsigned long long)us(kho_scan_started - boot_counter_start),
		(unsigned long long)us(kho_scan_ticks), (unsigned long long)us(restore_ticks));
}

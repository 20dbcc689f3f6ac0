/*
 * kexec.c — kexec into a fresh copy of this kernel, carrying preserved
 * memory through KHO.
 *
 * The image: the loader put the kernel file it booted in /chosen/baton,image
 * (x86-64's EFI loader and bzImage front end; baton,loader-image when the
 * boot carries another kernel's handover), or the arch kept a copy of its own (arm64's head.S
 * copies the Image at entry); kexec_init keeps it in a folio (restoring it
 * when the last generation preserved it), so every generation has the
 * pristine file, whoever loaded the first.
 *
 * kexec() places the next kernel in scratch: a 2 MiB-aligned slot that
 * overlaps neither this kernel's image nor its boot FDT (from the second
 * generation on, both live in scratch too), then the new boot FDT right
 * after it: this one, with /chosen's KHO properties removed and written
 * anew (a stale copy broke Linux's second kexec once), a fresh rng-seed
 * (random.h), baton,image, baton,generation, the counter's frequency and
 * the handover's timeline
 * (kexec_timing.c: kexec marks its own phases, and fills the timeline in
 * once the image is in place). Everything else in scratch is dead by then
 * (the early KHO tables of this boot), and scratch is not the page
 * allocator's, so the copy can happen before the jump and the arch only
 * has to enter the image.
 *
 * Another kernel: with kexec.then=initrd, the generation that ends the
 * chain kexecs the kernel its first loader handed over as the initrd (a
 * Linux Image, say) instead of powering off, through the same code: the
 * file is kept in a vmalloc area (a distribution's kernel is tens of MiB)
 * and preserved across the chain, its descriptor in
 * /chosen/baton,then-image; its boot FDT is this one with the initrd and
 * Baton's own properties taken out and kexec.then.bootargs as its command
 * line. What goes with it is what that kernel can read: KHO, and what the
 * caller preserved (ktest/kexec_chain.c hands on a Linux test_kho set).
 *
 * Secure Boot: when the EFI loader says the firmware verified the signed
 * image the kernel and its command line came from (/chosen/baton,secure-boot,
 * include/secureboot.h), every generation says so, and the property rides
 * along in /chosen: kexec enters nothing but the copy of that image. It is
 * dropped for the kexec.then kernel, which nobody verified.
 *
 * A kexec that cannot be made (no slot, a preserve or serialize out of
 * memory, a boot FDT that does not fit; kho.fail= injects each on purpose)
 * is called off whole: the handover dropped, Baton's files unpreserved,
 * one line said (kexec_call_off), and kexec() returns, free to be called
 * again; what callers preserved stays preserved.
 *
 * Who calls: ktest/kexec_chain.c drives a chain (kexec.chain=N); this file
 * knows nothing of its clients.
 */
#include "kexec.h"
#include "kexec_damage.h"
#include "kexec_timing.h"
#include "bootfdt.h"
#include "buddy.h"
#include "cmdline.h"
#include "folio.h"
#include "kernel.h"
#include "kho.h"
#include "kho/handover.h"
#include "kstring.h"
#include "oldlog.h"
#include "page.h"
#include "printk.h"
#include "random.h"
#include "secureboot.h"
#include "vmalloc.h"
#include "arch/counter.h"
#include "arch/cpu.h"
#include "arch/kexec.h"
#include "arch/mmu.h"
#include <libfdt.h>

#define FDT_SLACK (16 * 1024) /* room for the properties kexec adds */

/* A kernel file kept whole for a later kexec: data, size bytes. Baton's
 * own image copy is a folio (validation rule 16 checks it); kexec.then's
 * kernel, which may be tens of MiB (a distribution's Image), is a vmalloc
 * area, handed on as a struct kho_vmalloc. */
struct kept_file {
	struct folio *folio; /* the image copy */
	void *data;
	u64 size;
};

static struct kept_file image; /* this kernel's own file */
static struct kept_file then;  /* kexec.then's kernel, once the chain is done */

/* /chosen/baton,then-image: the vmalloc descriptor, then the file's size. */
struct then_prop {
	struct kho_vmalloc area;
	u64 size;
};
static struct then_prop then_out;
/* Folio pages the then area's bookkeeping takes (a large page array comes
 * from kmalloc, as folios), measured when the area is made. */
static u64 then_folio_pages;

static u64 folio_pages_now(void)
{
	u64 count[16];

	memdesc_census(count);
	return count[MEMDESC_FOLIO];
}
static u64 generation;
static u64 chain_length;
/* The next generation's command line when it is not this one's
 * (kexec_set_bootargs: the shell's `kexec BOOTARGS`). */
static char next_bootargs[CMDLINE_MAX];
static bool next_bootargs_set;
static bool then_initrd;
static char then_bootargs[CMDLINE_MAX];

static int set_chain(const char *val)
{
	return cmdline_parse_u64(val, &chain_length);
}
CMDLINE_PARAM("kexec.chain", set_chain, "kexec this many generations, then stop");

static int set_then(const char *val)
{
	if (!val || strcmp(val, "initrd") != 0)
		return -EINVAL;
	then_initrd = true;
	kho_scratch_for_linux();
	return 0;
}
CMDLINE_PARAM("kexec.then", set_then,
	      "initrd: when the chain is done, kexec the kernel the loader gave as the initrd");

static int set_then_bootargs(const char *val)
{
	if (!val || strlen(val) >= sizeof(then_bootargs))
		return -EINVAL;
	memcpy(then_bootargs, val, strlen(val) + 1);
	return 0;
}
CMDLINE_PARAM("kexec.then.bootargs", set_then_bootargs,
	      "the command line of kexec.then's kernel (quote it: \"kho=on ...\")");

int kexec_set_bootargs(const char *bootargs)
{
	next_bootargs_set = bootargs != NULL;
	if (!bootargs)
		return 0;
	if (strlen(bootargs) >= sizeof(next_bootargs)) {
		next_bootargs_set = false;
		return -E2BIG;
	}
	memcpy(next_bootargs, bootargs, strlen(bootargs) + 1);
	return 0;
}

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
	return (image.folio ? folio_nr_pages(image.folio) : 0) + then_folio_pages;
}

bool kexec_will_kexec(void)
{
	return generation < chain_length || (then_initrd && then.data);
}

/* Keep the file at r in *k: restored, when the last generation preserved
 * it (a KHO boot), else copied into a new folio. 0, or the code of what
 * went wrong (said in the log); k is left empty then. */
static int keep_file(const char *what, struct mem_range r, bool preserved, struct kept_file *k)
{
	if (preserved) {
		k->folio = kho_restore_folio(r.base);
		if (!k->folio) {
			pr_err("kexec: the %s was not handed over as a folio; it is not kept, and cannot be kexec'd",
			       what);
			return -ENOENT;
		}
	} else {
		unsigned order = 0;

		while ((PAGE_SIZE << order) < r.size && order < MAX_ORDER)
			order++;
		k->folio = (PAGE_SIZE << order) >= r.size ? folio_alloc(GFP_KERNEL, order) : NULL;
		if (!k->folio || !arch_map_early(r.base, r.size)) {
			pr_err("kexec: cannot keep the %llu-byte %s (no memory for a copy); it cannot be kexec'd",
			       (unsigned long long)r.size, what);
			if (k->folio)
				folio_put(k->folio);
			k->folio = NULL;
			return -ENOMEM;
		}
		memcpy(folio_address(k->folio), phys_to_virt(r.base), r.size);
	}
	if (r.size > folio_size(k->folio)) {
		pr_err("kexec: the %s (%llu bytes) is larger than its folio; it is not kept, and cannot be kexec'd",
		       what, (unsigned long long)r.size);
		folio_put(k->folio);
		k->folio = NULL;
		return -E2BIG;
	}
	k->data = folio_address(k->folio);
	k->size = r.size;
	return 0;
}

/* kexec.then=initrd: the initrd, copied into a vmalloc area, or, after a
 * kexec of the chain, the area the last generation handed on (restored:
 * kho_restore_vmalloc checks the chain; the size must fit in it). */
static void keep_then(const void *fdt)
{
	int chosen = bootfdt_chosen(fdt), len;
	const struct then_prop *p =
		chosen >= 0 && kho_is_kho_boot()
			? fdt_getprop(fdt, chosen, BATON_CHOSEN_THEN_IMAGE, &len)
			: NULL;
	struct then_prop in;
	struct mem_range r;
	u64 before = folio_pages_now();

	if (p) {
		if (len != sizeof(in)) {
			pr_err("kexec: /chosen/baton,then-image is %d bytes, not %zu; no kexec.then kernel",
			       len, sizeof(in));
			return;
		}
		memcpy(&in, p, sizeof(in));
		then.data = kho_restore_vmalloc(&in.area);
		if (then.data && (!in.size || in.size > (u64)in.area.total_pages * PAGE_SIZE)) {
			pr_err("kexec: the kexec.then kernel's size %llu does not fit its %u pages; it is dropped",
			       (unsigned long long)in.size, in.area.total_pages);
			vfree(then.data);
			then.data = NULL;
		}
		then.size = then.data ? in.size : 0;
	} else if (bootfdt_initrd(fdt, &r)) {
		then.data = arch_map_early(r.base, r.size) ? vmalloc(r.size) : NULL;
		if (!then.data) {
			pr_err("kexec: cannot keep the %llu-byte initrd for kexec.then (no memory); no kexec.then kernel",
			       (unsigned long long)r.size);
			return;
		}
		memcpy(then.data, phys_to_virt(r.base), r.size);
		then.size = r.size;
		pr_info("kexec: kept the initrd (%llu KiB) to kexec when the chain is done",
			(unsigned long long)(r.size >> 10));
	} else {
		pr_err("kexec: kexec.then=initrd, but the loader handed over no initrd; no kexec.then kernel");
	}
	then_folio_pages = folio_pages_now() - before;
}

void kexec_init(const void *fdt)
{
	struct mem_range r, handover;
	const char *verifier;

	kho_metadata_take();
	bootfdt_chosen_u64(fdt, BATON_CHOSEN_GENERATION, &generation);
	oldlog_restore(generation); /* the earlier generations' logs */
	kexec_timing_take(fdt);
	if (then_initrd)
		keep_then(fdt);
	/* The image copy: preserved by the last Baton generation, else the
	 * loader's file or the arch's own copy. A handover that came from
	 * another kernel (no baton,image) or was refused has none. */
	if (kho_is_kho_boot() && bootfdt_chosen_range(fdt, BATON_CHOSEN_IMAGE, &r)) {
		keep_file("image copy", r, true, &image);
	} else if (bootfdt_chosen_range(fdt, KHO_CHOSEN_FDT, &handover) && !kho_is_kho_boot() &&
		   bootfdt_chosen_range(fdt, BATON_CHOSEN_IMAGE, &r)) {
		pr_warn("kexec: the image copy went with the refused handover");
		return;
	} else if (bootfdt_chosen_range(fdt, BATON_CHOSEN_IMAGE, &r) ||
		   bootfdt_chosen_range(fdt, BATON_CHOSEN_LOADER_IMAGE, &r) ||
		   arch_kexec_own_image(&r.base, &r.size)) {
		keep_file("image copy", r, false, &image);
	} else {
		pr_warn("kexec: no /chosen/baton,image: this kernel cannot kexec");
		return;
	}
	if (!image.folio)
		return;
	pr_info("kexec: generation %llu; image copy %llu KiB at 0x%llx",
		(unsigned long long)generation, (unsigned long long)(image.size >> 10),
		(unsigned long long)(folio_pfn(image.folio) << PAGE_SHIFT));
	verifier = bootfdt_chosen_string(fdt, BATON_CHOSEN_SECURE_BOOT);
	if (verifier && strcmp(verifier, BATON_SECURE_BOOT_UEFI) != 0)
		pr_warn("kexec: /chosen/%s is \"%s\", not \"%s\": ignored",
			BATON_CHOSEN_SECURE_BOOT, verifier, BATON_SECURE_BOOT_UEFI);
	else if (verifier)
		pr_info("kexec: the image copy is the one UEFI Secure Boot verified at first boot "
			"(/chosen/%s); kexec enters nothing else",
			BATON_CHOSEN_SECURE_BOOT);
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
	u64 img_size = kernel_image_size(), fdt_size = fdt_totalsize(boot_fdt);

	for (int i = 0; i < n; i++) {
		for (phys_addr_t s = ALIGN_UP(areas[i].addr, MiB(2));
		     s + need <= areas[i].addr + areas[i].size; s += MiB(2)) {
			if (!overlaps(s, need, img, img_size) &&
			    !overlaps(s, need, fdt, fdt_size) && s + need <= arch_kexec_max_phys &&
			    arch_map_early(s, need))
				return s;
		}
	}
	return 0;
}

/* Properties of this boot FDT's /chosen that only its own loader meant:
 * the next kernel gets them anew or not at all. */
static int drop_prop(void *fdt, int chosen, const char *name)
{
	int err = fdt_delprop(fdt, chosen, name);

	return err == -FDT_ERR_NOTFOUND ? 0 : err;
}

/* The initrd is not passed on: its /chosen properties go, and so does the
 * memory reservation a loader made for exactly it (Linux's kexec adds
 * one), or the next kernel would keep dead memory reserved forever. */
static int drop_initrd(void *fdt, int chosen)
{
	struct mem_range rd;
	int err = 0;

	if (bootfdt_initrd_at(fdt, chosen, &rd)) {
		for (int i = fdt_num_mem_rsv(fdt) - 1; i >= 0 && !err; i--) {
			u64 base, size;

			if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0 && base == rd.base &&
			    size == rd.size)
				err = fdt_del_mem_rsv(fdt, i);
		}
	}
	if (!err)
		err = drop_prop(fdt, chosen, "linux,initrd-start");
	if (!err)
		err = drop_prop(fdt, chosen, "linux,initrd-end");
	return err;
}

/* The next kernel's boot FDT, at dst (size bytes): this one with a new
 * handover in /chosen. Baton's next generation also gets its image copy,
 * the kexec.then kernel, its number, the counter's frequency and room for
 * the timeline (*timing: the property's value, which
 * kexec_timing_hand_over fills); another kernel gets kexec.then.bootargs
 * and neither Baton's properties nor the initrd. */
static int build_fdt(void *dst, u64 size, const struct kho_handover *h, bool foreign, void **timing)
{
	int chosen, err;

	u64 used = bootfdt_content_size(boot_fdt);

	/* libfdt copies the whole totalsize, free space and all (1 MiB for
	 * QEMU's arm64 tree): copy only what is used, then open it in place. */
	if (used && used < fdt_totalsize(boot_fdt) && used <= size) {
		memcpy(dst, boot_fdt, used);
		fdt_set_totalsize(dst, (u32)used);
		err = fdt_open_into(dst, dst, (int)size);
	} else {
		err = fdt_open_into(boot_fdt, dst, (int)size);
	}
	if (err)
		return err;
	/* The copy's /chosen is where the boot FDT's is (offsets count from
	 * the structure block, which the copy keeps): found once, not by a
	 * walk of the tree for each property. */
	chosen = bootfdt_chosen(boot_fdt);
	if (chosen >= 0) {
		const char *name = fdt_get_name(dst, chosen, NULL);

		if (!name || strcmp(name, "chosen") != 0)
			chosen = fdt_path_offset(dst, "/chosen");
	}
	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(dst, 0, "chosen");
	if (chosen < 0)
		return chosen;
	err = kho_chosen_write_at(dst, chosen, h->fdt, h->fdt_size, h->scratch, h->scratch_size);
	if (!err) /* fresh entropy for the next kernel, Baton or Linux */
		err = random_fdt_seed(dst, chosen);
	if (!err)
		err = drop_initrd(dst, chosen);
	if (foreign) {
		static const char *const baton_props[] = {
			BATON_CHOSEN_IMAGE,        BATON_CHOSEN_THEN_IMAGE,
			BATON_CHOSEN_GENERATION,   BATON_CHOSEN_KEXEC_TIMING,
			BATON_CHOSEN_COUNTER_FREQ, BATON_CHOSEN_SECURE_BOOT
		};

		for (unsigned i = 0; i < ARRAY_SIZE(baton_props) && !err; i++)
			err = drop_prop(dst, chosen, baton_props[i]);
		if (!err)
			err = fdt_setprop_string(dst, chosen, "bootargs", then_bootargs);
		return err ? err : fdt_pack(dst);
	}
	if (!err)
		err = kho_chosen_set_range(dst, chosen, BATON_CHOSEN_IMAGE,
					   folio_pfn(image.folio) << PAGE_SHIFT, image.size);
	if (!err && next_bootargs_set)
		err = fdt_setprop_string(dst, chosen, "bootargs", next_bootargs);
	if (!err && then.data)
		err = fdt_setprop(dst, chosen, BATON_CHOSEN_THEN_IMAGE, &then_out,
				  sizeof(then_out));
	if (!err)
		err = fdt_setprop_u64(dst, chosen, BATON_CHOSEN_GENERATION, generation + 1);
	if (!err)
		err = fdt_setprop_u64(dst, chosen, BATON_CHOSEN_COUNTER_FREQ, arch_counter_freq());
	if (!err) {
		void *t;

		err = fdt_setprop_placeholder(dst, chosen, BATON_CHOSEN_KEXEC_TIMING,
					      KEXEC_TIMING_PROP_SIZE, &t);
		if (!err)
			memset(t, 0, KEXEC_TIMING_PROP_SIZE);
	}
	if (!err)
		err = fdt_pack(dst);
	if (!err) { /* packing moved it; chosen's offset holds */
		*timing = fdt_getprop_w(dst, chosen, BATON_CHOSEN_KEXEC_TIMING, NULL);
		if (!*timing)
			err = -FDT_ERR_INTERNAL;
	}
	return err;
}

/* What this attempt preserved of Baton's own files, which a kexec that
 * does not happen unpreserves again: the next attempt starts from the
 * same state, and what callers preserved is all that stays preserved. */
static bool image_preserved, then_preserved;

static int preserve_files(char *why, size_t n)
{
	int err = kho_preserve_folio(image.folio);

	if (err && err != -EEXIST) /* -EEXIST: a caller keeps it preserved */
		return err_why(why, n, err, "the image copy could not be preserved");
	image_preserved = !err;
	err = oldlog_preserve(generation, why, n); /* the logs, for the next generation */
	if (err)
		return err;
	if (!then.data)
		return 0;
	err = kho_preserve_vmalloc(then.data, &then_out.area);
	if (err)
		return err_why(why, n, err, "the kexec.then kernel could not be preserved");
	then_out.size = then.size;
	then_preserved = true;
	return 0;
}

static void unpreserve_files(void)
{
	if (image_preserved)
		kho_unpreserve_folio(image.folio);
	oldlog_unpreserve();
	if (then_preserved)
		kho_unpreserve_vmalloc(&then_out.area);
	image_preserved = then_preserved = false;
	then_out.size = 0;
}

void kexec_call_off(int err, const char *why)
{
	pr_err("kexec: called off (%s): %s; nothing was handed over, this kernel keeps running",
	       err_name(err), why);
}

/* kexec into the kernel file k: this kernel's own copy, or (foreign) the
 * kexec.then kernel. Returns only on failure: the code, with one line
 * (kexec_call_off), and nothing of the attempt left behind: the handover
 * is dropped (kho_abort), Baton's files unpreserved, the allocations of
 * the attempt given back. kho.fail= injects failures at two of its own
 * sites: image (the slot in scratch) and fdt (the next boot FDT). */
static int kexec_file(const struct kept_file *k, bool foreign)
{
	const char *what = foreign ? "kexec.then kernel" : "image copy";
	struct kexec_layout l;
	struct kho_handover h;
	void *timing = NULL;
	phys_addr_t slot, fdt_pa;
	u64 fdt_size, need;
	char why[ERR_WHY_MAX], detail[ERR_WHY_MAX];
	bool serialized = false;
	int err;

	kexec_timing_enter(KT_KEXEC);
	if (!k->data) {
		err = err_why(why, sizeof(why), -ENOENT, "there is no %s to kexec into", what);
		goto off;
	}
	err = arch_kexec_image_check(k->data, k->size, &l, detail, sizeof(detail));
	if (err) {
		err_why(why, sizeof(why), err, "the %s is unusable: %s", what, detail);
		goto off;
	}
	/* The tree's content, not its totalsize: QEMU's arm64 tree says 1 MiB
	 * for 10 KiB of content, and the next kernel's FDT is copied, cleaned
	 * to the point of coherency and checked whole. */
	fdt_size = bootfdt_content_size(boot_fdt) ?: fdt_totalsize(boot_fdt);
	fdt_size = ALIGN_UP(fdt_size + FDT_SLACK, 8);
	need = ALIGN_UP(l.span, PAGE_SIZE) + fdt_size;
	slot = kho_fail(KHO_FAIL_IMAGE) ? 0 : find_slot(need);
	if (!slot) {
		err = err_why(
			why, sizeof(why), -ENOSPC,
			"no room for the next kernel's %llu KiB in scratch (kho_scratch= sets its "
			"size)",
			(unsigned long long)(need >> 10));
		goto off;
	}
	/* Baton's next generation keeps both files; another kernel gets
	 * neither (it would only find them reserved). */
	if (!foreign) {
		kexec_timing_enter(KT_PRESERVE);
		err = preserve_files(why, sizeof(why));
		if (err)
			goto off;
	}
	kexec_timing_enter(KT_SERIALIZE);
	err = kho_serialize(&h);
	if (err) {
		err_why(why, sizeof(why), err, "KHO could not serialize the handover");
		goto off;
	}
	serialized = true;
	kexec_timing_enter(KT_KEXEC);
	fdt_pa = slot + ALIGN_UP(l.span, PAGE_SIZE);
	err = kho_fail(KHO_FAIL_FDT)
		      ? -FDT_ERR_NOSPACE
		      : build_fdt(phys_to_virt(fdt_pa), fdt_size, &h, foreign, &timing);
	if (err) {
		err = err_why(why, sizeof(why), -ENOSPC, "building the next boot FDT: %s",
			      fdt_strerror(err));
		goto off;
	}
	kexec_timing_enter(KT_COPY);
	arch_kexec_image_place(k->data, k->size, phys_to_virt(slot), &l);
	/* The timeline goes with the next boot FDT from here: the rest is the
	 * jump's (the fault injection's damage, the last line). */
	if (foreign)
		kexec_timing_enter(KT_JUMP);
	else if (kexec_timing_hand_over(timing) < 0)
		pr_warn("kexec: the timeline holds more than the next boot FDT takes; its end is cut");
	oldlog_seal(); /* this generation's log, up to here, into its record */
	if (!foreign && kexec_damage_armed()) { /* fault injection for the boot tests only */
		struct kexec_damage_target d = {
			&h,
			phys_to_virt(fdt_pa),
			slot + l.entry_off,
			folio_pfn(image.folio) << PAGE_SHIFT,
			folio_order(image.folio),
		};

		kexec_damage(&d);
	}
	kho_fail_report();
	if (foreign)
		pr_info("kexec: generation %llu -> the kexec.then kernel: image at 0x%llx, FDT at "
			"0x%llx, command line \"%s\", entering",
			(unsigned long long)generation, (unsigned long long)slot + l.entry_off,
			(unsigned long long)fdt_pa, then_bootargs);
	else
		pr_info("kexec: generation %llu -> %llu: image at 0x%llx, FDT at 0x%llx, entering",
			(unsigned long long)generation, (unsigned long long)generation + 1,
			(unsigned long long)slot + l.entry_off, (unsigned long long)fdt_pa);
	arch_kexec_jump(slot + l.entry_off, fdt_pa, slot, fdt_pa + fdt_size - slot);
	/* The arch could not enter it, and said why. */
	err = err_why(why, sizeof(why), -ENOEXEC, "the %s could not be entered", what);
off:
	if (serialized)
		kho_abort();
	unpreserve_files();
	kexec_call_off(err, why);
	return err;
}

int kexec(void)
{
	return kexec_file(&image, false);
}

bool kexec_then_wanted(void)
{
	return then_initrd;
}

int kexec_then(void)
{
	if (!then_initrd)
		return -ENOENT;
	return kexec_file(&then, true);
}

/*
 * kho_linux_test.c — Linux's KHO test (lib/test_kho.c), spoken by Baton.
 *
 * Linux's test_kho fills random folios (8 MiB of random orders), preserves
 * them and a vmalloc'd list of them, and names them in a "kho_test"
 * subtree, an FDT:
 *
 *     / { compatible = "kho-test-v1"; magic = <u32 0x4b484f21>;
 *         data { nr_folios = <u32>;
 *                folios_info = <struct kho_vmalloc>;  phys | order each
 *                csum = <u32>; };                     csum_partial chain
 *     };
 *
 * After a kexec into Baton, kho_linux_test_take (run as the ktest
 * kho_linux.restore by kernel/kexec.c) does what test_kho does in the next
 * Linux: finds the subtree, checks compatible and magic, restores
 * folios_info with kho_restore_vmalloc and every folio with
 * kho_restore_folio, checks each order and the checksum over all of them
 * (Linux's own csum_partial, ktest/linux_csum.c).
 * Beyond Linux it bounds nr_folios by the list's size and reclaims the
 * subtree's own folio. Then the generation either frees the set with
 * folio_put (it is the last) or holds it, and kexec preserves it again in
 * the same format (kho_linux_test_preserve), so the set goes on through
 * Baton's generations and back to a Linux that verifies it. A Baton that
 * kexecs a Linux without a set makes one as test_kho would.
 */
#include "kho_linux_test.h"
#include "buddy.h"
#include "folio.h"
#include "kho.h"
#include "kstring.h"
#include "linux_csum.h"
#include "printk.h"
#include "xorshift.h"
#include "vmalloc.h"
#include "arch/counter.h"
#include "arch/mmu.h"
#include <libfdt.h>

/* The set held: folios_info as test_kho writes it (phys | order), in a
 * vmalloc'd array that is itself handed over. */
static u64 *info;
static u32 nr_folios;
static u32 csum;
static u64 held_pages;

/* ---- the incoming side ---- */

static const void *prop(const void *fdt, int node, const char *name, int want)
{
	int len;
	const void *p = fdt_getprop(fdt, node, name, &len);

	return p && len == want ? p : NULL;
}

/* Read the subtree at blob (size bytes) into *v and the counts: 0, or
 * -EBADMSG with what is wrong in why (n bytes). */
static int parse(const void *blob, u64 size, struct kho_vmalloc *v, u32 *nr, u32 *sum, char *why,
		 size_t n)
{
	const u32 *magic, *count, *c;
	const struct kho_vmalloc *fi;
	int data;

	if (size < sizeof(struct fdt_header) || size > (1u << 30) ||
	    fdt_check_full(blob, (size_t)size) != 0)
		return err_why(why, n, -EBADMSG,
			       "the subtree: the subtree is not a well-formed FDT");
	if (fdt_node_check_compatible(blob, 0, KHO_LINUX_TEST_COMPAT) != 0)
		return err_why(why, n, -EBADMSG,
			       "the subtree: its root is not compatible \"" KHO_LINUX_TEST_COMPAT
			       "\"");
	magic = prop(blob, 0, "magic", 4);
	if (!magic || *magic != KHO_LINUX_TEST_MAGIC)
		return err_why(why, n, -EBADMSG, "the subtree: no magic 0x4b484f21");
	data = fdt_path_offset(blob, "/data");
	count = data >= 0 ? prop(blob, data, "nr_folios", 4) : NULL;
	c = data >= 0 ? prop(blob, data, "csum", 4) : NULL;
	fi = data >= 0 ? prop(blob, data, "folios_info", sizeof(*fi)) : NULL;
	if (!count || !c || !fi)
		return err_why(why, n, -EBADMSG,
			       "the subtree: /data lacks nr_folios, csum or "
			       "folios_info of the right size");
	memcpy(v, fi, sizeof(*v));
	*nr = *count;
	*sum = *c;
	/* Linux trusts nr_folios; here it must fit the list it counts. */
	if (*nr == 0 || (u64)*nr * sizeof(u64) > (u64)v->total_pages * PAGE_SIZE)
		return err_why(why, n, -EBADMSG,
			       "the subtree: nr_folios is 0 or more than folios_info holds");
	return 0;
}

/* Give back what a failed take restored (the first nr of the list). */
static int give_back(u32 nr, u64 pages, int err)
{
	nr_folios = nr;
	held_pages = pages;
	kho_linux_test_release();
	return err;
}

int kho_linux_test_take(bool hold, char *why, size_t n)
{
	struct kho_vmalloc v;
	phys_addr_t pa;
	u64 size, pages = 0;
	u32 want = 0, got = 0, i;
	struct folio *blob;
	int err;

	if (info)
		return err_why(why, n, -EBUSY, "a set is held already");
	if (kho_retrieve_subtree(KHO_LINUX_TEST_SUBTREE, &pa, &size) < 0)
		return 0;
	err = parse(phys_to_virt(pa), size, &v, &nr_folios, &want, why, n);
	if (err) {
		nr_folios = 0;
		return err;
	}
	info = kho_restore_vmalloc(&v);
	if (!info) {
		nr_folios = 0;
		return err_why(why, n, -ENOENT, "folios_info did not restore");
	}
	for (i = 0; i < nr_folios; i++) {
		unsigned order = (unsigned)(info[i] & (PAGE_SIZE - 1));
		phys_addr_t fpa = info[i] & ~(u64)(PAGE_SIZE - 1);
		struct folio *f = kho_restore_folio(fpa);

		if (!f || folio_order(f) != order) {
			err_why(why, n, -ENOENT,
				"folio %u of %u (0x%llx, order %u) did not restore as "
				"an order-%u folio",
				i, nr_folios, (unsigned long long)fpa, order, order);
			if (f)
				folio_put(f);
			return give_back(i, pages, -ENOENT);
		}
		got = linux_csum_partial(folio_address(f), folio_size(f), got);
		pages += folio_nr_pages(f);
	}
	/* The subtree's own folio: test_kho leaves it; here it is reclaimed. */
	blob = kho_restore_folio(pa);
	if (blob)
		folio_put(blob);
	if (got != want) {
		err_why(why, n, -EBADMSG,
			"csum_partial over %u folios is 0x%08x, the set says 0x%08x", nr_folios,
			got, want);
		return give_back(nr_folios, pages, -EBADMSG);
	}
	csum = want;
	held_pages = pages;
	pr_info("kho-linux-test: restored Linux's test_kho set: %u folios, %llu pages, csum 0x%08x "
		"matches",
		nr_folios, (unsigned long long)pages, csum);
	if (hold) {
		pr_info("kho-linux-test: holding the set, to hand it on at the next kexec");
	} else {
		kho_linux_test_release();
		pr_info("kho-linux-test: freed the set with folio_put");
	}
	return 1;
}

u64 kho_linux_test_held_pages(void)
{
	return info ? held_pages : 0;
}

void kho_linux_test_reset(void)
{
	info = NULL;
	nr_folios = 0;
	held_pages = 0;
	csum = 0;
}

void kho_linux_test_release(void)
{
	if (!info)
		return;
	for (u32 i = 0; i < nr_folios; i++)
		folio_put(virt_to_folio(phys_to_virt(info[i] & ~(u64)(PAGE_SIZE - 1))));
	vfree(info);
	info = NULL;
	nr_folios = 0;
	held_pages = 0;
}

/* ---- the outgoing side ---- */

static u64 rng;

static u64 next_rand(void)
{
	return xorshift64(&rng);
}

/* A new set as test_kho makes one: folios of random orders (at most
 * MAX_ORDER, which is Linux's MAX_PAGE_ORDER too) filled with random
 * bytes, until want bytes (whole pages). */
static int make_set(u64 want)
{
	u64 bytes = 0, cap = want / PAGE_SIZE;

	info = vmalloc(cap * sizeof(*info));
	if (!info)
		return -ENOMEM;
	rng = arch_counter_read() | 1;
	nr_folios = 0;
	csum = 0;
	while (bytes < cap * PAGE_SIZE) {
		unsigned order = (unsigned)(next_rand() % (MAX_ORDER + 1));
		struct folio *f;
		u64 *w;

		while ((PAGE_SIZE << order) > cap * PAGE_SIZE - bytes)
			order--;
		f = folio_alloc(GFP_KERNEL, order);
		if (!f) {
			kho_linux_test_release();
			return -ENOMEM;
		}
		w = folio_address(f);
		for (u64 i = 0; i < folio_size(f) / 8; i++)
			w[i] = next_rand();
		csum = linux_csum_partial(w, folio_size(f), csum);
		info[nr_folios++] = (folio_pfn(f) << PAGE_SHIFT) | order;
		bytes += folio_size(f);
	}
	held_pages = bytes / PAGE_SIZE;
	pr_info("kho-linux-test: made a test_kho set: %u folios, %llu pages, csum 0x%08x",
		nr_folios, (unsigned long long)held_pages, csum);
	return 0;
}

/* The subtree, in a folio of its own as test_kho allocates it. */
static int write_subtree(const struct kho_vmalloc *v)
{
	u64 size = (u64)nr_folios * sizeof(u64) + PAGE_SIZE;
	unsigned order = 0;
	struct folio *f;
	void *fdt;
	u32 magic = KHO_LINUX_TEST_MAGIC;
	int err;

	while ((PAGE_SIZE << order) < size)
		order++;
	f = folio_alloc(GFP_KERNEL, order);
	if (!f)
		return -ENOMEM;
	fdt = folio_address(f);
	err = fdt_create(fdt, (int)size);
	err |= fdt_finish_reservemap(fdt);
	err |= fdt_begin_node(fdt, "");
	err |= fdt_property(fdt, "compatible", KHO_LINUX_TEST_COMPAT,
			    sizeof(KHO_LINUX_TEST_COMPAT));
	err |= fdt_property(fdt, "magic", &magic, sizeof(magic));
	err |= fdt_begin_node(fdt, "data");
	err |= fdt_property(fdt, "nr_folios", &nr_folios, sizeof(nr_folios));
	err |= fdt_property(fdt, "folios_info", v, sizeof(*v));
	err |= fdt_property(fdt, "csum", &csum, sizeof(csum));
	err |= fdt_end_node(fdt);
	err |= fdt_end_node(fdt);
	err |= fdt_finish(fdt);
	if (err) { /* the size above holds it: a libfdt error here is a bug */
		folio_put(f);
		return -ENOSPC;
	}
	err = kho_preserve_folio(f);
	if (err) {
		folio_put(f);
		return err;
	}
	kho_remove_subtree(KHO_LINUX_TEST_SUBTREE);
	return kho_add_subtree(KHO_LINUX_TEST_SUBTREE, fdt, fdt_totalsize(fdt));
}

int kho_linux_test_preserve(u64 new_bytes)
{
	struct kho_vmalloc v;
	int err = 0;

	if (!info && new_bytes < PAGE_SIZE)
		return 0;
	if (!info) {
		err = make_set(new_bytes);
		if (err) {
			pr_err("kho-linux-test: no memory for a test_kho set; none is handed on");
			return err;
		}
	}
	for (u32 i = 0; i < nr_folios && !err; i++) {
		err = kho_preserve_folio(
			virt_to_folio(phys_to_virt(info[i] & ~(u64)(PAGE_SIZE - 1))));
		if (err == -EEXIST) /* a kexec tried before, which did not happen */
			err = 0;
	}
	if (!err)
		err = kho_preserve_vmalloc(info, &v);
	if (!err)
		err = write_subtree(&v);
	if (err) {
		pr_err("kho-linux-test: could not preserve the test_kho set (%s); none is handed on",
		       err_name(err));
		return err;
	}
	pr_info("kho-linux-test: handing on the test_kho set: %u folios, %llu pages, csum 0x%08x",
		nr_folios, (unsigned long long)held_pages, csum);
	return 0;
}

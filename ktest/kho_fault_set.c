/*
 * kho_fault_set.c — the set the fault-injection tests hand over (under
 * kho.fail=, kho/fault.c): one object of each kind KHO preserves (a folio,
 * a page run, a vmalloc area of two chunk pages, kmalloc objects of three
 * classes), each filled from its own seed, and a manifest page naming
 * them in the subtree "kho-fault". The kexec chain uses it through
 * ktest/kho_fault.c; the host tests (tests/host/test_kho_fault.c) drive it
 * themselves, around kho_serialize.
 *
 * It is preserved one call at a time, each after a mark, so small N of
 * most sites land in it (a client's preserve call failing). After an
 * attempt the injected failure ended, kho_fault_set_check proves:
 *   - the failure was the injected one, injected after the set was made;
 *   - nothing leaked: free pages + KHO's own pages (kho_own_pages) are
 *     what they were when the attempt began;
 *   - the step that failed, when it was one call (a preserve call of this
 *     set, kho_serialize, kexec()), gave back every page it took;
 *   - each object's contents are intact, its memory is still what its
 *     matching free expects, and it is preserved exactly when its preserve
 *     call succeeded (nothing of a failed call stays preserved).
 * The next generation's kho_fault_set_restore restores the set, checks
 * every byte and frees each object with its matching free (folio_put,
 * __free_pages, vfree, kfree).
 */
#include "kho_fault_test.h"
#include "buddy.h"
#include "folio.h"
#include "kho.h"
#include "kstring.h"
#include "page.h"
#include "printk.h"
#include "slab.h"
#include "vmalloc.h"
#include "xorshift.h"

#define PROBE_MAGIC 0x6b686f2d6661756cULL /* "kho-faul" */
/* Over 511 pages: two chunk pages, so kho.fail=vmalloc:2 fails inside
 * the area, after its first 511 pages are preserved. */
#define PROBE_VMALLOC_PAGES 600

enum probe_kind { P_FOLIO, P_PAGES, P_VMALLOC, P_SLAB };
static const char *const kind_name[] = { "folio", "page run", "vmalloc area", "kmalloc object" };

/* One object: its address, what it is (a folio or page run: order; a
 * vmalloc area: pages; a kmalloc object: bytes), the seed its contents
 * come from, and for a vmalloc area the descriptor its preserve filled. */
struct probe_item {
	u64 pa;
	u32 kind, n;
	u64 seed;
	struct kho_vmalloc area;
};

static const struct {
	u32 kind, n;
} plan[] = {
	{ P_FOLIO, 2 }, { P_PAGES, 1 },  { P_VMALLOC, PROBE_VMALLOC_PAGES },
	{ P_SLAB, 64 }, { P_SLAB, 512 }, { P_SLAB, 4096 },
};
#define PROBE_ITEMS ARRAY_SIZE(plan)

/* The subtree's blob, on a page of its own (preserved): magic, the
 * generation that made it, the items, and a sum of the words above it. */
struct probe_manifest {
	u64 magic;
	u64 generation;
	u64 nitems;
	struct probe_item items[PROBE_ITEMS];
	u64 sum;
};
_Static_assert(sizeof(struct probe_manifest) <= 4096, "the manifest fits a page");

/*
 * This generation's set and its attempt. m == NULL: no set (no kho.fail=,
 * or none made yet). addr[i] is item i's address (a vmalloc area's start);
 * preserved[i] says its preserve call succeeded; calls == PROBE_ITEMS + 2
 * (the manifest page, then the subtree) means all of the set is preserved.
 * start: free + own pages when the attempt began; mark_*: when its latest
 * step began (exact: a single call, which must give back all it took).
 */
static struct {
	struct page *mpage;
	struct probe_manifest *m;
	void *addr[PROBE_ITEMS];
	bool preserved[PROBE_ITEMS];
	u32 calls;
	bool fired_before;
	u64 start, mark_free, mark_own;
	bool mark_exact;
} probe;

static u64 free_pages(void)
{
	struct buddy_stats st;

	buddy_stats(&st);
	return st.free_pages;
}

static u64 item_bytes(const struct probe_item *it)
{
	if (it->kind == P_SLAB)
		return it->n;
	return it->kind == P_VMALLOC ? (u64)it->n * PAGE_SIZE : PAGE_SIZE << it->n;
}

static void fill(void *p, u64 bytes, u64 seed)
{
	u64 *w = p, s = seed;

	for (u64 i = 0; i < bytes / 8; i++)
		w[i] = xorshift64(&s);
}

/* The word index of the first difference from the seed's stream, or -1. */
static s64 first_change(const void *p, u64 bytes, u64 seed)
{
	const u64 *w = p;
	u64 s = seed;

	for (u64 i = 0; i < bytes / 8; i++) {
		if (w[i] != xorshift64(&s))
			return (s64)i;
	}
	return -1;
}

static u64 manifest_sum(const struct probe_manifest *m)
{
	const u64 *w = (const u64 *)m;
	u64 sum = 0;

	for (u64 i = 0; i < offsetof(struct probe_manifest, sum) / 8; i++)
		sum = (sum ^ w[i]) * 0x100000001b3ULL;
	return sum;
}

static void *alloc_item(u32 kind, u32 n)
{
	if (kind == P_FOLIO) {
		struct folio *f = folio_alloc(GFP_KERNEL, n);

		return f ? folio_address(f) : NULL;
	}
	if (kind == P_PAGES) {
		struct page *p = alloc_pages(GFP_KERNEL, n);

		return p ? page_address(p) : NULL;
	}
	return kind == P_VMALLOC ? vmalloc((u64)n * PAGE_SIZE) : kmalloc(n, GFP_KERNEL);
}

/* The matching free of each kind. */
static void free_item(const struct probe_item *it, void *addr)
{
	if (it->kind == P_FOLIO)
		folio_put(virt_to_folio(addr));
	else if (it->kind == P_PAGES)
		__free_pages(virt_to_page(addr), it->n);
	else if (it->kind == P_VMALLOC)
		vfree(addr);
	else
		kfree(addr);
}

int kho_fault_set_fill(u64 generation)
{
	struct probe_manifest *m;
	u64 rng;

	memset(&probe, 0, sizeof(probe));
	probe.fired_before = kho_fail_fired();
	probe.mpage = alloc_pages(__GFP_ZERO, 0);
	if (!probe.mpage)
		return -ENOMEM;
	m = page_address(probe.mpage);
	m->magic = PROBE_MAGIC;
	m->generation = generation;
	rng = 0x6a09e667f3bcc908ULL ^ (generation << 32);
	for (u32 i = 0; i < PROBE_ITEMS; i++) {
		struct probe_item *it = &m->items[i];
		void *p = alloc_item(plan[i].kind, plan[i].n);

		if (!p) {
			while (i--)
				free_item(&m->items[i], probe.addr[i]);
			__free_pages(probe.mpage, 0);
			memset(&probe, 0, sizeof(probe));
			return -ENOMEM;
		}
		*it = (struct probe_item){ .kind = plan[i].kind,
					   .n = plan[i].n,
					   .seed = xorshift64(&rng) | 1 };
		it->pa = it->kind == P_VMALLOC ? 0 : virt_to_phys(p);
		fill(p, item_bytes(it), it->seed);
		probe.addr[i] = p;
	}
	m->nitems = PROBE_ITEMS;
	probe.m = m;
	probe.start = free_pages() + kho_own_pages();
	return 0;
}

void kho_fault_set_mark(bool exact)
{
	probe.mark_free = free_pages();
	probe.mark_own = kho_own_pages();
	probe.mark_exact = exact;
}

static int preserve_item(struct probe_item *it, void *addr)
{
	if (it->kind == P_FOLIO)
		return kho_preserve_folio(virt_to_folio(addr));
	if (it->kind == P_PAGES)
		return kho_preserve_pages(virt_to_page(addr), 1UL << it->n);
	if (it->kind == P_VMALLOC)
		return kho_preserve_vmalloc(addr, &it->area);
	return kho_preserve_slab(addr);
}

int kho_fault_set_preserve(void)
{
	struct probe_manifest *m = probe.m;
	int err = 0;

	if (!m)
		return 0;
	for (; probe.calls < PROBE_ITEMS + 2 && !err; probe.calls += !err) {
		u32 i = probe.calls;

		kho_fault_set_mark(true);
		if (i < PROBE_ITEMS) {
			err = preserve_item(&m->items[i], probe.addr[i]);
			probe.preserved[i] = !err;
		} else if (i == PROBE_ITEMS) { /* the items' descriptors are final */
			m->sum = manifest_sum(m);
			err = kho_preserve_pages(probe.mpage, 1);
		} else {
			err = kho_add_subtree(KHO_FAULT_SUBTREE, m, sizeof(*m));
		}
	}
	return err;
}

/* Item i as the called-off attempt must leave it; a line into why if not. */
static int check_item(u32 i, char *why, size_t n)
{
	const struct probe_item *it = &probe.m->items[i];
	void *addr = probe.addr[i];
	bool kept = probe.preserved[i], is_kept;
	s64 at = first_change(addr, item_bytes(it), it->seed);
	struct slab_object_info info;
	struct page *const *pages;
	u64 np;

	if (at >= 0)
		return err_why(why, n, -EBADMSG, "the %s at %p changed at word %lld",
			       kind_name[it->kind], addr, (long long)at);
	switch (it->kind) {
	case P_FOLIO:
		if (folio_order(virt_to_folio(addr)) != it->n)
			return err_why(why, n, -EBADMSG, "the folio at %p is no folio of order %u",
				       addr, it->n);
		is_kept = kho_preserved(it->pa, it->n);
		break;
	case P_PAGES:
		if (memdesc_type(virt_to_page(addr)->memdesc) != MEMDESC_PAGES)
			return err_why(why, n, -EBADMSG,
				       "the page run at %p is no longer allocated pages", addr);
		is_kept = kho_preserved(it->pa, it->n);
		break;
	case P_VMALLOC:
		if (!vmalloc_area_pages(addr, &pages, &np) || np != it->n)
			return err_why(why, n, -EBADMSG,
				       "the vmalloc area at %p is not its %u pages", addr, it->n);
		/* Every page and every chunk preserved, or none (and no chain). */
		is_kept = it->area.first != 0;
		for (u64 p = 0; p < np; p++) {
			if (kho_preserved(page_to_phys(pages[p]), 0) != is_kept)
				return err_why(why, n, -EBADMSG,
					       "page %llu of the vmalloc area is %s",
					       (unsigned long long)p,
					       is_kept ? "not preserved" : "preserved");
		}
		for (phys_addr_t c = it->area.first; c;
		     c = ((const struct kho_vmalloc_chunk *)phys_to_virt(c))->next) {
			if (!kho_preserved(c, 0))
				return err_why(why, n, -EBADMSG,
					       "a chunk page of the vmalloc area is not preserved");
		}
		break;
	default:
		if (!slab_object_info(addr, &info) || info.slot_size != it->n)
			return err_why(why, n, -EBADMSG,
				       "the %u-byte kmalloc object at %p is not allocated", it->n,
				       addr);
		is_kept = kho_slab_preserved(addr);
		break;
	}
	if (is_kept != kept)
		return err_why(why, n, -EBADMSG, "the %s at %p is %s, but its preserve call %s",
			       kind_name[it->kind], addr, is_kept ? "preserved" : "not preserved",
			       kept ? "succeeded" : "failed");
	return 0;
}

int kho_fault_set_check(int attempt_err, u64 generation, char *why, size_t n)
{
	u64 free = free_pages(), own = kho_own_pages();
	u32 kept = 0;

	if (!probe.m)
		return err_why(why, n, -ENOENT, "the fault test made no set");
	if (probe.fired_before)
		return err_why(why, n, -EINVAL, "kho.fail= fired before the kexec attempt began");
	if (!kho_fail_fired())
		return err_why(why, n, -EINVAL,
			       "the attempt failed (%s), but kho.fail= injected nothing",
			       err_name(attempt_err));
	if (attempt_err != -ENOMEM && attempt_err != -ENOSPC)
		return err_why(why, n, -EINVAL,
			       "an injected allocation failure ended in %s, not ENOMEM "
			       "or ENOSPC",
			       err_name(attempt_err));
	if (free + own != probe.start)
		return err_why(why, n, -EINVAL,
			       "pages leaked: %llu free + %llu KHO's own, %llu before "
			       "the attempt",
			       (unsigned long long)free, (unsigned long long)own,
			       (unsigned long long)probe.start);
	if (probe.mark_exact && (free != probe.mark_free || own != probe.mark_own))
		return err_why(why, n, -EINVAL,
			       "the failed call kept %lld pages (%llu free, %llu "
			       "before it)",
			       (long long)(own - probe.mark_own), (unsigned long long)free,
			       (unsigned long long)probe.mark_free);
	for (u32 i = 0; i < PROBE_ITEMS; i++) {
		int err = check_item(i, why, n);

		if (err)
			return err;
		kept += probe.preserved[i];
	}
	if (kho_preserved(page_to_phys(probe.mpage), 0) != (probe.calls > PROBE_ITEMS))
		return err_why(why, n, -EINVAL,
			       "the manifest page is %spreserved after its call %s",
			       probe.calls > PROBE_ITEMS ? "not " : "",
			       probe.calls > PROBE_ITEMS ? "succeeded" : "failed or was not made");
	pr_info("kho-fault: generation %llu: the attempt was called off (%s); %u of %u objects "
		"preserved before it, all %u intact; %llu pages free + %llu KHO's own, as before "
		"the attempt",
		(unsigned long long)generation, err_name(attempt_err), kept, (unsigned)PROBE_ITEMS,
		(unsigned)PROBE_ITEMS, (unsigned long long)free, (unsigned long long)own);
	return 0;
}

/* Restore item it, check it and free it with its matching free: 0, or a
 * line into why. */
static int restore_item(const struct probe_item *it, char *why, size_t n)
{
	void *addr;
	s64 at;

	if (it->kind == P_FOLIO) {
		struct folio *f = kho_restore_folio(it->pa);

		unsigned order = f ? folio_order(f) : it->n;

		addr = f ? folio_address(f) : NULL;
		if (order != it->n) {
			folio_put(f);
			return err_why(why, n, -EBADMSG, "the folio came back of order %u, not %u",
				       order, it->n);
		}
	} else if (it->kind == P_PAGES) {
		struct page *p = kho_restore_pages(it->pa, 1UL << it->n);

		addr = p ? page_address(p) : NULL;
	} else if (it->kind == P_VMALLOC) {
		addr = kho_restore_vmalloc(&it->area);
	} else {
		u64 bytes;

		addr = kho_restore_slab(it->pa);
		bytes = addr ? ksize(addr) : it->n;
		if (bytes != it->n) {
			kfree(addr);
			return err_why(why, n, -EBADMSG,
				       "the kmalloc object came back as %llu bytes, "
				       "not %u",
				       (unsigned long long)bytes, it->n);
		}
	}
	if (!addr)
		return err_why(why, n, -ENOENT, "the %s was not restored", kind_name[it->kind]);
	at = first_change(addr, item_bytes(it), it->seed);
	free_item(it, addr);
	if (at >= 0)
		return err_why(why, n, -EBADMSG, "the %s changed at word %lld across the kexec",
			       kind_name[it->kind], (long long)at);
	return 0;
}

int kho_fault_set_restore(u64 generation, char *why, size_t n)
{
	struct probe_manifest *m;
	struct page *mp;
	phys_addr_t pa;
	u64 size;
	int err = 0;

	if (kho_retrieve_subtree(KHO_FAULT_SUBTREE, &pa, &size) < 0)
		return err_why(why, n, -ENOENT, "no subtree " KHO_FAULT_SUBTREE);
	if (size != sizeof(*m) || !(mp = kho_restore_pages(pa, 1)))
		return err_why(why, n, -ENOENT,
			       "no %zu-byte manifest in the subtree " KHO_FAULT_SUBTREE,
			       sizeof(*m));
	m = page_address(mp);
	if (m->magic != PROBE_MAGIC || m->sum != manifest_sum(m) || m->nitems != PROBE_ITEMS ||
	    m->generation + 1 != generation)
		err = err_why(why, n, -EBADMSG,
			      "the manifest is damaged or not the last generation's");
	for (u32 i = 0; i < PROBE_ITEMS && !err; i++)
		err = restore_item(&m->items[i], why, n);
	__free_pages(mp, 0);
	if (!err)
		pr_info("kho-fault: generation %llu restored the last one's %u objects, every byte "
			"as it was, and freed each with its matching free",
			(unsigned long long)generation, (unsigned)PROBE_ITEMS);
	return err;
}

void kho_fault_set_reset(void)
{
	memset(&probe, 0, sizeof(probe));
}

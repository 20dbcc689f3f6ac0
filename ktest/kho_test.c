/*
 * kho_test.c — the KHO self-test client, in the spirit of Linux's test_kho:
 * what a real user of KHO does, across a kexec chain (kexec.chain=N).
 *
 * Before each kexec it makes a fresh set (kho_test_fill): folios of random
 * orders filled with checksummed data, page runs, kmalloc objects of every
 * size class, and a vmalloc'd index of them; then it preserves the set
 * with a subtree ("kho-test") holding a magic number, the set's
 * description and a checksum (kho_test_preserve). It also carries on half
 * of what the last generation left, so some memory crosses several
 * kexecs. After each kexec the ktest kho_chain.restore finds the subtree,
 * restores everything, verifies every byte, frees half with the matching
 * free functions and keeps the rest for the next set. Making the set and
 * checking it are the self-test's work, preserving and restoring KHO's:
 * each is done whole before the other, and the handover's timeline
 * (kexec_timing.h) counts them apart.
 *
 * With kho_test.soak=SEED the soak (ktest/kho_soak.c) decides instead
 * what is kept and what is added: random sets that also hold vmalloc
 * areas and blobs named by subtrees of their own, and a leak check each
 * generation. The items (kho_test_internal.h) are the same.
 *
 * Each generation prints its accounting; the last one also checks that
 * nothing leaked: no bare pages or test folios left, and nothing preserved
 * waiting but the handover's own two pages.
 */
#include "kho_test.h"
#include "kho_test_internal.h"
#include "kho_linux_test.h"
#include "page.h"
#include "buddy.h"
#include "folio.h"
#include "format.h"
#include "kexec.h"
#include "kexec_timing.h"
#include "kho.h"
#include "ktest.h"
#include "kstring.h"
#include "panic.h"
#include "printk.h"
#include "xorshift.h"
#include "slab.h"
#include "vmalloc.h"

#define MAGIC 0x544b48544f544142ULL /* "BATOTHKT" */
#define MAX_ITEMS KHO_TEST_MAX_ITEMS
#define DEFAULT_KEEP_MAX 48 /* the plain chain keeps every other item, up to this many */

/* The subtree "kho-test": the set's description. Invariants: nitems <=
 * MAX_ITEMS, index_items == nitems (the index is the items again, in a
 * vmalloc'd array), sum = kho_test_checksum of everything before it. */
struct manifest {
	u64 magic;
	u64 generation;
	u64 nitems;
	struct kho_vmalloc index;
	u64 index_items;
	struct kho_test_item items[MAX_ITEMS];
	u64 sum;
};
_Static_assert(sizeof(struct manifest) <= 4 * 4096, "the manifest fits an order-2 block");

/* What this generation holds: the items restored and kept, then the new
 * ones kho_test_fill adds; held[0..nheld) is the set handed on. nkept
 * counts the kept ones. */
static struct kho_test_held held[MAX_ITEMS];
static int nheld, nkept, nreceived;
static u64 rng;

u64 kho_test_rand(void)
{
	return xorshift64(&rng);
}

/* Words weighted by their place, so that a moved word shows; a last
 * partial word counts as one zero-padded word. */
static u64 checksum(const void *p, u64 bytes)
{
	const u64 *w = p;
	u64 sum = 0, i;

	for (i = 0; i < bytes / 8; i++)
		sum += w[i] * (i + 1);
	if (bytes % 8) {
		u64 tail = 0;

		memcpy(&tail, (const u8 *)p + bytes - bytes % 8, bytes % 8);
		sum += tail * (i + 1);
	}
	return sum;
}

static u64 fill(void *p, u64 bytes)
{
	u64 *w = p;

	for (u64 i = 0; i < bytes / 8; i++)
		w[i] = kho_test_rand();
	if (bytes % 8) {
		u64 tail = kho_test_rand();

		memcpy((u8 *)p + bytes - bytes % 8, &tail, bytes % 8);
	}
	return checksum(p, bytes);
}

u64 kho_test_item_pages(const struct kho_test_item *it)
{
	switch (it->kind) {
	case KHO_TEST_FOLIO:
	case KHO_TEST_PAGES:
	case KHO_TEST_BLOB:
		return 1ULL << it->param;
	case KHO_TEST_VMALLOC:
		return it->param;
	default:
		return 0;
	}
}

/* The size an item's kind and param give it, in bytes. */
static u64 item_size(const struct kho_test_item *it)
{
	return it->kind == KHO_TEST_SLAB ? it->param : kho_test_item_pages(it) * PAGE_SIZE;
}

/* A blob's subtree is named after its address, which stays the same as
 * long as the blob is kept. */
static void blob_name(const struct kho_test_item *it, char name[KHO_NAME_MAX])
{
	snprintf(name, KHO_NAME_MAX, "kho-test-%llx", (unsigned long long)it->pa);
}

bool kho_test_make(struct kho_test_held *h, enum kho_test_kind kind, u32 param, u64 bytes)
{
	struct folio *f;
	struct page *pg;

	*h = (struct kho_test_held){ .it = { .kind = kind, .param = param, .bytes = bytes } };
	switch (kind) {
	case KHO_TEST_FOLIO:
		f = folio_alloc(GFP_KERNEL, param);
		h->va = f ? folio_address(f) : NULL;
		break;
	case KHO_TEST_PAGES:
	case KHO_TEST_BLOB:
		pg = alloc_pages(GFP_KERNEL, param);
		h->va = pg ? page_address(pg) : NULL;
		break;
	case KHO_TEST_SLAB:
		h->va = kmalloc(bytes, GFP_KERNEL);
		h->it.param = h->va ? (u32)ksize(h->va) : 0;
		break;
	case KHO_TEST_VMALLOC:
		h->va = vmalloc(bytes);
		h->it.param = (u32)(ALIGN_UP(bytes, PAGE_SIZE) / PAGE_SIZE);
		break;
	default:
		break;
	}
	if (!h->va)
		return false;
	BUG_ON(!bytes || bytes > item_size(&h->it));
	if (kind != KHO_TEST_VMALLOC)
		h->it.pa = virt_to_phys(h->va);
	h->it.sum = fill(h->va, bytes);
	return true;
}

static void free_item(const struct kho_test_held *h)
{
	switch (h->it.kind) {
	case KHO_TEST_FOLIO:
		folio_put(virt_to_folio(h->va));
		break;
	case KHO_TEST_PAGES:
	case KHO_TEST_BLOB:
		__free_pages(virt_to_page(h->va), h->it.param);
		break;
	case KHO_TEST_SLAB:
		kfree(h->va);
		break;
	case KHO_TEST_VMALLOC:
		vfree(h->va);
		break;
	}
}

/* KHO's side of one item: restore it as its allocator made it. NULL (KHO
 * said why) when it cannot. */
static void *restore_item(const struct kho_test_item *it)
{
	char name[KHO_NAME_MAX];
	phys_addr_t pa;
	struct folio *f;
	struct page *pg;
	u64 size;

	switch (it->kind) {
	case KHO_TEST_FOLIO:
		f = kho_restore_folio(it->pa);
		return f ? folio_address(f) : NULL;
	case KHO_TEST_BLOB:
		blob_name(it, name);
		if (kho_retrieve_subtree(name, &pa, &size) < 0 || pa != it->pa ||
		    size != it->bytes) {
			pr_err("kho-test: the subtree %s does not name its blob; its set is not restored",
			       name);
			return NULL;
		}
		__attribute__((fallthrough));
	case KHO_TEST_PAGES:
		pg = kho_restore_pages(it->pa, 1ULL << it->param);
		return pg ? page_address(pg) : NULL;
	case KHO_TEST_SLAB:
		return kho_restore_slab(it->pa);
	case KHO_TEST_VMALLOC:
		return kho_restore_vmalloc(&it->vm);
	default:
		return NULL;
	}
}

/* The self-test's side: is what came back what went out? */
static void check_item(struct ktest_ctx *t, const struct kho_test_item *it, void *va)
{
	struct page *const *pages;
	u64 n;

	if (it->kind == KHO_TEST_FOLIO)
		KT_EXPECT(t, folio_order(virt_to_folio(va)) == it->param);
	else if (it->kind == KHO_TEST_SLAB)
		KT_EXPECT(t, ksize(va) == it->param);
	else if (it->kind == KHO_TEST_VMALLOC)
		KT_EXPECT(t, vmalloc_area_pages(va, &pages, &n) && n == it->param);
	KT_EXPECT(t, it->bytes && it->bytes <= item_size(it));
	KT_EXPECT(t, checksum(va, it->bytes) == it->sum);
}

/* The plain chain keeps every other item, up to DEFAULT_KEEP_MAX. */
static bool keep(const struct kho_test_held *h, u64 i, u64 kept_pages)
{
	if (kho_soak_on())
		return kho_soak_keep(h, kept_pages, nheld);
	return i % 2 == 0 && nheld < DEFAULT_KEEP_MAX;
}

/* Restore the last generation's set: 0 when all verified, else failures.
 * KHO restores everything first; then the checks run (the phases
 * restore and check of the timeline). */
static int restore(struct ktest_ctx *t)
{
	static void *data[MAX_ITEMS];
	struct kho_test_item *index;
	struct manifest *m;
	struct page *mp;
	phys_addr_t pa;
	u64 size, kept_pages = 0;
	int bad = 0;

	if (kexec_generation() && !kho_is_kho_boot()) {
		/* The handover was refused (kho_scan said why): what it held
		 * is gone, and this generation starts as a cold boot would. */
		pr_info("kho-test: generation %llu: the handover was refused; nothing to restore",
			(unsigned long long)kexec_generation());
		return 0;
	}
	if (kho_retrieve_subtree("kho-test", &pa, &size) < 0) {
		KT_EXPECT(t, kexec_generation() == 0); /* only a cold boot has none */
		return 0;
	}
	mp = kho_restore_pages(pa, 4);
	KT_EXPECT(t, mp != NULL && size == sizeof(struct manifest));
	if (!mp)
		return 1;
	m = page_address(mp);
	kexec_timing_enter(KT_CHECK);
	KT_EXPECT(t, m->magic == MAGIC);
	KT_EXPECT(t, m->sum == checksum(m, offsetof(struct manifest, sum)));
	KT_EXPECT(t, m->generation + 1 == kexec_generation());
	KT_EXPECT(t, m->nitems <= MAX_ITEMS);
	if (t->fail) {
		__free_pages(mp, 2);
		return 1;
	}
	kexec_timing_enter(KT_RESTORE);
	index = kho_restore_vmalloc(&m->index);
	if (kho_soak_on())
		kho_soak_restore();
	for (u64 i = 0; i < m->nitems; i++)
		data[i] = restore_item(&m->items[i]);
	kexec_timing_enter(KT_CHECK);
	if (kho_soak_on())
		kho_soak_check_record(t);
	KT_EXPECT(t, index != NULL && m->index_items == m->nitems);
	for (u64 i = 0; i < m->nitems; i++) {
		struct kho_test_held h = { m->items[i], data[i] };

		KT_EXPECT(t, !index || memcmp(&index[i], &h.it, sizeof(h.it)) == 0);
		KT_EXPECT(t, h.it.kind < KHO_TEST_KINDS && h.va != NULL);
		if (h.it.kind >= KHO_TEST_KINDS || !h.va) {
			bad++;
			continue;
		}
		check_item(t, &h.it, h.va);
		/* Keep some for the next set; free the rest. */
		if (keep(&h, i, kept_pages)) {
			held[nheld++] = h;
			kept_pages += kho_test_item_pages(&h.it);
		} else {
			free_item(&h);
		}
	}
	nkept = nheld;
	nreceived = (int)m->nitems;
	if (index)
		vfree(index);
	__free_pages(mp, 2);
	pr_info("kho-test: generation %llu restored %llu items, kept %d",
		(unsigned long long)kexec_generation(), (unsigned long long)m->nitems, nkept);
	return bad + (t->fail ? 1 : 0);
}

static void account(struct ktest_ctx *t, bool last);

KTEST_ON_DEMAND(kho_chain, restore)
{
	u64 gen = kexec_generation();
	bool last;

	rng = kho_soak_on() ? kho_soak_stream(gen)
			    : 0x9e3779b97f4a7c15ULL ^ (gen * 0x2545f4914f6cdd1dULL);
	restore(t);
	kexec_timing_enter(KT_CHECK);
	/* The end of the chain: give back what was kept, then nothing may
	 * be left over. */
	last = gen && gen == kexec_chain_length() && kho_is_kho_boot();
	if (last)
		while (nheld)
			free_item(&held[--nheld]);
	if (kho_soak_on())
		kho_soak_account(t, held, nheld, nreceived, last);
	account(t, last);
}

/* Keep the first error of several calls. */
static void note(int *err, int e)
{
	if (!*err)
		*err = e;
}

/* The plain chain's new items: folios of random orders, page runs,
 * kmalloc objects of every size class. */
static void default_fill(void)
{
	static const u32 sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096 };

	for (int i = 0; i < 12 && nheld < MAX_ITEMS; i++) { /* folios of random orders */
		unsigned order = kho_test_rand() % 8;

		if (!kho_test_make(&held[nheld], KHO_TEST_FOLIO, order, PAGE_SIZE << order))
			break;
		nheld++;
	}
	for (unsigned order = 0; order < 4 && nheld < MAX_ITEMS; order++) { /* page runs */
		if (!kho_test_make(&held[nheld], KHO_TEST_PAGES, order, PAGE_SIZE << order))
			break;
		nheld++;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(sizes) && nheld < MAX_ITEMS; i++) { /* slab objects */
		if (!kho_test_make(&held[nheld], KHO_TEST_SLAB, 0, sizes[i]))
			break;
		nheld++;
	}
}

/* The set being handed on: made by kho_test_fill, then preserved. */
static struct page *set_page;
static struct kho_test_item *set_index;

int kho_test_fill(void)
{
	struct page *mp = alloc_pages(__GFP_ZERO, 2);
	struct manifest *m;

	if (!mp)
		return -ENOMEM;
	m = page_address(mp);
	m->magic = MAGIC;
	m->generation = kexec_generation();
	if (kho_soak_on())
		kho_soak_fill(held, &nheld, MAX_ITEMS);
	else
		default_fill();
	/* The vmalloc'd index, written once the items are preserved (a
	 * vmalloc area's descriptor is known only then). */
	set_index = vmalloc(MAX(nheld, 1) * sizeof(*set_index));
	if (!set_index) {
		__free_pages(mp, 2);
		return -ENOMEM;
	}
	set_page = mp;
	return 0;
}

/* A preserve call made again, after a kexec attempt was called off
 * (kho.fail=, ktest/kho_fault.c): preserved already is preserved. */
static int again(int err)
{
	return err == -EEXIST ? 0 : err;
}

/* A vmalloc area the called-off attempt preserved already: its pages are
 * in the outgoing map (a restored area's are not), its descriptor set. */
static int preserve_vmalloc_once(void *va, struct kho_vmalloc *vm)
{
	if (kho_preserved(page_to_phys(vmalloc_to_page(va)), 0))
		return 0;
	return kho_preserve_vmalloc(va, vm);
}

static int preserve_item(struct kho_test_held *h)
{
	char name[KHO_NAME_MAX];
	int err;

	switch (h->it.kind) {
	case KHO_TEST_FOLIO:
		return again(kho_preserve_folio(virt_to_folio(h->va)));
	case KHO_TEST_PAGES:
		return again(kho_preserve_pages(virt_to_page(h->va), 1ULL << h->it.param));
	case KHO_TEST_BLOB:
		err = again(kho_preserve_pages(virt_to_page(h->va), 1ULL << h->it.param));
		blob_name(&h->it, name);
		kho_remove_subtree(name);
		return err ? err : kho_add_subtree(name, h->va, h->it.bytes);
	case KHO_TEST_SLAB:
		return again(kho_preserve_slab(h->va));
	case KHO_TEST_VMALLOC:
		return preserve_vmalloc_once(h->va, &h->it.vm);
	default:
		return -EINVAL;
	}
}

int kho_test_preserve(void)
{
	struct manifest *m;
	int err = 0;

	if (!set_page)
		return -ENOENT;
	m = page_address(set_page);
	m->nitems = (u64)nheld;
	for (int i = 0; i < nheld; i++) {
		note(&err, preserve_item(&held[i]));
		m->items[i] = held[i].it;
	}
	memcpy(set_index, m->items, (u64)nheld * sizeof(*set_index));
	m->index_items = m->nitems;
	note(&err, preserve_vmalloc_once(set_index, &m->index));
	m->sum = checksum(m, offsetof(struct manifest, sum));
	note(&err, again(kho_preserve_pages(set_page, 4)));
	kho_remove_subtree("kho-test");
	note(&err, kho_add_subtree("kho-test", m, sizeof(*m)));
	pr_info("kho-test: generation %llu preserves %llu items (%d carried on)",
		(unsigned long long)kexec_generation(), (unsigned long long)m->nitems, nkept);
	if (kho_soak_on())
		note(&err, kho_soak_preserve(held, nheld));
	return err;
}

/* The generation's memory, by memmap type. Every page the allocator owns
 * is free or in use by a known kind: a lost page would break the sum. At
 * the end of the chain only the image folio may remain of folios, and only
 * the handover's own two pages may wait. */
static void account(struct ktest_ctx *t, bool last)
{
	struct buddy_stats st;
	u64 count[16];

	buddy_stats(&st);
	memdesc_census(count);
	pr_info("kho-test: generation %llu: %llu of %llu pages free; in use: %llu folio, %llu "
		"bare, %llu slab, %llu page-table; %llu preserved waiting",
		(unsigned long long)kexec_generation(), (unsigned long long)st.free_pages,
		(unsigned long long)st.managed_pages, (unsigned long long)count[MEMDESC_FOLIO],
		(unsigned long long)count[MEMDESC_PAGES], (unsigned long long)count[MEMDESC_SLAB],
		(unsigned long long)count[MEMDESC_PGTABLE],
		(unsigned long long)kho_unclaimed_pages());
	KT_EXPECT(t, st.free_pages + count[MEMDESC_FOLIO] + count[MEMDESC_PAGES] +
				     count[MEMDESC_SLAB] + count[MEMDESC_PGTABLE] ==
			     st.managed_pages);
	if (last) {
		KT_EXPECT(t, count[MEMDESC_FOLIO] ==
				     kexec_image_pages() + kho_linux_test_held_pages());
		KT_EXPECT(t, kho_unclaimed_pages() == 2);
		/* Said only when every check of the chain held. */
		if (!t->fail)
			pr_info("kho-test: chain of %llu generations: no memory leaked",
				(unsigned long long)kexec_chain_length());
	}
}

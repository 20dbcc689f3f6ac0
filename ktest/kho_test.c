/*
 * kho_test.c — the KHO self-test client, in the spirit of Linux's test_kho:
 * what a real user of KHO does, across a kexec chain (kexec.chain=N).
 *
 * Before each kexec it makes a fresh set (kho_test_fill): folios of random
 * orders filled with checksummed data, page runs, a vmalloc'd index of
 * them, kmalloc objects of every size class; then it preserves the set
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
 * Each generation prints its accounting; the last one also checks that
 * nothing leaked: no bare pages or test folios left, and nothing preserved
 * waiting but the handover's own two pages.
 */
#include "kho_test.h"
#include "kho_linux_test.h"
#include "page.h"
#include "buddy.h"
#include "folio.h"
#include "kexec.h"
#include "kexec_timing.h"
#include "kho.h"
#include "ktest.h"
#include "kstring.h"
#include "printk.h"
#include "xorshift.h"
#include "slab.h"
#include "vmalloc.h"

#define MAGIC 0x544b48544f544142ULL /* "BATOTHKT" */
#define MAX_ITEMS 96

enum kind { FOLIO, PAGES, SLAB };

struct item {
	u64 pa;
	u32 kind;
	u32 order_or_size;
	u64 sum;
};

struct manifest {
	u64 magic;
	u64 generation;
	u64 nitems;
	struct kho_vmalloc index;   /* the items again, in a vmalloc'd array */
	u64 index_items;
	struct item items[MAX_ITEMS];
	u64 sum;                    /* of everything above */
};
_Static_assert(sizeof(struct manifest) <= 4 * 4096, "the manifest fits an order-2 block");

/* What this generation holds: restored and kept, then re-preserved. */
static struct item kept[MAX_ITEMS];
static int nkept;
static u64 rng;

static u64 next_rand(void)
{
	return xorshift64(&rng);
}

static u64 checksum(const void *p, u64 bytes)
{
	const u64 *w = p;
	u64 sum = 0;

	for (u64 i = 0; i < bytes / 8; i++)
		sum += w[i] * (i + 1);
	return sum;
}

static u64 fill(void *p, u64 bytes)
{
	u64 *w = p;

	for (u64 i = 0; i < bytes / 8; i++)
		w[i] = next_rand();
	return checksum(p, bytes);
}

static void *item_address(const struct item *it)
{
	return phys_to_virt(it->pa);
}

static u64 item_bytes(const struct item *it)
{
	return it->kind == SLAB ? it->order_or_size : PAGE_SIZE << it->order_or_size;
}

static void free_item(const struct item *it)
{
	if (it->kind == FOLIO)
		folio_put(virt_to_folio(item_address(it)));
	else if (it->kind == PAGES)
		__free_pages(virt_to_page(item_address(it)), it->order_or_size);
	else
		kfree(item_address(it));
}

/* Restore the last generation's set: 0 when all verified, else failures.
 * KHO restores everything first; then the checks run (the phases
 * restore and check of the timeline). */
static int restore(struct ktest_ctx *t)
{
	phys_addr_t pa;
	u64 size;
	struct page *mp;
	struct manifest *m;
	struct item *index;
	void *data[MAX_ITEMS];
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
	for (u64 i = 0; i < m->nitems; i++) {
		struct item *it = &m->items[i];

		if (it->kind == FOLIO) {
			struct folio *f = kho_restore_folio(it->pa);

			data[i] = f ? folio_address(f) : NULL;
		} else if (it->kind == PAGES) {
			struct page *pg = kho_restore_pages(it->pa, 1UL << it->order_or_size);

			data[i] = pg ? page_address(pg) : NULL;
		} else {
			data[i] = kho_restore_slab(it->pa);
		}
	}
	kexec_timing_enter(KT_CHECK);
	KT_EXPECT(t, index != NULL && m->index_items == m->nitems);
	for (u64 i = 0; i < m->nitems; i++) {
		struct item *it = &m->items[i];

		KT_EXPECT(t, !index || memcmp(&index[i], it, sizeof(*it)) == 0);
		KT_EXPECT(t, data[i] != NULL);
		if (!data[i]) {
			bad++;
			continue;
		}
		if (it->kind == FOLIO)
			KT_EXPECT(t, folio_order(virt_to_folio(data[i])) == it->order_or_size);
		else if (it->kind == SLAB)
			KT_EXPECT(t, ksize(data[i]) == it->order_or_size);
		KT_EXPECT(t, checksum(data[i], item_bytes(it)) == it->sum);
		/* Free every other one; keep the rest for the next set. */
		if (i % 2 || nkept == MAX_ITEMS / 2)
			free_item(it);
		else
			kept[nkept++] = *it;
	}
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
	rng = 0x9e3779b97f4a7c15ULL ^ (kexec_generation() * 0x2545f4914f6cdd1dULL);
	restore(t);
	kexec_timing_enter(KT_CHECK);
	if (kexec_generation() && kexec_generation() == kexec_chain_length() &&
	    kho_is_kho_boot()) {
		/* The end of the chain: give back what was kept, then nothing
		 * may be left over. */
		while (nkept)
			free_item(&kept[--nkept]);
		account(t, true);
	} else {
		account(t, false);
	}
}

static bool add(struct manifest *m, struct item it)
{
	if (m->nitems == MAX_ITEMS)
		return false;
	m->items[m->nitems++] = it;
	return true;
}

/* Keep the first error of several calls. */
static void note(int *err, int e)
{
	if (!*err)
		*err = e;
}

/* The set being handed on: made by kho_test_fill, then preserved. */
static struct page *set_page;
static struct item *set_index;

int kho_test_fill(void)
{
	static const u32 sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096 };
	struct page *mp = alloc_pages(__GFP_ZERO, 2);
	struct manifest *m;

	if (!mp)
		return -ENOMEM;
	m = page_address(mp);
	m->magic = MAGIC;
	m->generation = kexec_generation();
	for (int i = 0; i < nkept; i++) /* carried on from the last set */
		add(m, kept[i]);
	for (int i = 0; i < 12; i++) { /* folios of random orders */
		unsigned order = next_rand() % 8;
		struct folio *f = folio_alloc(GFP_KERNEL, order);

		if (!f)
			break;
		add(m, (struct item){ folio_pfn(f) << PAGE_SHIFT, FOLIO, order,
				      fill(folio_address(f), folio_size(f)) });
	}
	for (unsigned order = 0; order < 4; order++) { /* page runs */
		struct page *p = alloc_pages(GFP_KERNEL, order);

		if (!p)
			break;
		add(m, (struct item){ page_to_phys(p), PAGES, order,
				      fill(page_address(p), PAGE_SIZE << order) });
	}
	for (unsigned i = 0; i < ARRAY_SIZE(sizes); i++) { /* slab objects */
		void *o = kmalloc(sizes[i], GFP_KERNEL);

		if (!o)
			break;
		add(m, (struct item){ virt_to_phys(o), SLAB, sizes[i], fill(o, sizes[i]) });
	}
	set_index = vmalloc(m->nitems * sizeof(*set_index)); /* the vmalloc'd index */
	if (!set_index)
		return -ENOMEM;
	memcpy(set_index, m->items, m->nitems * sizeof(*set_index));
	m->index_items = m->nitems;
	set_page = mp;
	return 0;
}

static int preserve_item(const struct item *it)
{
	if (it->kind == FOLIO)
		return kho_preserve_folio(virt_to_folio(item_address(it)));
	if (it->kind == PAGES)
		return kho_preserve_pages(virt_to_page(item_address(it)), 1UL << it->order_or_size);
	return kho_preserve_slab(item_address(it));
}

int kho_test_preserve(void)
{
	struct manifest *m;
	int err = 0;

	if (!set_page)
		return -ENOENT;
	m = page_address(set_page);
	for (u64 i = 0; i < m->nitems; i++)
		note(&err, preserve_item(&m->items[i]));
	note(&err, kho_preserve_vmalloc(set_index, &m->index));
	m->sum = checksum(m, offsetof(struct manifest, sum));
	note(&err, kho_preserve_pages(set_page, 4));
	kho_remove_subtree("kho-test");
	note(&err, kho_add_subtree("kho-test", m, sizeof(*m)));
	pr_info("kho-test: generation %llu preserves %llu items (%d carried on)",
		(unsigned long long)kexec_generation(), (unsigned long long)m->nitems, nkept);
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
		(unsigned long long)count[MEMDESC_PGTABLE], (unsigned long long)kho_unclaimed_pages());
	KT_EXPECT(t, st.free_pages + count[MEMDESC_FOLIO] + count[MEMDESC_PAGES] +
			     count[MEMDESC_SLAB] + count[MEMDESC_PGTABLE] == st.managed_pages);
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

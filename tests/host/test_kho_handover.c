/*
 * test_kho_handover.c — the two-kernel test of docs/design.md section 9, in one
 * process. Generation A preserves folios of every order and page runs
 * filled with checksummed data, serializes, and then every piece of kernel
 * state is thrown away: only the fake RAM survives, as it does across
 * kexec. Generation B boots from the handover alone, restores, checks every
 * byte, frees with the matching free functions, and checks that the
 * allocator ends with exactly the memory it should. Several generations
 * run in a row. Then damaged handovers, each refused with its own message
 * and nothing marked.
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "harness.h"
#include "host.h"
#include "buddy.h"
#include "folio.h"
#include "kho.h"
#include "printk.h"
#include "memblock.h"
#include "mm_boot.h"
#include "slab.h"
#include "vmalloc.h"

#define RAM_BASE 0x40000000ULL
#define RAM (128ULL << 20)
#define KERNEL_IMAGE MM_KERNEL_IMAGE(RAM_BASE)

/* What the test (not the kernel) remembers across a kexec. */
enum item_kind { PAGES, FOLIO, SLAB };

struct item {
	u32 kind;
	phys_addr_t pa;
	u64 nr_pages;
	u64 sum;
};
static struct item items[256];
static int nitems;

/* A vmalloc'd index of the items (what a real client would keep), and its
 * descriptor. */
static struct kho_vmalloc index_desc;
static u64 index_pages;

/* The client's subtree blob: everything the next generation needs to find
 * its memory, with a magic number and a checksum. The test forgets its own
 * copies between generations and reads them back from here. */
#define MANIFEST_MAGIC 0x4241544f4e4b484fULL /* "BATONKHO" */
struct manifest {
	u64 magic;
	u64 nitems;
	struct item items[64];
	struct kho_vmalloc index;
	u64 index_pages;
	u64 sum;
};
_Static_assert(sizeof(struct manifest) <= 4096, "the manifest fits a page");

static u64 manifest_sum(const struct manifest *m)
{
	return host_wsum(m, offsetof(struct manifest, sum));
}
static u64 boot_fdt_buf[8192 / 8];

static u64 fill(void *p, u64 bytes, u64 seed)
{
	u64 *w = p;

	for (u64 i = 0; i < bytes / 8; i++)
		w[i] = host_rand(&seed);
	return host_wsum(p, bytes);
}

/* Boot one generation on the surviving RAM (mm_boot.h). */
static void boot_generation(const void *boot_fdt)
{
	mm_boot_generation(RAM_BASE, RAM, boot_fdt);
}

/* The boot FDT kexec would build: /chosen with the two KHO properties. */
static const void *handover_fdt(const struct kho_handover *h)
{
	REQUIRE(kho_handover_fdt(boot_fdt_buf, sizeof(boot_fdt_buf), h) == 0);
	return boot_fdt_buf;
}

/* Preserve a fresh random set: folios of every order, and page runs. */
static void preserve_set(u64 seed)
{
	nitems = 0;
	for (unsigned o = 0; o <= MAX_ORDER; o++) {
		struct folio *f = folio_alloc(GFP_KERNEL, o);
		struct item *it = &items[nitems++];

		REQUIRE(f);
		it->kind = FOLIO;
		it->pa = folio_pfn(f) << PAGE_SHIFT;
		it->nr_pages = folio_nr_pages(f);
		it->sum = fill(folio_address(f), folio_size(f), seed + o);
		REQUIRE(kho_preserve_folio(f) == 0);
		EXPECT_EQ(kho_preserve_folio(f), -EEXIST);
	}
	for (unsigned o = 0; o <= 4; o++) {
		struct page *p = alloc_pages(GFP_KERNEL, o);

		struct item *it = &items[nitems++];

		REQUIRE(p);
		it->kind = PAGES;
		it->pa = page_to_phys(p);
		it->nr_pages = 1UL << o;
		it->sum = fill(page_address(p), PAGE_SIZE << o, seed * 31 + o);
		REQUIRE(kho_preserve_pages(p, 1UL << o) == 0);
	}
	/* kmalloc objects of every size class, three each, with neighbours in
	 * their slabs that are not preserved. */
	static const u32 sizes[] = { 8, 16, 32, 64, 96, 128, 192, 256, 512, 1024, 2048, 4096 };
	for (unsigned k = 0; k < 3 * sizeof(sizes) / sizeof(sizes[0]); k++) {
		u32 sz = sizes[k % (sizeof(sizes) / sizeof(sizes[0]))];
		void *o = kmalloc(sz, GFP_KERNEL), *neighbour = kmalloc(sz, GFP_KERNEL);
		struct item *it = &items[nitems++];

		REQUIRE(o && neighbour && nitems <= 64);
		it->kind = SLAB;
		it->pa = virt_to_phys(o);
		it->nr_pages = sz; /* for a slab object: its size */
		it->sum = fill(o, sz, seed * 77 + k);
		REQUIRE(kho_preserve_slab(o) == 0);
		kfree(neighbour);
	}
	EXPECT_EQ(kho_preserve_slab(items[0].pa ? phys_to_virt(items[0].pa) : NULL), -EINVAL);

	/* The index: big enough to need two chunk pages (over 511 pages). */
	index_pages = 600 + seed % 7;
	struct item *index = vmalloc(index_pages * PAGE_SIZE);
	REQUIRE(index);
	for (u64 i = 0; i < index_pages * PAGE_SIZE / sizeof(*index); i++)
		index[i] = items[i % nitems];
	REQUIRE(kho_preserve_vmalloc(index, &index_desc) == 0);
	EXPECT_EQ(index_desc.total_pages, index_pages);

	/* The manifest, preserved and named in the root FDT. */
	struct page *mp = alloc_pages(__GFP_ZERO, 0);
	struct manifest *m = page_address(mp);

	REQUIRE(mp && nitems <= 64);
	m->magic = MANIFEST_MAGIC;
	m->nitems = (u64)nitems;
	memcpy(m->items, items, sizeof(items[0]) * nitems);
	m->index = index_desc;
	m->index_pages = index_pages;
	m->sum = manifest_sum(m);
	REQUIRE(kho_preserve_pages(mp, 1) == 0);
	kho_remove_subtree("baton-test"); /* a previous generation's */
	REQUIRE(kho_add_subtree("baton-test", m, sizeof(*m)) == 0);
	EXPECT_EQ(kho_add_subtree("baton-test", m, sizeof(*m)), -EEXIST);
}

/* Forget everything the test knew, then learn it again from the handover. */
static void read_manifest(void)
{
	phys_addr_t pa;
	u64 size;
	struct page *mp;
	const struct manifest *m;

	memset(items, 0, sizeof(items));
	nitems = 0;
	memset(&index_desc, 0, sizeof(index_desc));
	index_pages = 0;
	REQUIRE(kho_retrieve_subtree("baton-test", &pa, &size) == 0);
	EXPECT_EQ(size, sizeof(struct manifest));
	EXPECT_EQ(kho_retrieve_subtree("no-such-blob", &pa, &size), -ENOENT);
	mp = kho_restore_pages(pa, 1);
	REQUIRE(mp);
	m = page_address(mp);
	REQUIRE(m->magic == MANIFEST_MAGIC);
	REQUIRE(m->sum == manifest_sum(m));
	nitems = (int)m->nitems;
	memcpy(items, m->items, sizeof(items[0]) * nitems);
	index_desc = m->index;
	index_pages = m->index_pages;
	__free_pages(mp, 0);
}

/* Restore the set, check every byte, free with the matching free. */
static void restore_set(void)
{
	struct item *index;

	read_manifest();
	index = kho_restore_vmalloc(&index_desc);

	REQUIRE(index);
	EXPECT(is_vmalloc_addr(index));
	for (u64 i = 0; i < index_pages * PAGE_SIZE / sizeof(*index); i++)
		REQUIRE(memcmp(&index[i], &items[i % nitems], sizeof(*index)) == 0);
	EXPECT(kho_restore_vmalloc(&index_desc) == NULL); /* twice: refused */
	vfree(index);

	for (int i = 0; i < nitems; i++) {
		struct item *it = &items[i];

		if (it->kind == SLAB) {
			void *o = kho_restore_slab(it->pa);

			REQUIRE(o);
			EXPECT_EQ(host_wsum(o, it->nr_pages), it->sum);
			EXPECT_EQ(ksize(o), it->nr_pages);
			EXPECT(kho_restore_slab(it->pa) == NULL); /* twice: refused */
			kfree(o);
		} else if (it->kind == FOLIO) {
			struct folio *f = kho_restore_folio(it->pa);

			REQUIRE(f);
			EXPECT_EQ(folio_nr_pages(f), it->nr_pages);
			EXPECT_EQ(host_wsum(folio_address(f), folio_size(f)), it->sum);
			EXPECT(kho_restore_folio(it->pa) == NULL); /* twice: refused */
			folio_put(f);
		} else {
			struct page *p = kho_restore_pages(it->pa, it->nr_pages);
			unsigned o = (unsigned)__builtin_ctzll(it->nr_pages);

			REQUIRE(p);
			EXPECT_EQ(host_wsum(page_address(p), it->nr_pages * PAGE_SIZE), it->sum);
			__free_pages(p, o);
		}
	}
}

TEST(kho, generations_hand_over_and_free)
{
	struct kho_handover h;
	const void *boot_fdt = NULL;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	for (int gen = 0; gen < 4; gen++) {
		struct buddy_stats st;

		host_log_clear();
		boot_generation(boot_fdt);
		EXPECT_EQ(kho_is_kho_boot(), gen > 0);
		if (gen > 0) {
			EXPECT_LOG("kho: handover accepted");
			/* kexec-metadata: who wrote it, and the count goes up */
			{
				char said[64];

				snprintf(said, sizeof(said), "(host), kexec %d since", gen);
				EXPECT_LOG("by Baton ");
				EXPECT_LOG(said);
			}
			restore_set();
			EXPECT(kho_restore_folio(0x7ff00000) == NULL); /* never preserved */
			/* All that waits now is the handover's own two pages. */
			EXPECT_EQ(kho_unclaimed_pages(), 2);
			buddy_check();
			buddy_stats(&st);
			EXPECT_EQ(st.free_pages + mm_slab_pages(), st.managed_pages);
		}
		preserve_set(1000 + gen);
		REQUIRE(kho_serialize(&h) == 0);
		boot_fdt = handover_fdt(&h);
	}
}

/* After a refused handover: nothing waits, no page of the memmap says
 * PRESERVED, and the allocator is whole. */
static void expect_nothing_marked(void)
{
	EXPECT_EQ(kho_unclaimed_pages(), 0);
	for (u64 pfn = RAM_BASE >> PAGE_SHIFT; pfn < (RAM_BASE + RAM) >> PAGE_SHIFT; pfn++)
		REQUIRE(memdesc_type(pfn_to_page(pfn)->memdesc) != MEMDESC_PRESERVED);
	buddy_check();
}

/* ---- Damage only a restore can see: refused, and nothing taken. ---- */

/* Generation A preserves the usual set; B boots from it and reads the
 * manifest. Returns the handover, for the root FDT's address. */
static struct kho_handover accepted_handover(void)
{
	struct kho_handover h;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot_generation(NULL);
	preserve_set(11);
	REQUIRE(kho_serialize(&h) == 0);
	boot_generation(handover_fdt(&h));
	REQUIRE(kho_is_kho_boot());
	read_manifest();
	return h;
}

/* kho_restore_vmalloc refuses the damaged chain with a line, takes
 * nothing (the same pages wait), and restores once the damage is undone. */
static void vmalloc_refused(u64 *word, u64 bad, const char *message)
{
	u64 waiting = kho_unclaimed_pages(), good = *word;
	struct item *index;

	*word = bad;
	host_log_clear();
	EXPECT(kho_restore_vmalloc(&index_desc) == NULL);
	EXPECT_LOG(message);
	EXPECT_LOG("does not match what was preserved");
	EXPECT_EQ(kho_unclaimed_pages(), waiting);
	*word = good;
	index = kho_restore_vmalloc(&index_desc);
	REQUIRE(index);
	EXPECT_EQ(kho_unclaimed_pages(), waiting - index_pages - 2); /* 2 chunks */
	vfree(index);
}

static struct kho_vmalloc_chunk *index_chunk(int n)
{
	phys_addr_t pa = index_desc.first;

	while (n--)
		pa = ((struct kho_vmalloc_chunk *)phys_to_virt(pa))->next;
	return phys_to_virt(pa);
}

TEST(kho, vmalloc_refuses_a_chunk_listed_as_a_page)
{
	accepted_handover();
	vmalloc_refused(&index_chunk(1)->phys[3], index_desc.first,
			"belongs to the restore in progress (named twice?)");
}

TEST(kho, vmalloc_refuses_a_page_listed_twice)
{
	accepted_handover();
	vmalloc_refused(&index_chunk(1)->phys[5], index_chunk(0)->phys[7],
			"belongs to the restore in progress (named twice?)");
}

TEST(kho, vmalloc_refuses_a_chain_that_loops)
{
	accepted_handover();
	vmalloc_refused(&index_chunk(1)->next, index_desc.first, "kho: the vmalloc descriptor");
}

TEST(kho, vmalloc_refuses_a_page_of_the_slab_records)
{
	phys_addr_t pa, slab = 0;
	const struct kho_slab_chunk *c;
	u64 size;

	accepted_handover();
	REQUIRE(kho_retrieve_subtree("baton,slab", &pa, &size) == 0);
	c = phys_to_virt(pa);
	for (u64 i = 0; i < c->count && !slab; i++)
		if (c->rec[i].slab_order == 0) /* an order-0 slab: a page a chain could name */
			slab = ALIGN_DOWN(c->rec[i].phys, PAGE_SIZE);
	REQUIRE(slab);
	vmalloc_refused(&index_chunk(0)->phys[2], slab, "belongs to the slab records");
}

TEST(kho, vmalloc_refuses_a_chunk_of_the_slab_records)
{
	phys_addr_t pa;
	u64 size;

	accepted_handover();
	REQUIRE(kho_retrieve_subtree("baton,slab", &pa, &size) == 0);
	vmalloc_refused(&index_chunk(0)->phys[2], pa, "belongs to the slab records");
}

TEST(kho, vmalloc_refuses_a_short_or_long_count)
{
	u64 waiting;

	accepted_handover();
	waiting = kho_unclaimed_pages();
	/* The chain lists one page more than the descriptor says ... */
	index_desc.total_pages--;
	EXPECT(kho_restore_vmalloc(&index_desc) == NULL);
	index_desc.total_pages++;
	/* ... or one fewer. */
	vmalloc_refused(&index_chunk(1)->phys[index_pages - 511 - 1], 0, "kho: the vmalloc");
	(void)waiting;
}

/* ---- Scratch (validate.c, rules 4 and 18) ---- */

/* Generation A's handover, for B to be booted by hand. */
static struct kho_handover handover_of_a(void)
{
	struct kho_handover h;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot_generation(NULL);
	preserve_set(5);
	REQUIRE(kho_serialize(&h) == 0);
	return h;
}

/* Linux writes empty scratch areas; they are kept in place (and passed
 * on), unused, not refused. */
TEST(kho, empty_scratch_areas_are_ignored)
{
	struct kho_handover h = handover_of_a();
	struct kho_scratch *a = phys_to_virt(h.scratch);
	const struct kho_scratch *got;

	a[1] = a[0]; /* the array's page has room: [empty, area, empty] */
	a[0] = (struct kho_scratch){ a[1].addr + a[1].size, 0 };
	a[2] = (struct kho_scratch){ 0, 0 };
	h.scratch_size = 3 * sizeof(*a);
	host_log_clear();
	boot_generation(handover_fdt(&h));
	EXPECT(kho_is_kho_boot());
	EXPECT_LOG("kho: handover accepted (kho-v4): "); /* Baton writes Linux 7.3's */
	EXPECT_LOG("3 scratch areas");
	REQUIRE(kho_scratch_areas(&got) == 3);
	EXPECT_EQ(got[0].size, 0);
	EXPECT_EQ(got[1].addr, a[1].addr);
	EXPECT_EQ(got[1].size, a[1].size);
	EXPECT_EQ(got[2].size, 0);
}

TEST(kho, refuses_scratch_on_firmware_memory)
{
	struct kho_handover h = handover_of_a();
	const struct kho_scratch *a = phys_to_virt(h.scratch);
	void *fdt = (void *)handover_fdt(&h);

	/* The next boot's firmware keeps a page in the middle of scratch. */
	REQUIRE(fdt_add_mem_rsv(fdt, a[0].addr + (4 << 20), PAGE_SIZE) == 0);
	host_log_clear();
	boot_generation(fdt);
	EXPECT(!kho_is_kho_boot());
	EXPECT_LOG("overlaps memory the firmware reserved; booting as a cold boot");
	expect_nothing_marked();
}

/* Linux's kexec_file_load puts the initrd in scratch and reserves exactly
 * it: that reservation is the loader's and allowed; one a page larger is
 * not. */
TEST(kho, accepts_the_initrd_reserved_in_scratch)
{
	for (int bigger = 0; bigger < 2; bigger++) {
		struct kho_handover h = handover_of_a();
		const struct kho_scratch *a = phys_to_virt(h.scratch);
		void *fdt = (void *)handover_fdt(&h);
		int chosen = fdt_path_offset(fdt, "/chosen");
		u64 start = a[0].addr + (4 << 20), size = 3 * PAGE_SIZE;

		REQUIRE(chosen >= 0);
		REQUIRE(fdt_setprop_u64(fdt, chosen, "linux,initrd-start", start) == 0);
		REQUIRE(fdt_setprop_u64(fdt, chosen, "linux,initrd-end", start + size) == 0);
		REQUIRE(fdt_add_mem_rsv(fdt, start, size + (u64)bigger * PAGE_SIZE) == 0);
		host_log_clear();
		boot_generation(fdt);
		EXPECT_EQ(kho_is_kho_boot(), !bigger);
		if (bigger) {
			EXPECT_LOG("overlaps memory the firmware reserved");
			expect_nothing_marked();
		}
	}
}

TEST(kho, refuses_a_scratch_array_of_empty_areas)
{
	struct kho_handover h = handover_of_a();
	struct kho_scratch *a = phys_to_virt(h.scratch);

	a[0].size = 0;
	host_log_clear();
	boot_generation(handover_fdt(&h));
	EXPECT(!kho_is_kho_boot());
	EXPECT_LOG("no scratch area is usable");
	expect_nothing_marked();
}

/* A next boot whose RAM spans so much that its memory map fits nowhere
 * outside scratch and the preserved blocks: refused at the scan, not a
 * panic when the memmap is placed. */
TEST(kho, refuses_a_handover_that_leaves_no_room_for_the_memmap)
{
	struct kho_handover h = handover_of_a();

	memblock_reset();
	kho_reset();
	memblock_add(RAM_BASE, RAM);
	/* 64 KiB of RAM 1 TiB up: the memmap spans it all, 2 GiB in one
	 * piece, and no free range holds that. */
	memblock_add(1ULL << 40, 64 << 10);
	memblock_reserve(RAM_BASE, 1 << 20);
	memblock_reserve(KERNEL_IMAGE, 1 << 20);
	host_log_clear();
	EXPECT_EQ(kho_scan(handover_fdt(&h)), -ENOSPC);
	EXPECT_LOG("scratch and the preserved blocks leave no room for the memory map (");
	EXPECT_LOG("; booting as a cold boot");
}

/* Blocks the handover owns are no client's to take. */
TEST(kho, restores_refuse_the_handovers_own_pages)
{
	struct kho_handover h = accepted_handover();

	host_log_clear();
	EXPECT(kho_restore_pages(h.fdt, 1) == NULL);
	EXPECT_LOG("belongs to the handover itself");
	EXPECT(kho_restore_folio(h.scratch & ~(PAGE_SIZE - 1)) == NULL);
	EXPECT(kho_restore_page_desc(h.fdt, 0, MEMDESC_PAGES_OF(0)) == NULL);
	EXPECT_EQ(kho_unclaimed_pages() >= 2, 1);
}

/* A page count that runs past the end of memory is refused, not wrapped. */
TEST(kho, restore_pages_refuses_counts_past_the_memmap)
{
	accepted_handover();
	host_log_clear();
	EXPECT(kho_restore_pages(items[0].pa, ~0ULL) == NULL);
	EXPECT(kho_restore_pages(items[0].pa, (RAM_BASE + RAM - items[0].pa) / PAGE_SIZE + 1) ==
	       NULL);
	EXPECT_LOG("kho: ");
}

/* ---- Damaged handovers: each refused whole, with its own line. ---- */

enum damage {
	TRUNCATED,
	WRONG_COMPATIBLE,
	NODE_OUTSIDE_RAM,
	NODE_IN_SCRATCH,
	NODE_ON_RESERVED,
	NODE_IN_KERNEL_IMAGE,
	OVERLAP,
	BAD_ORDER,
	BAD_SCRATCH_ARRAY,
	SUBTREE_OUT_OF_BOUNDS,
	/* One owner per page, and the slab records (validate.c, rules 15-17). */
	BLOB_ON_ROOT_FDT,
	NODE_IN_PRESERVED_BLOCK,
	SLAB_CHUNK_IS_A_SLAB,
	SLAB_RECORD_TWICE,
	SLAB_ORDER_HUGE,
	SLAB_SLOT_MISALIGNED,
	SLAB_TWO_SIZES,
	IMAGE_BIGGER_THAN_BLOCK,
	IMAGE_ON_ROOT_FDT,
};

/* The first chunk of the baton,slab chain. */
static struct kho_slab_chunk *slab_chunk(const struct kho_handover *h)
{
	const void *fdt = phys_to_virt(h->fdt);
	int node = fdt_subnode_offset(fdt, 0, "baton,slab");
	const void *data = node >= 0 ? fdt_getprop(fdt, node, "preserved-data", NULL) : NULL;
	u64 pa;

	REQUIRE(data);
	memcpy(&pa, data, 8); /* FDT properties are only 4-byte aligned */
	return phys_to_virt(pa);
}

/* The first record of the chain whose slot size is sz. */
static struct kho_slab_rec *slab_rec_of_size(const struct kho_handover *h, u32 sz)
{
	struct kho_slab_chunk *c = slab_chunk(h);

	for (u64 i = 0; i < c->count; i++)
		if (c->rec[i].slot_size == sz)
			return &c->rec[i];
	REQUIRE(false);
	return NULL;
}

static u64 *radix_root_table(const struct kho_handover *h)
{
	const u64 *map = fdt_getprop(phys_to_virt(h->fdt), 0, "preserved-memory-map", NULL);

	REQUIRE(map);
	return phys_to_virt(*map);
}

/* Point the first used root-table entry (or a copy of it) elsewhere. */
static void redirect_root_entry(const struct kho_handover *h, phys_addr_t to)
{
	u64 *t = radix_root_table(h);

	for (int i = 0; i < 512; i++) {
		if (t[i]) {
			t[i] = to;
			return;
		}
	}
	REQUIRE(false);
}

static void refused(enum damage d, const char *message)
{
	struct kho_handover h;
	struct folio *f;
	const struct kho_scratch *areas;
	const void *boot_fdt;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot_generation(NULL);
	preserve_set(7);
	f = folio_alloc(GFP_KERNEL, 3);
	REQUIRE(f && kho_preserve_folio(f) == 0);
	if (d == OVERLAP) /* a page inside a preserved folio, preserved again */
		REQUIRE(kho_preserve_pages(f->page + 1, 1) == 0);
	if (d == SUBTREE_OUT_OF_BOUNDS) /* a blob running past its page */
		REQUIRE(kho_add_subtree("too-long", folio_address(f), 1ULL << 30) == 0);
	REQUIRE(kho_serialize(&h) == 0);
	REQUIRE(kho_scratch_areas(&areas) == 1);

	switch (d) {
	case TRUNCATED:
		((struct fdt_header *)phys_to_virt(h.fdt))->totalsize = cpu_to_fdt32(2 * PAGE_SIZE);
		break;
	case WRONG_COMPATIBLE:
		REQUIRE(fdt_setprop_string(phys_to_virt(h.fdt), 0, "compatible", "kho-v1") == 0);
		break;
	case NODE_OUTSIDE_RAM:
		redirect_root_entry(&h, 0x1000000000ULL);
		break;
	case NODE_IN_SCRATCH:
		redirect_root_entry(&h, areas[0].addr);
		break;
	case NODE_ON_RESERVED:
		redirect_root_entry(&h, RAM_BASE); /* the "firmware" MiB */
		break;
	case NODE_IN_KERNEL_IMAGE:
		redirect_root_entry(&h, KERNEL_IMAGE + PAGE_SIZE);
		break;
	case BAD_ORDER: {
		u64 *t = radix_root_table(&h);

		for (int i = 0; i < 511; i++)
			if (t[i]) {
				t[511] = t[i];
				break;
			}
		break;
	}
	case BAD_SCRATCH_ARRAY:
		h.scratch_size = 24;
		break;
	case BLOB_ON_ROOT_FDT: { /* a subtree's blob pointed at the root FDT page */
		void *fdt = phys_to_virt(h.fdt);
		int node = fdt_subnode_offset(fdt, 0, "baton-test");
		u64 at = h.fdt;

		REQUIRE(node >= 0);
		REQUIRE(fdt_setprop_inplace(fdt, node, "preserved-data", &at, 8) == 0);
		break;
	}
	case NODE_IN_PRESERVED_BLOCK: { /* the root node moved into the folio f */
		void *fdt = phys_to_virt(h.fdt);
		u64 to = folio_pfn(f) << PAGE_SHIFT;

		memcpy(folio_address(f), radix_root_table(&h), PAGE_SIZE);
		REQUIRE(fdt_setprop_inplace(fdt, 0, "preserved-memory-map", &to, 8) == 0);
		break;
	}
	case SLAB_CHUNK_IS_A_SLAB: { /* a 4096-byte slot whose slab is the chunk */
		struct kho_slab_rec *r = slab_rec_of_size(&h, 4096);

		r->phys = virt_to_phys(slab_chunk(&h));
		r->slab_order = 0;
		break;
	}
	case SLAB_RECORD_TWICE: {
		struct kho_slab_chunk *c = slab_chunk(&h);

		REQUIRE(c->count >= 2 && c->count < KHO_SLAB_CHUNK_RECS);
		c->rec[c->count] = c->rec[0];
		c->count++;
		break;
	}
	case SLAB_ORDER_HUGE:
		slab_rec_of_size(&h, 64)->slab_order = 70;
		break;
	case SLAB_SLOT_MISALIGNED:
		slab_rec_of_size(&h, 96)->phys += 8;
		break;
	case SLAB_TWO_SIZES: { /* a 32-byte object recorded as a 16-byte one */
		struct kho_slab_rec *r = slab_rec_of_size(&h, 32);

		r->slot_size = 16;
		break;
	}
	case IMAGE_BIGGER_THAN_BLOCK:
	case IMAGE_ON_ROOT_FDT:
	case OVERLAP:
	case SUBTREE_OUT_OF_BOUNDS:
		break;
	}
	boot_fdt = handover_fdt(&h);
	if (d == IMAGE_BIGGER_THAN_BLOCK || d == IMAGE_ON_ROOT_FDT) {
		/* /chosen/baton,image: the order-3 folio f, said to be bigger
		 * than it is; or the root FDT's page named as the image. */
		int chosen = fdt_path_offset(boot_fdt, "/chosen");
		u64 base = d == IMAGE_ON_ROOT_FDT ? h.fdt : folio_pfn(f) << PAGE_SHIFT;
		u64 size = d == IMAGE_ON_ROOT_FDT ? 4096 : 9 * PAGE_SIZE;

		REQUIRE(fdt_appendprop_addrrange((void *)boot_fdt, 0, chosen, "baton,image", base,
						 size) == 0);
	}

	host_log_clear();
	boot_generation(boot_fdt);
	EXPECT(!kho_is_kho_boot());
	EXPECT_LOG("kho: handover refused: ");
	EXPECT_LOG(message);
	EXPECT_LOG("; booting as a cold boot");
	expect_nothing_marked();
}

TEST(kho, refuses_truncated_fdt)
{
	refused(TRUNCATED,
		"the KHO root FDT is truncated or damaged: totalsize 8192 is larger than "
		"the 4096 bytes allowed");
}

TEST(kho, refuses_wrong_compatible)
{
	refused(WRONG_COMPATIBLE,
		"says compatible \"kho-v1\": this kernel reads \"kho-v3\" and \"kho-v4\"");
}

TEST(kho, refuses_radix_pointer_outside_ram)
{
	refused(NODE_OUTSIDE_RAM, "radix node 0x1000000000 is outside RAM");
}

TEST(kho, refuses_radix_pointer_into_scratch)
{
	refused(NODE_IN_SCRATCH, "is inside scratch");
}

TEST(kho, refuses_radix_pointer_onto_reserved_memory)
{
	refused(NODE_ON_RESERVED, "radix node 0x40000000 is on memory this boot has reserved");
}

TEST(kho, refuses_radix_pointer_into_the_kernel_image)
{
	refused(NODE_IN_KERNEL_IMAGE, "radix node 0x40201000 is on memory this boot has reserved");
}

TEST(kho, refuses_overlapping_blocks)
{
	refused(OVERLAP, "overlap");
}

TEST(kho, refuses_bad_orders)
{
	refused(BAD_ORDER, "a preserved-memory map key encodes no valid order");
}

TEST(kho, refuses_bad_scratch_array)
{
	refused(BAD_SCRATCH_ARRAY,
		"the scratch array is misaligned, of a bad size, or outside RAM");
}

TEST(kho, refuses_subtree_blob_out_of_bounds)
{
	refused(SUBTREE_OUT_OF_BOUNDS, "subtree 'too-long' blob");
}

TEST(kho, refuses_a_blob_on_the_root_fdt_page)
{
	refused(BLOB_ON_ROOT_FDT, "is claimed twice: by ");
	EXPECT_LOG("the root FDT 0x");
	EXPECT_LOG("a subtree blob at 0x");
}

TEST(kho, refuses_a_radix_node_inside_a_preserved_block)
{
	refused(NODE_IN_PRESERVED_BLOCK, "lies in a preserved block");
}

TEST(kho, refuses_a_slab_chunk_that_is_also_a_slab)
{
	refused(SLAB_CHUNK_IS_A_SLAB, "is claimed twice: by ");
	EXPECT_LOG("slab chunk 0x");
	EXPECT_LOG("the slab 0x");
}

TEST(kho, refuses_a_slab_record_listed_twice)
{
	refused(SLAB_RECORD_TWICE, "the slab records are damaged: object 0x");
}

TEST(kho, refuses_a_slab_order_before_shifting_by_it)
{
	refused(SLAB_ORDER_HUGE, "the slab records are damaged: slab order 70");
}

TEST(kho, refuses_a_slab_object_off_its_slot)
{
	refused(SLAB_SLOT_MISALIGNED, "is not a slot of its slab");
}

TEST(kho, refuses_a_slab_recorded_with_two_sizes)
{
	refused(SLAB_TWO_SIZES, "recorded with two slot sizes or orders");
}

TEST(kho, refuses_an_image_copy_bigger_than_its_block)
{
	refused(IMAGE_BIGGER_THAN_BLOCK, "is not a preserved block that holds it");
}

TEST(kho, refuses_an_image_copy_on_the_root_fdt_page)
{
	refused(IMAGE_ON_ROOT_FDT, "is claimed twice: by ");
	EXPECT_LOG("the root FDT 0x");
	EXPECT_LOG("the image copy 0x");
}

TEST(kho, preserve_refuses_scratch_and_free_memory)
{
	const struct kho_scratch *areas;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot_generation(NULL);
	REQUIRE(kho_scratch_areas(&areas) == 1);
	/* Scratch is not the allocator's, so not even a page of it can be
	 * handed in; and a free page is refused too. */
	EXPECT_EQ(kho_preserve_pages(pfn_to_page(areas[0].addr >> PAGE_SHIFT), 1), -EINVAL);
	struct page *p = alloc_pages(GFP_KERNEL, 0);
	__free_pages(p, 0);
	EXPECT_EQ(kho_preserve_pages(p, 1), -EINVAL);
	EXPECT_LOG("refused to preserve");
}

/* Unpreserving takes each kind back: after it, the next generation finds
 * nothing but the handover's own two pages. */
TEST(kho, unpreserve_takes_everything_back)
{
	struct kho_handover h;
	struct kho_vmalloc v;
	struct folio *f;
	struct page *p;
	void *area, *o1, *o2;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot_generation(NULL);
	f = folio_alloc(GFP_KERNEL, 4);
	p = alloc_pages(GFP_KERNEL, 3);
	area = vmalloc(5 * PAGE_SIZE);
	o1 = kmalloc(64, GFP_KERNEL);
	o2 = kmalloc(64, GFP_KERNEL); /* the same slab as o1 */
	REQUIRE(f && p && area && o1 && o2);
	REQUIRE(kho_preserve_folio(f) == 0);
	REQUIRE(kho_preserve_pages(p, 8) == 0);
	REQUIRE(kho_preserve_vmalloc(area, &v) == 0);
	REQUIRE(kho_preserve_slab(o1) == 0);
	REQUIRE(kho_preserve_slab(o2) == 0);
	EXPECT_EQ(kho_unpreserve_folio(f), 0);
	EXPECT_EQ(kho_unpreserve_folio(f), -ENOENT);
	EXPECT_EQ(kho_unpreserve_pages(p, 8), 0);
	EXPECT_EQ(kho_unpreserve_vmalloc(&v), 0);
	EXPECT_EQ(kho_unpreserve_slab(o1), 0);
	EXPECT_EQ(kho_unpreserve_slab(o1), -ENOENT);
	EXPECT_EQ(kho_unpreserve_slab(o2), 0);
	REQUIRE(kho_serialize(&h) == 0);

	boot_generation(handover_fdt(&h));
	EXPECT(kho_is_kho_boot());
	/* Only the root FDT and the scratch array. */
	EXPECT_EQ(kho_unclaimed_pages(), 2);
	EXPECT(kho_restore_folio(folio_pfn(f) << PAGE_SHIFT) == NULL);
}

/* ---- Rule 10, checked a bitmap word's span at a time ---- */

/* The scan checks the span of each bitmap word of the map (first set block
 * to the end of the last) at once and goes block by block only when the
 * span straddles something. So a span with a hole, a reservation or
 * scratch inside it is accepted when its blocks avoid them, and refused,
 * by the block's own line, when one is on them. Generation A preserves
 * pages 0, 1, 3, 62 and 63 of a 64-page block: one word, spanning all 64. */
static const int word_pages[] = { 0, 1, 3, 62, 63 };

static struct kho_handover word_handover(phys_addr_t *word)
{
	struct kho_handover h;
	struct page *p;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot_generation(NULL);
	p = alloc_pages(GFP_KERNEL, 6); /* 64 pages, 64-page aligned: one word */
	REQUIRE(p);
	for (size_t i = 0; i < ARRAY_SIZE(word_pages); i++)
		REQUIRE(kho_preserve_pages(pfn_to_page(page_to_pfn(p) + word_pages[i]), 1) == 0);
	*word = page_to_phys(p);
	REQUIRE(kho_serialize(&h) == 0);
	return h;
}

enum obstacle { HOLE, RESERVED, SCRATCH };

/* Generation B's scan, with one page at `at` not RAM, reserved by this
 * boot, or a scratch area of its own. */
static int scan_with(struct kho_handover h, enum obstacle what, phys_addr_t at)
{
	struct kho_scratch *a = phys_to_virt(h.scratch);

	memblock_reset();
	kho_reset();
	if (what == HOLE) {
		memblock_add(RAM_BASE, at - RAM_BASE);
		memblock_add(at + PAGE_SIZE, RAM_BASE + RAM - at - PAGE_SIZE);
	} else {
		memblock_add(RAM_BASE, RAM);
	}
	memblock_reserve(RAM_BASE, 1 << 20);
	memblock_reserve(KERNEL_IMAGE, 1 << 20);
	if (what == RESERVED)
		memblock_reserve(at, PAGE_SIZE);
	if (what == SCRATCH) { /* the array's page has room for a second area */
		a[1] = (struct kho_scratch){ at, PAGE_SIZE };
		h.scratch_size = 2 * sizeof(*a);
	}
	host_log_clear();
	return kho_scan(handover_fdt(&h));
}

static void span_straddles(enum obstacle what, const char *why)
{
	phys_addr_t word;
	struct kho_handover h = word_handover(&word);
	char line[160];

	/* Page 12 is in the span, and no block is on it: accepted. */
	EXPECT_EQ(scan_with(h, what, word + 12 * PAGE_SIZE), 0);
	EXPECT_LOG("kho: handover accepted");
	/* The five, and the handover's own three pages (the root FDT, the
	 * scratch array, the kexec-metadata record). */
	EXPECT_LOG("8 preserved blocks, 8 pages");
	/* Page 3 is a block: refused, naming it. */
	EXPECT_EQ(scan_with(h, what, word + 3 * PAGE_SIZE), -EFAULT);
	snprintf(line, sizeof(line), "kho: handover refused: preserved block 0x%llx order 0 is %s;",
		 (unsigned long long)(word + 3 * PAGE_SIZE), why);
	EXPECT_LOG(line);
	/* So are the span's first and last blocks. */
	EXPECT_EQ(scan_with(h, what, word), -EFAULT);
	EXPECT_EQ(scan_with(h, what, word + 63 * PAGE_SIZE), -EFAULT);
	snprintf(line, sizeof(line), "preserved block 0x%llx order 0 is %s;",
		 (unsigned long long)(word + 63 * PAGE_SIZE), why);
	EXPECT_LOG(line);
}

TEST(kho, block_span_across_a_hole_in_ram)
{
	span_straddles(HOLE, "outside RAM");
}

TEST(kho, block_span_across_reserved_memory)
{
	span_straddles(RESERVED, "on memory this boot has reserved (kernel, boot FDT or firmware)");
}

TEST(kho, block_span_across_scratch)
{
	span_straddles(SCRATCH, "inside scratch");
}

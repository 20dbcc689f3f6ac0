/*
 * test_kho_layout.c — kho_scan (kho/validate.c) against handovers whose
 * map is laid out by hand, so that what is tested does not depend on where
 * the allocator happens to put things.
 *
 * Generation A takes one 2 MiB block C (order 9, so 2 MiB aligned) and
 * preserves nothing of its own; after kho_serialize the test sets keys in
 * the serialized map directly (kho_radix_set on the tree the root FDT
 * names), at chosen offsets in C. Generation B boots from that.
 *
 * First the runs of one order searched by find_block (rules 13, 15, 16):
 * the scan keeps the runs grouped by order, highest first, and a search for
 * a block of order o below every run of that order once looked at the run
 * before the group, the last run of the next higher order; lying above the
 * address asked about, its unsigned distance wrapped and the test passed.
 * Each case below puts an order-o run above the address, and the next
 * higher order's last run above it at a distance that is a multiple of
 * the order-o block size: the old search said "a block of order o is
 * there" where nothing of that order is.
 */
#include <stddef.h>
#include <string.h>
#include <libfdt.h>

#include "harness.h"
#include "host.h"
#include "buddy.h"
#include "kho.h"
#include "memblock.h"
#include "printk.h"
#include "mm_boot.h"
#include "slab.h"

#define RAM_BASE 0x40000000ULL
#define RAM (128ULL << 20)
#define K4 0x1000ULL

static u64 boot_fdt_buf[8192 / 8];

static void boot_generation(const void *boot_fdt)
{
	mm_boot_generation(RAM_BASE, RAM, boot_fdt);
}

/* Generation A: the block C, an optional kmalloc object preserved (so the
 * root FDT has the slab records), serialized. */
static struct kho_handover gen_a(phys_addr_t *c, bool with_slab)
{
	struct kho_handover h;
	struct page *p;

	host_ram(RAM_BASE, RAM);
	host_console_register();
	boot_generation(NULL);
	p = alloc_pages(GFP_KERNEL, 9);
	REQUIRE(p);
	*c = page_to_phys(p);
	if (with_slab) {
		void *o = kmalloc(64, GFP_KERNEL);

		REQUIRE(o && kho_preserve_slab(o) == 0);
	}
	REQUIRE(kho_serialize(&h) == 0);
	return h;
}

/* The serialized map, to set keys in by hand. */
static struct kho_radix map_of(const struct kho_handover *h)
{
	const u64 *map = fdt_getprop(phys_to_virt(h->fdt), 0, "preserved-memory-map", NULL);
	struct kho_radix t;

	REQUIRE(map);
	memcpy(&t.root, map, 8);
	return t;
}

static void set_block(const struct kho_handover *h, phys_addr_t pa, unsigned order)
{
	struct kho_radix t = map_of(h);

	REQUIRE(kho_radix_set(&t, pa, order) == 0);
}

static void *handover_fdt(const struct kho_handover *h)
{
	REQUIRE(kho_handover_fdt(boot_fdt_buf, sizeof(boot_fdt_buf), h) == 0);
	return boot_fdt_buf;
}

/* Generation B refuses the handover, saying why, and marks nothing. */
static void expect_refused(const void *boot_fdt, const char *why)
{
	host_log_clear();
	boot_generation(boot_fdt);
	EXPECT(!kho_is_kho_boot());
	EXPECT_LOG("kho: handover refused: ");
	EXPECT_LOG(why);
	EXPECT_LOG("; booting as a cold boot");
	EXPECT_EQ(kho_unclaimed_pages(), 0);
	for (u64 pfn = RAM_BASE >> PAGE_SHIFT; pfn < (RAM_BASE + RAM) >> PAGE_SHIFT; pfn++)
		REQUIRE(memdesc_type(pfn_to_page(pfn)->memdesc) != MEMDESC_PRESERVED);
	buddy_check();
}

static void expect_accepted(const void *boot_fdt)
{
	host_log_clear();
	boot_generation(boot_fdt);
	EXPECT(kho_is_kho_boot());
	EXPECT_LOG("kho: handover accepted");
	buddy_check();
}

/* Rule 16: a 9-page image copy on an order-3 block at C. Order 4's only
 * run is above C (C + 64 KiB), and order 5's, the group before it, too
 * (C + 128 KiB, 64 KiB-aligned distance): no order-4 or -5 block starts
 * at C, and an order-3 one does not hold 9 pages. */
TEST(kho_layout, image_copy_below_every_run_of_the_order_asked)
{
	/* pages 9: refused; 8 (it fits its order-3 block): accepted. */
	for (int fits = 0; fits < 2; fits++) {
		phys_addr_t c;
		struct kho_handover h = gen_a(&c, false);
		void *fdt;
		int chosen;

		set_block(&h, c, 3);
		set_block(&h, c + 16 * K4, 4);
		set_block(&h, c + 32 * K4, 5);
		fdt = handover_fdt(&h);
		chosen = fdt_path_offset(fdt, "/chosen");
		REQUIRE(chosen >= 0);
		REQUIRE(fdt_appendprop_addrrange(fdt, 0, chosen, "baton,image", c,
						 (fits ? 8 : 9) * K4) == 0);
		if (fits)
			expect_accepted(fdt);
		else
			expect_refused(fdt, "is not a preserved block that holds it");
	}
}

/* Rule 13: the root FDT moved to C, which is no block at all. Order 1's
 * only run is above it (C + 8 KiB), order 2's too (C + 16 KiB). */
TEST(kho_layout, root_fdt_below_every_run_of_an_order)
{
	/* Not preserved: refused; preserved where it now is: accepted. */
	for (int preserved = 0; preserved < 2; preserved++) {
		phys_addr_t c;
		struct kho_handover h = gen_a(&c, false);

		set_block(&h, c + 2 * K4, 1);
		set_block(&h, c + 4 * K4, 2);
		if (preserved)
			set_block(&h, c, 1);
		memcpy(phys_to_virt(c), phys_to_virt(h.fdt), PAGE_SIZE);
		h.fdt = c;
		if (preserved)
			expect_accepted(handover_fdt(&h));
		else
			expect_refused(handover_fdt(&h),
				       "the KHO root FDT is not itself preserved");
	}
}

/* Rule 13's other half: a preserved scratch array (Baton's way) moved to
 * C, which is no block; order 1 and 2 laid out as above. */
TEST(kho_layout, scratch_array_below_every_run_of_an_order)
{
	phys_addr_t c;
	struct kho_handover h = gen_a(&c, false);

	set_block(&h, c + 2 * K4, 1);
	set_block(&h, c + 4 * K4, 2);
	memcpy(phys_to_virt(c), phys_to_virt(h.scratch), h.scratch_size);
	h.scratch = c;
	expect_refused(handover_fdt(&h),
		       "the scratch array is neither preserved nor inside scratch");
}

/* The first (only) record of the slab chain. */
static struct kho_slab_rec *first_rec(const struct kho_handover *h)
{
	const void *fdt = phys_to_virt(h->fdt);
	int node = fdt_subnode_offset(fdt, 0, "baton,slab");
	const void *data = node >= 0 ? fdt_getprop(fdt, node, "preserved-data", NULL) : NULL;
	struct kho_slab_chunk *chunk;
	u64 pa;

	REQUIRE(data);
	memcpy(&pa, data, 8);
	chunk = phys_to_virt(pa);
	REQUIRE(chunk->count == 1);
	return &chunk->rec[0];
}

/* Rule 15: a slab record naming an order-1 slab at C, where nothing is
 * preserved; order 1's only run is above C, order 2's too. */
TEST(kho_layout, slab_below_every_run_of_its_order)
{
	phys_addr_t c;
	struct kho_handover h = gen_a(&c, true);
	struct kho_slab_rec *r = first_rec(&h);

	set_block(&h, c + 2 * K4, 1);
	set_block(&h, c + 4 * K4, 2);
	*r = (struct kho_slab_rec){ .phys = c + 64, .slot_size = 64, .slab_order = 1 };
	expect_refused(handover_fdt(&h), "the slab records are damaged: the slab 0x");
	EXPECT_LOG(" of order 1 is not a preserved block");
}

/* ---- Rules 9-12: keys, places and overlaps, across leaves and orders ---- */

/* A map with keys set by hand (pa, order pairs), refused with why. */
static void map_refused(const phys_addr_t (*blocks)[2], int n, const char *why)
{
	phys_addr_t c;
	struct kho_handover h = gen_a(&c, false);

	for (int i = 0; i < n; i++)
		set_block(&h, c + blocks[i][0], (unsigned)blocks[i][1]);
	expect_refused(handover_fdt(&h), why);
}

/* An order-9 block over order-0 blocks: the keys are in different leaves
 * (another order is another key prefix), and the runs meet only when
 * they are merged by address. */
TEST(kho_layout, order_9_block_over_order_0_blocks_of_another_leaf)
{
	static const phys_addr_t m[][2] = { { 0, 9 }, { 5 * K4, 0 }, { 6 * K4, 0 } };
	map_refused(m, 3, "preserved blocks overlap at 0x");
	EXPECT_LOG("(a block starts there before the one below ends at 0x");
}

/* The same address as a block of two orders. */
TEST(kho_layout, one_block_in_two_orders)
{
	static const phys_addr_t m[][2] = { { 0, 3 }, { 0, 2 } };

	map_refused(m, 2, "preserved blocks overlap at 0x");
}

/* A block of a higher order starting inside a run of lower ones that
 * touch across two bitmap words (pages 62..65). */
TEST(kho_layout, block_inside_a_run_across_words)
{
	static const phys_addr_t m[][2] = {
		{ 62 * K4, 0 }, { 63 * K4, 0 }, { 64 * K4, 0 }, { 65 * K4, 0 }, { 64 * K4, 1 },
	};

	map_refused(m, 5, "preserved blocks overlap at 0x");
}

/* A key whose top bit says order 41 (KHO_MAX_BLOCK_ORDER is 40). */
TEST(kho_layout, key_of_an_order_above_the_largest)
{
	phys_addr_t c;
	struct kho_handover h = gen_a(&c, false);
	struct kho_radix t = map_of(&h);

	REQUIRE(kho_radix_set(&t, 0, KHO_MAX_BLOCK_ORDER + 1) == 0);
	expect_refused(handover_fdt(&h), "a preserved-memory map key encodes no valid order");
}

/* The largest order's block at 0, and blocks whose end wraps past the top
 * of the address space (an order-0 block in bit 63 of its word; two order-37
 * blocks, the top of a word): outside RAM, not wrapped into it. */
TEST(kho_layout, blocks_at_the_ends_of_the_address_space)
{
	static const struct {
		phys_addr_t pa;
		unsigned order;
		const char *why;
	} cases[] = {
		{ 0, KHO_MAX_BLOCK_ORDER, "preserved block 0x0 order 40 is outside RAM" },
		{ 0xfffffffffffff000ULL, 0,
		  "preserved block 0xfffffffffffff000 order 0 is outside RAM" },
		{ 0xfffe000000000000ULL, 37,
		  "preserved block 0xfffc000000000000 order 37 is outside RAM" },
	};

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		phys_addr_t c;
		struct kho_handover h = gen_a(&c, false);

		set_block(&h, cases[i].pa, cases[i].order);
		if (cases[i].order == 37)
			set_block(&h, cases[i].pa - (PAGE_SIZE << 37), 37);
		expect_refused(handover_fdt(&h), cases[i].why);
	}
}

/* ---- Rule 10 on a memory map of many regions ---- */

/* C as 64 groups of 8 pages: order-1 blocks at pages 0, 2 and 4 of each,
 * an order-0 block at page 6, and page 7 free. Generation B's scan alone,
 * on RAM whose page 7 of every group is a hole (65 RAM regions) or
 * reserved by this boot (66 reservations): every bitmap word's span
 * straddles 8 (order 0) or 16 (order 1) of them, so each block is checked
 * on its own, with cursors that move forward through the lists and start
 * over for the next order. With extra a block on page 7 of group 40 too. */
static int scan_many_regions(phys_addr_t *c, bool reserved, unsigned extra_order)
{
	struct kho_handover h = gen_a(c, false);

	for (int g = 0; g < 64; g++) {
		phys_addr_t at = *c + g * 8 * K4;

		set_block(&h, at, 1);
		set_block(&h, at + 2 * K4, 1);
		set_block(&h, at + 4 * K4, 1);
		set_block(&h, at + 6 * K4, 0);
	}
	if (extra_order != ~0u)
		set_block(&h, *c + (40 * 8 + 7) * K4, extra_order);
	memblock_reset();
	kho_reset();
	if (reserved) {
		memblock_add(RAM_BASE, RAM);
	} else {
		memblock_add(RAM_BASE, *c + 7 * K4 - RAM_BASE);
		for (int g = 0; g < 64; g++) {
			phys_addr_t from = *c + (g * 8 + 8) * K4;

			memblock_add(from, g < 63 ? 7 * K4 : RAM_BASE + RAM - from);
		}
		REQUIRE(memblock.memory.cnt == 65);
	}
	memblock_reserve(RAM_BASE, 1 << 20);
	memblock_reserve(MM_KERNEL_IMAGE(RAM_BASE), 1 << 20);
	if (reserved) {
		for (int g = 0; g < 64; g++)
			memblock_reserve(*c + (g * 8 + 7) * K4, K4);
		REQUIRE(memblock.reserved.cnt == 66);
	}
	host_log_clear();
	return kho_scan(handover_fdt(&h));
}

TEST(kho_layout, blocks_between_many_holes_and_reservations)
{
	for (int reserved = 0; reserved < 2; reserved++) {
		phys_addr_t c;
		char line[160];

		/* 256 blocks, 448 pages, and the handover's own three. */
		EXPECT_EQ(scan_many_regions(&c, reserved, ~0u), 0);
		EXPECT_LOG("kho: handover accepted (kho-v4): 259 preserved blocks, 451 pages");
		EXPECT_EQ(scan_many_regions(&c, reserved, 0), -EFAULT);
		snprintf(line, sizeof(line), "preserved block 0x%llx order 0 is %s",
			 (unsigned long long)(c + (40 * 8 + 7) * K4),
			 reserved ? "on memory this boot has reserved" : "outside RAM");
		EXPECT_LOG(line);
	}
}

/* ---- Rule 13: the scratch array, preserved, lies in its block ---- */

/* The array (its area and an empty one, 32 bytes) moved to the end of C's
 * first page, which is an order-0 block: held whole (at C + 4064) it is
 * taken; 16 bytes further it runs onto C's second page, which no block
 * holds (nor a second order-0 block, a block of its own). */
TEST(kho_layout, preserved_scratch_array_across_its_page_end)
{
	static const struct {
		u64 at;
		int second_page_block; /* -1: none */
		bool accepted;
	} cases[] = { { 4064, -1, true }, { 4080, -1, false }, { 4080, 0, false } };

	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		phys_addr_t c;
		struct kho_handover h = gen_a(&c, false);
		struct kho_scratch *a = phys_to_virt(c + cases[i].at);

		REQUIRE(h.scratch_size == sizeof(*a));
		set_block(&h, c, 0);
		if (cases[i].second_page_block >= 0)
			set_block(&h, c + K4, (unsigned)cases[i].second_page_block);
		a[0] = *(struct kho_scratch *)phys_to_virt(h.scratch);
		a[1] = (struct kho_scratch){ 0, 0 };
		h.scratch = c + cases[i].at;
		h.scratch_size = 2 * sizeof(*a);
		if (cases[i].accepted)
			expect_accepted(handover_fdt(&h));
		else
			expect_refused(handover_fdt(&h),
				       "the scratch array is neither preserved nor inside scratch");
	}
}

/* ---- Rule 15: the slab chain's counts and links ---- */

static struct kho_slab_chunk *chunk_of(struct kho_slab_rec *r)
{
	return phys_to_virt(virt_to_phys(r) - offsetof(struct kho_slab_chunk, rec));
}

/* A chunk that counts more records than a page holds; a chain that comes
 * back to its first chunk (longer than the map's count of blocks, before
 * its pages are claimed twice); a chunk on the second page of an order-1 block. */
TEST(kho_layout, slab_chain_that_lies)
{
	for (int what = 0; what < 3; what++) {
		phys_addr_t c;
		struct kho_handover h = gen_a(&c, true);
		struct kho_slab_chunk *chunk = chunk_of(first_rec(&h));

		if (what == 0) {
			chunk->count = KHO_SLAB_CHUNK_RECS + 1;
			expect_refused(handover_fdt(&h), "counts 256 records");
		} else if (what == 1) {
			chunk->next = virt_to_phys(chunk);
			expect_refused(handover_fdt(&h), "or the chain is longer than the map");
		} else {
			set_block(&h, c, 1);
			memcpy(phys_to_virt(c + K4), chunk, PAGE_SIZE);
			chunk->next = c + K4;
			chunk->count = 0;
			expect_refused(handover_fdt(&h), "the slab records are damaged: chunk 0x");
			EXPECT_LOG("is not a preserved page, or the chain is longer than the map");
		}
	}
}

/* ---- Rule 18: the room check's skips, at the boundary ---- */

/* Generation B has 64 KiB more RAM 4 GiB up, so its memory map needs 8 MiB
 * and more (need). Blocks every need bytes from the start of the free RAM
 * above the kernel image to the start of scratch leave gaps of need - 4 KiB:
 * refused, naming the largest. Without the block at 0x44000000 one gap is
 * need + need - 4 KiB: accepted. */
static int scan_gapped(bool one_gap, u64 *need)
{
	const phys_addr_t far = RAM_BASE + (4ULL << 30), from = RAM_BASE + (3ULL << 20);
	const struct kho_scratch *areas;
	phys_addr_t c, to;
	struct kho_handover h;

	memblock_reset();
	memblock_add(RAM_BASE, RAM);
	memblock_add(far, 64 << 10);
	*need = memdesc_memmap_bytes();
	h = gen_a(&c, false);
	REQUIRE(kho_scratch_areas(&areas) == 1);
	to = areas[0].addr;
	REQUIRE(to > from + 8 * *need);
	for (phys_addr_t pa = from; pa < to; pa += *need)
		if (!one_gap || pa != from + 3 * *need)
			set_block(&h, pa, 0);
	set_block(&h, to - K4, 0);
	memblock_reset();
	kho_reset();
	memblock_add(RAM_BASE, RAM);
	memblock_add(far, 64 << 10);
	memblock_reserve(RAM_BASE, 1 << 20);
	memblock_reserve(MM_KERNEL_IMAGE(RAM_BASE), 1 << 20);
	host_log_clear();
	return kho_scan(handover_fdt(&h));
}

TEST(kho_layout, room_for_the_memory_map_by_a_page)
{
	char line[160];
	u64 need;

	EXPECT_EQ(scan_gapped(false, &need), -ENOSPC);
	snprintf(line, sizeof(line),
		 "leave no room for the memory map (%llu KiB needed, %llu KiB the "
		 "largest free range)",
		 (unsigned long long)(need >> 10), (unsigned long long)((need - K4) >> 10));
	EXPECT_LOG(line);
	EXPECT_EQ(scan_gapped(true, &need), 0);
	EXPECT_LOG("kho: handover accepted");
}

/* ---- Rule 4: the most scratch areas an array may list ---- */

/* KHO_MAX_SCRATCH entries, all empty but the real area, the empty ones
 * naming addresses nothing may hold (the top of the address space, a
 * preserved block, the firmware's memory): kept in place, unused. One
 * entry more is refused. */
TEST(kho_layout, scratch_array_of_the_most_areas)
{
	for (int over = 0; over < 2; over++) {
		phys_addr_t c;
		struct kho_handover h = gen_a(&c, false);
		struct kho_scratch *a = phys_to_virt(c);
		const struct kho_scratch *got;
		int n = KHO_MAX_SCRATCH + over;

		set_block(&h, c, 0);
		for (int i = 0; i < n; i++)
			a[i] = (struct kho_scratch){ i % 3 == 0   ? ~0ULL << PAGE_SHIFT
						     : i % 3 == 1 ? c
								  : RAM_BASE,
						     0 };
		a[7] = *(struct kho_scratch *)phys_to_virt(h.scratch);
		h.scratch = c;
		h.scratch_size = (u64)n * sizeof(*a);
		if (over) {
			expect_refused(
				handover_fdt(&h),
				"the scratch array is misaligned, of a bad size, or outside RAM");
			continue;
		}
		expect_accepted(handover_fdt(&h));
		EXPECT_LOG("16 scratch areas");
		REQUIRE(kho_scratch_areas(&got) == KHO_MAX_SCRATCH);
		EXPECT_EQ(got[7].size, a[7].size);
		EXPECT_EQ(got[0].addr, ~0ULL << PAGE_SHIFT);
		EXPECT_EQ(got[15].size, 0);
	}
}

/* Rule 8's count: a map whose nodes name one node many times. The
 * level-2 node over block C keeps C's own entry; its other 511 entries
 * name one level-1 node whose 512 entries all name one empty leaf: a
 * quarter of a million visits of 512 words each from two pages, none of
 * them a block out of place. Refused once the walk has visited more nodes
 * than a map of this RAM can need (a few hundred), not after 2^20 visits
 * (before the bound, only the owners' check found it, after the walk). */
TEST(kho_layout, nodes_that_name_one_node_many_times)
{
	phys_addr_t c;
	struct kho_handover h = gen_a(&c, false);
	struct kho_radix t;
	struct kho_radix_node *n, *l1;
	struct page *p1 = alloc_pages(__GFP_ZERO, 0), *empty = alloc_pages(__GFP_ZERO, 0);
	u64 key = kho_radix_key(c, 0);
	unsigned own;

	REQUIRE(p1 && empty);
	set_block(&h, c, 0);
	t = map_of(&h);
	n = phys_to_virt(t.root);
	for (int level = KHO_TREE_LEVELS - 1; level > 2; level--) /* down to level 2 */
		n = phys_to_virt(
			n->table[(key >> (KHO_BITMAP_BITS + KHO_TABLE_BITS * (level - 1))) &
				 ((1u << KHO_TABLE_BITS) - 1)]);
	own = (key >> (KHO_BITMAP_BITS + KHO_TABLE_BITS)) & ((1u << KHO_TABLE_BITS) - 1);
	l1 = page_address(p1);
	for (unsigned i = 0; i < ARRAY_SIZE(l1->table); i++)
		l1->table[i] = page_to_phys(empty);
	for (unsigned i = 0; i < ARRAY_SIZE(n->table); i++)
		if (i != own)
			n->table[i] = page_to_phys(p1);
	expect_refused(handover_fdt(&h), "is one too many for this RAM (a map of it needs at most");
}

/*
 * test_kho_radix.c — kho/radix.c: the key encoding of Linux's KHO ABI,
 * set/clear, and walks that find exactly what was set and stop at the first
 * node or key a handover should not contain.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "host.h"
#include "mm_boot.h"
#include "buddy.h"
#include "kho.h"
#include "kho/abi.h"

#define RAM (64ULL << 20)

TEST(kho_radix, key_encoding_matches_the_abi)
{
	phys_addr_t pa;
	unsigned order;

	EXPECT_EQ(kho_radix_key(0x80000000, 0), 0x0010000000080000ULL);
	EXPECT_EQ(kho_radix_key(0x80000000, 9), (1ULL << 43) | (0x80000000ULL >> 21));
	REQUIRE(kho_radix_decode(0x0010000000080000ULL, &pa, &order));
	EXPECT_EQ(pa, 0x80000000);
	EXPECT_EQ(order, 0);
	for (unsigned o = 0; o <= MAX_ORDER; o++) {
		phys_addr_t want = 0x123400000ULL & ~((PAGE_SIZE << o) - 1);

		REQUIRE(kho_radix_decode(kho_radix_key(want, o), &pa, &order));
		EXPECT_EQ(pa, want);
		EXPECT_EQ(order, o);
	}
	EXPECT(!kho_radix_decode(0, &pa, &order));
	EXPECT(!kho_radix_decode(1ULL << 53, &pa, &order)); /* order < 0 */
	EXPECT(!kho_radix_decode(1ULL << (52 - KHO_MAX_BLOCK_ORDER - 1), &pa,
				 &order)); /* too big */
}

struct seen {
	u64 count, pages;
	phys_addr_t last_pa;
	unsigned last_order;
	phys_addr_t refuse_node;
};

static int node_ok(phys_addr_t node, void *arg, char *why, size_t n)
{
	struct seen *s = arg;

	if (node == s->refuse_node)
		return err_why(why, n, -EFAULT, "refused node 0x%llx", (unsigned long long)node);
	return 0;
}

static int block(phys_addr_t pa, unsigned order, void *arg, char *why, size_t n)
{
	struct seen *s = arg;

	(void)why;
	(void)n;
	s->count++;
	s->pages += 1UL << order;
	s->last_pa = pa;
	s->last_order = order;
	return 0;
}

TEST(kho_radix, set_clear_and_walk)
{
	struct kho_radix t = { 0 };
	struct seen s = { 0 };
	struct kho_radix_walker w = { .node_ok = node_ok, .block = block, .arg = &s };
	struct buddy_stats before, after;
	char why[ERR_WHY_MAX] = "";

	mm_boot(RAM);
	buddy_stats(&before);
	EXPECT_EQ(kho_radix_set(&t, 0x40200000, 3), 0);
	EXPECT_EQ(kho_radix_set(&t, 0x40200000, 3), -EEXIST);
	EXPECT_EQ(kho_radix_set(&t, 0x40200000, 0), 0); /* another order: another key */
	EXPECT_EQ(kho_radix_clear(&t, 0x40200000, 0), 0);
	EXPECT_EQ(kho_radix_clear(&t, 0x40200000, 0), -ENOENT);
	EXPECT_EQ(kho_radix_clear(&t, 0x7fe00000, 1), -ENOENT);
	EXPECT_EQ(kho_radix_walk(t.root, &w, why, sizeof(why)), 0);
	EXPECT_EQ(s.count, 1);
	EXPECT_EQ(s.last_pa, 0x40200000);
	EXPECT_EQ(s.last_order, 3);
	kho_radix_free(&t);
	buddy_stats(&after);
	EXPECT_EQ(after.free_pages, before.free_pages);
}

TEST(kho_radix, walk_finds_every_block_of_a_random_set)
{
	struct kho_radix t = { 0 };
	struct seen s = { 0 };
	struct kho_radix_walker w = { .node_ok = node_ok, .block = block, .arg = &s };
	char why[ERR_WHY_MAX] = "";
	u64 rng = 12345, pages = 0, n = 0;

	mm_boot(RAM);
	for (int i = 0; i < 20000; i++) {
		u64 r = host_rand(&rng);
		unsigned order = r % (MAX_ORDER + 1);
		/* Anywhere in a 1 TiB physical space, aligned to its order. */
		phys_addr_t pa = (r >> 8) % (1ULL << 40) & ~((PAGE_SIZE << order) - 1);

		if (kho_radix_set(&t, pa, order) == 0) {
			n++;
			pages += 1UL << order;
		}
	}
	EXPECT_EQ(kho_radix_walk(t.root, &w, why, sizeof(why)), 0);
	EXPECT_EQ(s.count, n);
	EXPECT_EQ(s.pages, pages);
	kho_radix_free(&t);
}

TEST(kho_radix, walk_stops_at_a_refused_node_or_bad_key)
{
	struct kho_radix t = { 0 };
	struct seen s = { 0 };
	struct kho_radix_walker w = { .node_ok = node_ok, .block = block, .arg = &s };
	char why[ERR_WHY_MAX] = "";
	struct kho_radix_node *root;

	mm_boot(RAM);
	REQUIRE(kho_radix_set(&t, 0x40000000, 0) == 0);
	s.refuse_node = t.root;
	EXPECT_EQ(kho_radix_walk(t.root, &w, why, sizeof(why)), -EFAULT);
	EXPECT(strncmp(why, "refused node 0x", 15) == 0);
	EXPECT_EQ(s.count, 0);

	/* A table entry whose keys would have the top bit above the order-0
	 * marker: no valid order. Point it at the same leaf path. */
	s.refuse_node = 0;
	root = phys_to_virt(t.root);
	for (unsigned i = 0; i < 512; i++) {
		if (root->table[i]) {
			root->table[511] = root->table[i]; /* bits 59..51 all set */
			break;
		}
	}
	why[0] = 0;
	EXPECT_EQ(kho_radix_walk(t.root, &w, why, sizeof(why)), -EBADMSG);
	EXPECT_STR(why, "a preserved-memory map key encodes no valid order");
}

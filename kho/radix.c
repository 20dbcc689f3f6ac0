/*
 * radix.c — the preserved-memory map: Linux's KHO radix tree (kho/abi.h,
 * part 2). The outgoing kernel sets and clears bits as callers preserve and
 * unpreserve; the incoming one walks the tree it finds, checking every
 * node before it reads it.
 */
#include "kho.h"
#include "kho/abi.h"
#include "buddy.h"
#include "compiler.h"
#include "kstring.h"

/* Index into the table of level (1..5) for key, and the leaf bit. */
static unsigned level_index(u64 key, int level)
{
	return (key >> (KHO_BITMAP_BITS + KHO_TABLE_BITS * (level - 1))) &
	       ((1u << KHO_TABLE_BITS) - 1);
}

static unsigned leaf_bit(u64 key)
{
	return key & ((1u << KHO_BITMAP_BITS) - 1);
}

u64 kho_radix_key(phys_addr_t pa, unsigned int order)
{
	return (1ULL << (KHO_ORDER0_LOG2 - order)) | (pa >> (PAGE_SHIFT + order));
}

bool kho_radix_decode(u64 key, phys_addr_t *pa, unsigned int *order)
{
	int top;

	if (key == 0)
		return false;
	top = 63 - __builtin_clzll(key);
	if (top > KHO_ORDER0_LOG2 || KHO_ORDER0_LOG2 - top > KHO_MAX_BLOCK_ORDER)
		return false;
	*order = KHO_ORDER0_LOG2 - top;
	*pa = (key ^ (1ULL << top)) << (PAGE_SHIFT + *order);
	return true;
}

static void *node_alloc(void)
{
	struct page *p = alloc_pages(__GFP_ZERO, 0);

	return p ? page_address(p) : NULL;
}

/* The leaf for key, creating the path when create. */
static struct kho_radix_leaf *leaf_for(struct kho_radix *t, u64 key, bool create)
{
	struct kho_radix_node *n;

	if (!t->root) {
		if (!create || !(n = node_alloc()))
			return NULL;
		t->root = virt_to_phys(n);
	}
	n = phys_to_virt(t->root);
	for (int level = KHO_TREE_LEVELS - 1; level >= 1; level--) {
		u64 *e = &n->table[level_index(key, level)];

		if (!*e) {
			void *next;

			if (!create || !(next = node_alloc()))
				return NULL;
			*e = virt_to_phys(next);
		}
		n = phys_to_virt(*e);
	}
	return (struct kho_radix_leaf *)n;
}

int kho_radix_set(struct kho_radix *t, phys_addr_t pa, unsigned int order)
{
	u64 key = kho_radix_key(pa, order);
	struct kho_radix_leaf *l = leaf_for(t, key, true);
	unsigned b = leaf_bit(key);

	if (!l)
		return -ENOMEM;
	if (l->bitmap[b / 64] & (1ULL << (b % 64)))
		return -EEXIST;
	l->bitmap[b / 64] |= 1ULL << (b % 64);
	return 0;
}

int kho_radix_clear(struct kho_radix *t, phys_addr_t pa, unsigned int order)
{
	u64 key = kho_radix_key(pa, order);
	struct kho_radix_leaf *l = leaf_for(t, key, false);
	unsigned b = leaf_bit(key);

	if (!l || !(l->bitmap[b / 64] & (1ULL << (b % 64))))
		return -ENOENT;
	l->bitmap[b / 64] &= ~(1ULL << (b % 64));
	return 0;
}

static void free_level(phys_addr_t node, int level)
{
	struct kho_radix_node *n = phys_to_virt(node);

	if (level >= 1) {
		for (unsigned i = 0; i < ARRAY_SIZE(n->table); i++) {
			if (n->table[i])
				free_level(n->table[i], level - 1);
		}
	}
	__free_pages(virt_to_page(n), 0);
}

void kho_radix_free(struct kho_radix *t)
{
	if (t->root)
		free_level(t->root, KHO_TREE_LEVELS - 1);
	t->root = 0;
}

/* A leaf's blocks one at a time (w->block), or a bitmap word at a time
 * (w->blocks) when every key of the leaf has one valid order: the order
 * is the key's top bit, and a prefix with its top bit above the leaf's
 * own bits fixes it for all of them. Only the leaf of prefix 0 (orders
 * 38 and up, and keys of no valid order, mixed) goes a bit at a time. */
static int walk_leaf(const struct kho_radix_leaf *l, u64 prefix, const struct kho_radix_walker *w,
		     char *why, size_t n)
{
	phys_addr_t pa;
	unsigned order;
	int err;

	if (w->blocks && (prefix >> KHO_BITMAP_BITS) && kho_radix_decode(prefix, &pa, &order)) {
		unsigned shift = PAGE_SHIFT + order;

		for (unsigned i = 0; i < ARRAY_SIZE(l->bitmap); i++) {
			if (!l->bitmap[i])
				continue;
			err = w->blocks(pa + ((phys_addr_t)i << (6 + shift)), order, l->bitmap[i],
					w->arg, why, n);
			if (err)
				return err;
		}
		return 0;
	}
	for (unsigned i = 0; i < ARRAY_SIZE(l->bitmap); i++) {
		u64 bits = l->bitmap[i];

		while (bits) {
			unsigned b = i * 64 + (unsigned)__builtin_ctzll(bits);

			bits &= bits - 1;
			if (!kho_radix_decode(prefix | b, &pa, &order))
				return err_why(why, n, -EBADMSG,
					       "a preserved-memory map key encodes no valid order");
			err = w->blocks ? w->blocks(pa, order, 1, w->arg, why, n)
					: w->block(pa, order, w->arg, why, n);
			if (err)
				return err;
		}
	}
	return 0;
}

static int walk_level(phys_addr_t node, int level, u64 prefix, const struct kho_radix_walker *w,
		      char *why, size_t n)
{
	int err = w->node_ok(node, w->arg, why, n);

	if (err)
		return err;
	if (level == 0)
		return walk_leaf(phys_to_virt(node), prefix, w, why, n);
	const struct kho_radix_node *t = phys_to_virt(node);

	for (unsigned i = 0; i < ARRAY_SIZE(t->table); i++) {
		u64 sub = prefix | ((u64)i << (KHO_BITMAP_BITS + KHO_TABLE_BITS * (level - 1)));

		if (t->table[i]) {
			err = walk_level(t->table[i], level - 1, sub, w, why, n);
			if (err)
				return err;
		}
	}
	return 0;
}

int kho_radix_walk(phys_addr_t root, const struct kho_radix_walker *w, char *why, size_t n)
{
	if (!root)
		return 0;
	return walk_level(root, KHO_TREE_LEVELS - 1, 0, w, why, n);
}

/*
 * radix.c — the preserved-memory map: Linux's KHO radix tree (kho/abi.h,
 * part 2). The outgoing kernel sets and clears bits as callers preserve and
 * unpreserve, its nodes coming from kho_page_alloc (alloc.c) and going
 * back when they empty; the incoming one walks the tree it finds,
 * checking every node before it reads it.
 */
#include "kho.h"
#include "kho_internal.h"
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

/* A node's page from its entry: a table or a leaf, NODE_WORDS words each. */
#define NODE_WORDS (sizeof(struct kho_radix_node) / sizeof(u64))
_Static_assert(sizeof(struct kho_radix_leaf) == sizeof(struct kho_radix_node), "one node size");

static u64 *node_words(u64 entry)
{
	return phys_to_virt(entry);
}

static bool node_empty(u64 entry)
{
	const u64 *w = node_words(entry);

	for (unsigned i = 0; i < NODE_WORDS; i++) {
		if (w[i])
			return false;
	}
	return true;
}

static void node_free(u64 *entry)
{
	kho_page_free(virt_to_page(node_words(*entry)));
	*entry = 0;
}

static void free_level(u64 *entry, int level)
{
	u64 *w = node_words(*entry);

	if (level >= 1) {
		for (unsigned i = 0; i < NODE_WORDS; i++) {
			if (w[i])
				free_level(&w[i], level - 1);
		}
	}
	node_free(entry);
}

/* Make key's path from level down to the leaf, *e being the empty entry
 * at level (so every node below is missing too), each node's entry into
 * path. When a page cannot be had (kho_page_alloc, site radix), the nodes
 * made are freed again and false returned: a set that fails adds none. */
static bool grow(u64 *e, int level, u64 key, u64 *path[KHO_TREE_LEVELS])
{
	u64 *top = e;

	for (int l = level; l >= 0; l--) {
		struct page *p = kho_page_alloc(KHO_FAIL_RADIX);

		if (!p) {
			if (*top)
				free_level(top, level);
			return false;
		}
		*e = page_to_phys(p);
		path[l] = e;
		if (l)
			e = &node_words(*e)[level_index(key, l)];
	}
	return true;
}

/*
 * The entries on key's path: path[level] names the node of that level
 * (KHO_TREE_LEVELS - 1: the root, t->root itself; 0: the leaf). With
 * create, the missing nodes are made (grow). Returns the leaf, or NULL
 * (no such path, or no memory for it).
 */
static struct kho_radix_leaf *leaf_for(struct kho_radix *t, u64 key, bool create,
				       u64 *path[KHO_TREE_LEVELS])
{
	u64 *e = &t->root;

	for (int level = KHO_TREE_LEVELS - 1; level >= 0; level--) {
		if (!*e) {
			if (!create || !grow(e, level, key, path))
				return NULL;
			break;
		}
		path[level] = e;
		if (level)
			e = &node_words(*e)[level_index(key, level)];
	}
	return (struct kho_radix_leaf *)node_words(*path[0]);
}

int kho_radix_set(struct kho_radix *t, phys_addr_t pa, unsigned int order)
{
	u64 key = kho_radix_key(pa, order), *path[KHO_TREE_LEVELS];
	struct kho_radix_leaf *l = leaf_for(t, key, true, path);
	unsigned b = leaf_bit(key);

	if (!l)
		return -ENOMEM;
	if (l->bitmap[b / 64] & (1ULL << (b % 64)))
		return -EEXIST;
	l->bitmap[b / 64] |= 1ULL << (b % 64);
	return 0;
}

bool kho_radix_test(struct kho_radix *t, phys_addr_t pa, unsigned int order)
{
	u64 key = kho_radix_key(pa, order), *path[KHO_TREE_LEVELS];
	struct kho_radix_leaf *l = leaf_for(t, key, false, path);
	unsigned b = leaf_bit(key);

	return l && (l->bitmap[b / 64] & (1ULL << (b % 64)));
}

/* Clearing the last bit of a leaf frees the leaf, and each table above
 * that it leaves empty: unpreserving gives the map's pages back. */
int kho_radix_clear(struct kho_radix *t, phys_addr_t pa, unsigned int order)
{
	u64 key = kho_radix_key(pa, order), *path[KHO_TREE_LEVELS];
	struct kho_radix_leaf *l = leaf_for(t, key, false, path);
	unsigned b = leaf_bit(key);

	if (!l || !(l->bitmap[b / 64] & (1ULL << (b % 64))))
		return -ENOENT;
	l->bitmap[b / 64] &= ~(1ULL << (b % 64));
	for (int level = 0; level < KHO_TREE_LEVELS && node_empty(*path[level]); level++)
		node_free(path[level]);
	return 0;
}

void kho_radix_free(struct kho_radix *t)
{
	if (t->root)
		free_level(&t->root, KHO_TREE_LEVELS - 1);
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

/*
 * kexec_damage.c — fault injection for the boot tests, never part of a
 * normal kexec. kexec.damage=KIND (one kind per boot) makes kexec() damage
 * the handover it has just serialized and published, right before the
 * jump, so that the next generation must refuse it with one line and boot
 * on as a cold boot (tests/boot/cases/: the "damage-*" variants).
 *
 * Each kind changes one thing, aimed so that it breaks exactly one rule of
 * the incoming validator (kho/validate.c) and nothing else:
 *
 *   fdt-magic          the KHO root FDT's magic number
 *   compatible         the root FDT's compatible: "kho-v0", same length
 *   radix-outside-ram  a pointer of the radix root node: to the first
 *                      page past the end of RAM
 *   block-on-kernel    one more bit in the radix tree: an order-0 block on
 *                      the next kernel's image, which that boot reserves
 *   overlap            one more bit: an order-0 block inside the image
 *                      copy, a preserved block of a higher order
 *   scratch-truncated  /chosen/linux,kho-scratch of the next boot FDT: its
 *                      size 8 bytes short, not a whole number of entries
 *   subtree-bounds     a subtree's blob-size: running past the end of RAM,
 *                      so far beyond its preserved block
 *   claimed-twice      a client subtree's blob (not baton,slab's): moved
 *                      onto the root FDT's page, its size cut to fit it,
 *                      so two structures name one page
 *
 * Two more break a rule of the log record's reader (kernel/oldlog.c)
 * instead: the handover is accepted, the earlier logs refused.
 *
 *   log-length         the oldest log's length: 2^64 - 5 bytes, which
 *                      wraps when it is rounded up to the next record
 *   log-generation     the newest log's generation number: the next
 *                      generation's, not before it
 */
#include "kexec_damage.h"
#include "cmdline.h"
#include "kernel.h"
#include "kho.h"
#include "kstring.h"
#include "memblock.h"
#include "oldlog.h"
#include "printk.h"
#include "arch/mmu.h"
#include <libfdt.h>

/* Each writes into msg (n bytes) what it did and returns 0, or why it
 * could not damage and -ENOENT (what it would damage is not there). */
typedef int (*damage_fn)(const struct kexec_damage_target *t, char *msg, size_t n);
#define DAMAGE(kind) \
	static int damage_##kind(const struct kexec_damage_target *t, char *msg, size_t n)

static void *root_fdt(const struct kexec_damage_target *t)
{
	return phys_to_virt(t->h->fdt);
}

/* The first page past the highest RAM there is. */
static phys_addr_t ram_end(void)
{
	phys_addr_t end = 0;

	for (int i = 0; i < memblock.memory.cnt; i++)
		end = MAX(end, memblock.memory.r[i].base + memblock.memory.r[i].size);
	return ALIGN_UP(end, PAGE_SIZE);
}

static bool radix_root(const struct kexec_damage_target *t, phys_addr_t *root)
{
	int len;
	const void *map = fdt_getprop(root_fdt(t), 0, KHO_PROP_MEMORY_MAP, &len);

	if (!map || len != 8)
		return false;
	memcpy(root, map, 8);
	return *root != 0;
}

DAMAGE(fdt_magic)
{
	fdt_set_magic(root_fdt(t), ~FDT_MAGIC);
	snprintf(msg, n, "the KHO root FDT's magic is now 0x%08x", ~FDT_MAGIC);
	return 0;
}

DAMAGE(compatible)
{
	/* Same length, so the FDT keeps its shape. */
	if (fdt_setprop_inplace(root_fdt(t), 0, "compatible", "kho-v0", 7))
		return err_why(msg, n, -ENOENT,
			       "the root FDT's compatible is not a kho-vN of 6 characters");
	snprintf(msg, n, "the KHO root FDT is compatible \"kho-v0\"");
	return 0;
}

DAMAGE(radix_outside_ram)
{
	phys_addr_t root;
	struct kho_radix_node *node;

	if (!radix_root(t, &root))
		return err_why(msg, n, -ENOENT, "the radix tree is empty");
	node = phys_to_virt(root);
	for (unsigned i = 0; i < ARRAY_SIZE(node->table); i++) {
		if (node->table[i]) {
			node->table[i] = ram_end();
			snprintf(msg, n,
				 "radix root entry %u now points to 0x%llx, past the end of RAM", i,
				 (unsigned long long)node->table[i]);
			return 0;
		}
	}
	return err_why(msg, n, -ENOENT, "the radix root node has no entry");
}

/* One more block in the handed-over tree (new nodes come from the page
 * allocator, as the tree's own do). */
static int add_block(const struct kexec_damage_target *t, phys_addr_t pa, unsigned order, char *msg,
		     size_t n)
{
	struct kho_radix tree;
	int err;

	if (!radix_root(t, &tree.root))
		return err_why(msg, n, -ENOENT, "the radix tree is empty");
	err = kho_radix_set(&tree, pa, order);
	if (err)
		return err_why(msg, n, err, "the radix tree refused the extra block (%s)",
			       err_name(err));
	return 0;
}

DAMAGE(block_on_kernel)
{
	phys_addr_t pa = ALIGN_DOWN(t->next_kernel, PAGE_SIZE);
	int err = add_block(t, pa, 0, msg, n);

	if (!err)
		snprintf(msg, n, "block 0x%llx order 0, on the next kernel's image, is preserved",
			 (unsigned long long)pa);
	return err;
}

DAMAGE(overlap)
{
	phys_addr_t pa = t->image_copy + PAGE_SIZE;
	int err;

	if (!t->image_order)
		return err_why(msg, n, -ENOENT, "the image copy is a single page");
	err = add_block(t, pa, 0, msg, n);
	if (!err)
		snprintf(msg, n,
			 "block 0x%llx order 0, inside the image copy (0x%llx order %u), "
			 "is preserved too",
			 (unsigned long long)pa, (unsigned long long)t->image_copy, t->image_order);
	return err;
}

DAMAGE(scratch_truncated)
{
	void *fdt = t->next_fdt;
	int chosen = fdt_path_offset(fdt, "/chosen"), len;
	int ac = fdt_address_cells(fdt, 0), sc = fdt_size_cells(fdt, 0);
	void *p = chosen >= 0 ? fdt_getprop_w(fdt, chosen, KHO_CHOSEN_SCRATCH, &len) : NULL;
	u64 size;

	if (!p || ac < 1 || sc < 1 || sc > 2 || len != 4 * (ac + sc))
		return err_why(msg, n, -ENOENT,
			       "the next boot FDT has no linux,kho-scratch of one <addr size>");
	p = (char *)p + 4 * ac; /* the size cells */
	if (sc == 2) {
		size = fdt64_ld(p) - 8;
		fdt64_st(p, size);
	} else {
		size = fdt32_ld(p) - 8;
		fdt32_st(p, (u32)size);
	}
	snprintf(msg, n, "/chosen/linux,kho-scratch now says 0x%llx bytes, 8 short",
		 (unsigned long long)size);
	return 0;
}

DAMAGE(subtree_bounds)
{
	void *fdt = root_fdt(t);
	int node = fdt_first_subnode(fdt, 0), len;
	const void *d = node >= 0 ? fdt_getprop(fdt, node, KHO_PROP_SUBTREE_DATA, &len) : NULL;
	phys_addr_t blob;
	u64 size;

	if (!d || len != 8)
		return err_why(msg, n, -ENOENT, "the root FDT has no subtree");
	memcpy(&blob, d, 8);
	size = ram_end() - blob + PAGE_SIZE;
	if (fdt_setprop_inplace(fdt, node, KHO_PROP_SUBTREE_SIZE, &size, 8))
		return err_why(msg, n, -ENOENT, "the first subtree has no 8-byte blob-size");
	snprintf(msg, n, "subtree '%s' blob-size is now 0x%llx, past the end of RAM",
		 fdt_get_name(fdt, node, NULL), (unsigned long long)size);
	return 0;
}

DAMAGE(claimed_twice)
{
	void *fdt = root_fdt(t);
	phys_addr_t page = t->h->fdt;
	int node, len;

	/* A client's subtree: the validator reads no further into its blob,
	 * so only the double claim can refuse it (the slab chain's would be
	 * refused as damaged slab records first). */
	fdt_for_each_subnode(node, fdt, 0) {
		const void *sz = fdt_getprop(fdt, node, KHO_PROP_SUBTREE_SIZE, &len);
		u64 size;

		if (strcmp(fdt_get_name(fdt, node, NULL), KHO_SLAB_SUBTREE) == 0 || !sz || len != 8)
			continue;
		memcpy(&size, sz, 8);
		size = MIN(size, (u64)PAGE_SIZE); /* on that page, not past it */
		if (fdt_setprop_inplace(fdt, node, KHO_PROP_SUBTREE_DATA, &page, 8) ||
		    fdt_setprop_inplace(fdt, node, KHO_PROP_SUBTREE_SIZE, &size, 8))
			continue;
		snprintf(msg, n, "subtree '%s' is now 0x%llx bytes on the root FDT's page 0x%llx",
			 fdt_get_name(fdt, node, NULL), (unsigned long long)size,
			 (unsigned long long)page);
		return 0;
	}
	return err_why(msg, n, -ENOENT, "the root FDT has no client subtree");
}

/* The log record's first and last records (kernel/oldlog.c), as written. */
static int log_records(const struct kexec_damage_target *t, struct oldlog_record **first,
		       struct oldlog_record **last, char *msg, size_t n)
{
	void *fdt = root_fdt(t);
	int node = fdt_subnode_offset(fdt, 0, OLDLOG_SUBTREE), len;
	const void *d = node >= 0 ? fdt_getprop(fdt, node, KHO_PROP_SUBTREE_DATA, &len) : NULL;
	struct oldlog_header *h;
	phys_addr_t blob;

	if (!d || len != 8)
		return err_why(msg, n, -ENOENT, "the root FDT has no %s subtree", OLDLOG_SUBTREE);
	memcpy(&blob, d, 8);
	h = phys_to_virt(blob);
	if (!h->count)
		return err_why(msg, n, -ENOENT, "the log record holds no log");
	*first = *last = (void *)(h + 1);
	for (u64 i = 1; i < h->count; i++)
		*last = (void *)((char *)*last + sizeof(**last) + ALIGN_UP((*last)->len, 8));
	return 0;
}

/* One field of the log record: the oldest log's length (log-length) or
 * the newest one's generation (log-generation). */
static int damage_log(const struct kexec_damage_target *t, bool length, char *msg, size_t n)
{
	struct oldlog_record *first = NULL, *last = NULL;
	int err = log_records(t, &first, &last, msg, n);

	if (err)
		return err;
	if (length) {
		first->len = ~0ULL - 4;
		snprintf(msg, n, "generation %llu's log in the log record is now 0x%llx bytes long",
			 (unsigned long long)first->generation, (unsigned long long)first->len);
	} else {
		last->generation++;
		snprintf(msg, n, "the newest log in the log record now says generation %llu",
			 (unsigned long long)last->generation);
	}
	return 0;
}

DAMAGE(log_length)
{
	return damage_log(t, true, msg, n);
}

DAMAGE(log_generation)
{
	return damage_log(t, false, msg, n);
}

#define HANDOVER "the handover"
#define LOG_RECORD "the log record (and take the handover)"
static const struct {
	const char *name;
	damage_fn fn;
	const char *refused; /* what the next kernel must refuse */
} kinds[] = {
	{ "fdt-magic", damage_fdt_magic, HANDOVER },
	{ "compatible", damage_compatible, HANDOVER },
	{ "radix-outside-ram", damage_radix_outside_ram, HANDOVER },
	{ "block-on-kernel", damage_block_on_kernel, HANDOVER },
	{ "overlap", damage_overlap, HANDOVER },
	{ "scratch-truncated", damage_scratch_truncated, HANDOVER },
	{ "subtree-bounds", damage_subtree_bounds, HANDOVER },
	{ "claimed-twice", damage_claimed_twice, HANDOVER },
	{ "log-length", damage_log_length, LOG_RECORD },
	{ "log-generation", damage_log_generation, LOG_RECORD },
};

static int armed = -1; /* an index into kinds[] */

static int set_damage(const char *val)
{
	for (int i = 0; val && i < (int)ARRAY_SIZE(kinds); i++) {
		if (strcmp(val, kinds[i].name) == 0) {
			armed = i;
			return 0;
		}
	}
	return -EINVAL;
}
CMDLINE_PARAM("kexec.damage", set_damage,
	      "fault injection: damage the handover before the jump: fdt-magic, compatible, "
	      "radix-outside-ram, block-on-kernel, overlap, scratch-truncated, subtree-bounds, "
	      "claimed-twice, log-length, log-generation");

bool kexec_damage_armed(void)
{
	return armed >= 0;
}

void kexec_damage(const struct kexec_damage_target *t)
{
	char msg[ERR_WHY_MAX];

	if (armed < 0)
		return;
	if (kinds[armed].fn(t, msg, sizeof(msg)))
		pr_err("kexec: fault injection kexec.damage=%s: cannot damage the handover: %s; "
		       "it goes undamaged",
		       kinds[armed].name, msg);
	else /* asked for: not a problem of this kernel */
		pr_notice("kexec: fault injection kexec.damage=%s: %s; the next kernel must refuse "
			  "%s",
			  kinds[armed].name, msg, kinds[armed].refused);
	armed = -1; /* once */
}

/*
 * subtree.c — named blobs in the KHO root FDT (kho/abi.h, part 1): a child
 * node per blob with preserved-data and blob-size. The outgoing kernel keeps
 * a small table until kho_serialize writes it; the incoming one reads the
 * handed-over root FDT, whose subtrees kho_scan (validate.c) has already
 * checked.
 */
#include "kho.h"
#include "kho_internal.h"
#include "kstring.h"
#include "printk.h"
#include "arch/mmu.h"
#include <libfdt.h>

static struct kho_subtree *find(const char *name)
{
	for (int i = 0; i < KHO_MAX_SUBTREES; i++) {
		if (kho.subtrees[i].name[0] && strcmp(kho.subtrees[i].name, name) == 0)
			return &kho.subtrees[i];
	}
	return NULL;
}

int kho_add_subtree(const char *name, const void *blob, u64 size)
{
	size_t len = name ? strnlen(name, KHO_NAME_MAX) : 0;

	if (!len || len == KHO_NAME_MAX || strchr(name, '/') || !blob || !size)
		return -EINVAL;
	if (find(name))
		return -EEXIST;
	if (kho_fail(KHO_FAIL_SUBTREE)) /* kho.fail=subtree: as if the table were full */
		return -ENOMEM;
	for (int i = 0; i < KHO_MAX_SUBTREES; i++) {
		struct kho_subtree *t = &kho.subtrees[i];

		if (!t->name[0]) {
			memcpy(t->name, name, len + 1);
			t->blob = virt_to_phys(blob);
			t->size = size;
			return 0;
		}
	}
	return -ENOMEM;
}

int kho_remove_subtree(const char *name)
{
	struct kho_subtree *t = find(name);

	if (!t)
		return -ENOENT;
	memset(t, 0, sizeof(*t));
	return 0;
}

int kho_subtrees_write(void *fdt)
{
	for (int i = 0; i < KHO_MAX_SUBTREES; i++) {
		const struct kho_subtree *t = &kho.subtrees[i];
		int node, err;

		if (!t->name[0])
			continue;
		node = fdt_add_subnode(fdt, 0, t->name);
		if (node < 0)
			return node;
		err = fdt_setprop(fdt, node, KHO_PROP_SUBTREE_DATA, &t->blob, 8);
		if (!err)
			err = fdt_setprop(fdt, node, KHO_PROP_SUBTREE_SIZE, &t->size, 8);
		if (err)
			return err;
	}
	return 0;
}

/* A subtree node's two u64s; false unless both are exactly 8 bytes. */
bool kho_subtree_props(const void *fdt, int node, phys_addr_t *blob, u64 *size)
{
	const void *d, *s;
	int dl, sl;

	d = fdt_getprop(fdt, node, KHO_PROP_SUBTREE_DATA, &dl);
	s = fdt_getprop(fdt, node, KHO_PROP_SUBTREE_SIZE, &sl);
	if (!d || !s || dl != 8 || sl != 8)
		return false;
	memcpy(blob, d, 8);
	memcpy(size, s, 8);
	return true;
}

int kho_retrieve_subtree(const char *name, phys_addr_t *phys, u64 *size)
{
	const void *fdt;
	int node;

	if (!kho.in_fdt)
		return -ENOENT;
	fdt = phys_to_virt(kho.in_fdt);
	node = fdt_subnode_offset(fdt, 0, name);
	if (node < 0 || !kho_subtree_props(fdt, node, phys, size))
		return -ENOENT;
	return 0;
}

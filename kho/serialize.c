/*
 * serialize.c — turns what was preserved into the handover (kho/abi.h): the
 * scratch array and the KHO root FDT, each on a preserved page of its own.
 * The radix tree needs no serializing: it already is in its final form,
 * and the root FDT just publishes its root node. kho_abort takes all of
 * it back when the kexec does not happen.
 */
#include "kho.h"
#include "kho_internal.h"
#include "buddy.h"
#include "cmdline.h"
#include "kstring.h"
#include "printk.h"
#include <libfdt.h>

static struct page *out_fdt, *out_scratch;

/* The compatible the root FDT says: Linux accepts only its own exact
 * string, so kho.compatible= picks the Linux to hand over to (kho-v4:
 * Linux 7.3; kho-v3: Linux 6.18 to 7.2). The layouts are the same. */
static const char *out_compatible = KHO_COMPATIBLE_V4;

static int set_compatible(const char *val)
{
	if (!val) /* a bare "kho.compatible" */
		return -EINVAL;
	if (strcmp(val, KHO_COMPATIBLE) == 0)
		out_compatible = KHO_COMPATIBLE;
	else if (strcmp(val, KHO_COMPATIBLE_V4) == 0)
		out_compatible = KHO_COMPATIBLE_V4;
	else
		return -EINVAL;
	return 0;
}
CMDLINE_PARAM("kho.compatible", set_compatible,
	      "the KHO version written: kho-v4 (Linux 7.3, the default) or kho-v3 (6.18..7.2)");

const char *kho_out_compatible(void)
{
	return out_compatible;
}

void kho_serialize_reset(void)
{
	out_fdt = out_scratch = NULL;
}

/* A zeroed page, preserved (site fdt of kho.fail=). */
static struct page *preserved_page(void)
{
	struct page *p = kho_page_alloc(KHO_FAIL_FDT);

	if (p && kho_preserve_pages(p, 1) < 0) {
		kho_page_free(p);
		p = NULL;
	}
	return p;
}

static void drop(struct page **p)
{
	if (*p) {
		kho_unpreserve_pages(*p, 1);
		kho_page_free(*p);
		*p = NULL;
	}
}

/* All or nothing: whatever step fails, kho_abort undoes the others, and
 * what callers preserved is left as it was. */
int kho_serialize(struct kho_handover *out)
{
	void *fdt;
	u64 map;
	int err;

	drop(&out_fdt); /* serializing again replaces the last handover */
	drop(&out_scratch);
	err = kho_slab_serialize();
	if (!err)
		err = kho_metadata_write();
	if (!err) {
		out_fdt = preserved_page();
		out_scratch = preserved_page();
		if (!out_fdt || !out_scratch)
			err = -ENOMEM;
	}
	if (err) {
		kho_abort();
		return err;
	}
	memcpy(page_address(out_scratch), kho.scratch, kho.nr_scratch * sizeof(kho.scratch[0]));

	fdt = page_address(out_fdt);
	map = kho.tree.root; /* native endian, 8 bytes: the ABI's u64 */
	err = fdt_create_empty_tree(fdt, PAGE_SIZE);
	if (!err)
		err = fdt_setprop_string(fdt, 0, "compatible", out_compatible);
	if (!err)
		err = fdt_setprop(fdt, 0, KHO_PROP_MEMORY_MAP, &map, sizeof(map));
	if (!err)
		err = fdt_setprop_string(fdt, 0, KHO_PROP_EXTENSIONS, KHO_BATON_EXTENSIONS);
	if (!err)
		err = kho_subtrees_write(fdt);
	if (err) {
		pr_err("kho: the root FDT cannot be built (%s); the serialized handover is dropped",
		       fdt_strerror(err));
		kho_abort();
		return -ENOMEM;
	}
	out->fdt = page_to_phys(out_fdt);
	out->fdt_size = PAGE_SIZE;
	out->scratch = page_to_phys(out_scratch);
	out->scratch_size = kho.nr_scratch * sizeof(kho.scratch[0]);
	return 0;
}

void kho_abort(void)
{
	drop(&out_fdt);
	drop(&out_scratch);
	kho_metadata_drop();
	kho_remove_subtree(KHO_SLAB_SUBTREE);
}

/*
 * handover.c — writes a handover into a boot FDT's /chosen (kho.h; the
 * names are kho/handover.h's): kexec for the next kernel, and the host
 * tests, the fuzzer's seeds and the bench for the kernels they boot.
 */
#include "kho.h"
#include <libfdt.h>

int kho_chosen_set_range(void *fdt, int chosen, const char *name, u64 base, u64 size)
{
	int err = fdt_delprop(fdt, chosen, name);

	if (err && err != -FDT_ERR_NOTFOUND)
		return err;
	return fdt_appendprop_addrrange(fdt, 0, chosen, name, base, size);
}

int kho_chosen_write(void *fdt, phys_addr_t kfdt, u64 kfdt_size, phys_addr_t scratch,
		     u64 scratch_size)
{
	int chosen = fdt_path_offset(fdt, "/chosen");

	if (chosen == -FDT_ERR_NOTFOUND)
		chosen = fdt_add_subnode(fdt, 0, "chosen");
	if (chosen < 0)
		return chosen;
	return kho_chosen_write_at(fdt, chosen, kfdt, kfdt_size, scratch, scratch_size);
}

int kho_chosen_write_at(void *fdt, int chosen, phys_addr_t kfdt, u64 kfdt_size, phys_addr_t scratch,
			u64 scratch_size)
{
	int err = kho_chosen_set_range(fdt, chosen, KHO_CHOSEN_FDT, kfdt, kfdt_size);

	return err ? err
		   : kho_chosen_set_range(fdt, chosen, KHO_CHOSEN_SCRATCH, scratch, scratch_size);
}

int kho_handover_fdt(void *buf, int size, const struct kho_handover *h)
{
	int err = fdt_create_empty_tree(buf, size);

	if (!err)
		err = fdt_setprop_u32(buf, 0, "#address-cells", 2);
	if (!err)
		err = fdt_setprop_u32(buf, 0, "#size-cells", 2);
	return err ? err : kho_chosen_write(buf, h->fdt, h->fdt_size, h->scratch, h->scratch_size);
}

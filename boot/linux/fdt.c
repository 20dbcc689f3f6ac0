/*
 * fdt.c — the boot FDT the front end hands the kernel (lb_fdt_build,
 * linuxboot.h): the same tree the EFI loader builds for a PC
 * (boot/efi/x86_64.c and fdt.c), from what a boot_params (or multiboot2's
 * information, boot/multiboot2/) says instead of UEFI:
 *
 *   / { #address-cells = <2>; #size-cells = <2>; compatible = "baton,pc";
 *       chosen { bootargs; stdout-path = "serial0:115200n8";
 *                baton,loader = "bzimage-x86_64";       info->loader
 *                baton,acpi-rsdp = <u64>;               when one was found
 *                baton,image = <addr size>;             the kernel ELF, which kexec reuses,
 *                                                       when there is one
 *                                    (baton,loader-image with a KHO handover)
 *                linux,initrd-start, linux,initrd-end;  when the loader gave one
 *                linux,kho-fdt, linux,kho-scratch;      from SETUP_KEXEC_KHO
 *                baton,loader-error = "...";            when the boot cannot go on
 *       };
 *       aliases { serial0 = "/isa/serial@3f8"; };
 *       memory@<first> { device_type = "memory"; reg = <RAM ranges>; };
 *       isa { serial@3f8 { compatible = "ns16550a"; reg = <1 0x3f8 8>; }; };
 *   };
 *   memreserve: what the firmware keeps (e820 ACPI and NVS)
 *
 * The KHO properties are the ones Linux writes on arm64 and Baton's own
 * kexec writes (docs/design.md section 3), as <addr size> in the root's cells.
 * With baton,loader-error the kernel says why and powers off (kernel/main.c)
 * before it reads memory, so /memory may then be missing or partial.
 */
#include "linuxboot.h"
#include "kho/abi.h"
#include "kho/handover.h"
#include "fdt_name.h"
#include "boot/pc_fdt.h"
#include <libfdt.h>

#define TRY(expr)                    \
	do {                         \
		int err_ = (expr);   \
		if (err_ < 0)        \
			return err_; \
	} while (0)

static int memory(void *fdt, const struct lb_info *info)
{
	char name[24];
	int node;

	for (int i = 0; i < info->nr_resv; i++)
		TRY(fdt_add_mem_rsv(fdt, info->resv[i].base, info->resv[i].size));
	if (!info->nr_ram)
		return 0;
	fdt_unit_name(name, "memory", info->ram[0].base);
	TRY(node = fdt_add_subnode(fdt, 0, name));
	TRY(fdt_setprop_string(fdt, node, "device_type", "memory"));
	TRY(fdt_setprop(fdt, node, "reg", NULL, 0));
	for (int i = 0; i < info->nr_ram; i++)
		TRY(fdt_appendprop_addrrange(fdt, 0, node, "reg", info->ram[i].base,
					     info->ram[i].size));
	return 0;
}

int lb_fdt_build(void *buf, int size, const struct lb_info *info, struct lb_range image,
		 const char *why)
{
	int chosen;

	TRY(fdt_create_empty_tree(buf, size));
	TRY(pc_fdt_nodes(buf, info->model));

	TRY(chosen = fdt_add_subnode(buf, 0, "chosen"));
	TRY(fdt_setprop_string(buf, chosen, "bootargs", info->cmdline));
	TRY(fdt_setprop_string(buf, chosen, "stdout-path", "serial0:115200n8"));
	TRY(fdt_setprop_string(buf, chosen, BATON_CHOSEN_LOADER, info->loader));
	if (info->rsdp)
		TRY(fdt_setprop_u64(buf, chosen, BATON_CHOSEN_ACPI_RSDP, info->rsdp));
	/* With a handover, baton,image would mean the copy the last Baton
	 * preserved (kernel/kexec.c, kho/validate.c rule 16); this one is the
	 * loader's (Linux's kexec put the bzImage in its scratch). Size 0:
	 * the loader gave none (then the kernel cannot kexec, and says so). */
	if (image.size)
		TRY(fdt_appendprop_addrrange(buf, 0, chosen,
					     info->kho ? BATON_CHOSEN_LOADER_IMAGE
						       : BATON_CHOSEN_IMAGE,
					     image.base, image.size));
	if (info->initrd_size) {
		TRY(fdt_setprop_u64(buf, chosen, "linux,initrd-start", info->initrd_base));
		TRY(fdt_setprop_u64(buf, chosen, "linux,initrd-end",
				    info->initrd_base + info->initrd_size));
	}
	if (info->kho) {
		TRY(fdt_appendprop_addrrange(buf, 0, chosen, KHO_CHOSEN_FDT,
					     info->kho_data.fdt_addr, info->kho_data.fdt_size));
		TRY(fdt_appendprop_addrrange(buf, 0, chosen, KHO_CHOSEN_SCRATCH,
					     info->kho_data.scratch_addr,
					     info->kho_data.scratch_size));
	}
	if (why)
		TRY(fdt_setprop_string(buf, chosen, BATON_CHOSEN_LOADER_ERROR, why));
	TRY(memory(buf, info));
	return fdt_pack(buf);
}

int lb_fdt_write(void *buf, struct lb_info *info, struct lb_range image, const char *why)
{
	int err = lb_fdt_build(buf, LB_FDT_SIZE, info, image, why);

	if (err >= 0)
		return err;
	lb_note("cannot boot: the boot FDT does not fit in %d bytes (libfdt error %d); the kernel "
		"is entered without memory, only to say so and power off",
		LB_FDT_SIZE, err);
	info->nr_ram = info->nr_resv = 0;
	return lb_fdt_build(buf, LB_FDT_SIZE, info, image, "the boot FDT did not fit");
}

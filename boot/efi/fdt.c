/*
 * fdt.c — what the loader writes into every boot FDT, on both
 * architectures (docs/design.md section 3): /chosen/bootargs,
 * /chosen/baton,loader, /chosen/baton,secure-boot after a verified start,
 * the /memory node and the memory reservation block.
 * Called by main.c, after the architecture's half (x86_64.c, arm64.c) has
 * built or copied the rest of the tree.
 *
 * The memory map comes from UEFI. RAM in /memory is everything the kernel
 * may ever own: conventional memory, boot services and loader memory (free
 * once the kernel runs, except the kernel, its FDT and its image copy,
 * which the kernel reserves itself), and the firmware's runtime services
 * and ACPI memory, which also get a memory reservation block entry because
 * the firmware keeps them after ExitBootServices. Memory the firmware
 * reserved outright (EfiReservedMemoryType, MMIO, unusable) is not RAM to
 * the kernel at all: it is left out of /memory, so it is never mapped nor
 * handed out, which is what Linux's nomap does for it.
 */
#include "loader.h"
#include "kho/handover.h"
#include "secureboot.h"
#include "fdt_name.h"
#include <libfdt.h>

#define EFI_PERSISTENT_MEMORY 14

static bool is_ram(u32 type)
{
	switch (type) {
	case EfiLoaderCode:
	case EfiLoaderData:
	case EfiBootServicesCode:
	case EfiBootServicesData:
	case EfiRuntimeServicesCode:
	case EfiRuntimeServicesData:
	case EfiConventionalMemory:
	case EfiACPIReclaimMemory:
	case EfiACPIMemoryNVS:
	case EFI_PERSISTENT_MEMORY:
		return true;
	}
	return false;
}

/* RAM the firmware keeps using after ExitBootServices. */
static bool stays_firmwares(u32 type)
{
	return type == EfiRuntimeServicesCode || type == EfiRuntimeServicesData ||
	       type == EfiACPIReclaimMemory || type == EfiACPIMemoryNVS;
}

EFI_STATUS fdt_error(const char *what, int err)
{
	Print(L"loader: building the FDT: %a: %a\n", what, fdt_strerror(err));
	return EFI_BUFFER_TOO_SMALL;
}

EFI_STATUS fdt_set_chosen(void *fdt, const char *bootargs)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), err;

	if (chosen == -FDT_ERR_NOTFOUND)
		FDT_TRY(chosen = fdt_add_subnode(fdt, 0, "chosen"));
	FDT_TRY(chosen);
	if (bootargs[0] || !fdt_getprop(fdt, chosen, "bootargs", NULL))
		FDT_TRY(fdt_setprop_string(fdt, chosen, "bootargs", bootargs));
	FDT_TRY(fdt_setprop_string(fdt, chosen, BATON_CHOSEN_LOADER, LOADER_NAME));
	/* Only this loader says Secure Boot verified the kernel (below): a
	 * firmware's tree (arm64) that says so already is not believed. */
	err = fdt_delprop(fdt, chosen, BATON_CHOSEN_SECURE_BOOT);
	if (err != -FDT_ERR_NOTFOUND)
		FDT_TRY(err);
	return EFI_SUCCESS;
}

EFI_STATUS fdt_set_secure_boot(void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen");

	FDT_TRY(chosen);
	FDT_TRY(fdt_setprop_string(fdt, chosen, BATON_CHOSEN_SECURE_BOOT, BATON_SECURE_BOOT_UEFI));
	return EFI_SUCCESS;
}

/* UEFI does not promise an ordered map; sort it in place (insertion sort,
 * no allocation: boot services may be half gone already). */
static void sort_map(EFI_MEMORY_DESCRIPTOR *map, UINTN n, UINTN desc_size)
{
	u8 tmp[128];

	if (desc_size > sizeof(tmp))
		return;
	for (UINTN i = 1; i < n; i++) {
		UINTN j = i;

		CopyMem(tmp, (u8 *)map + i * desc_size, desc_size);
		for (; j > 0; j--) {
			EFI_MEMORY_DESCRIPTOR *prev = (void *)((u8 *)map + (j - 1) * desc_size);

			if (prev->PhysicalStart <= ((EFI_MEMORY_DESCRIPTOR *)tmp)->PhysicalStart)
				break;
			CopyMem((u8 *)map + j * desc_size, prev, desc_size);
		}
		CopyMem((u8 *)map + j * desc_size, tmp, desc_size);
	}
}

EFI_STATUS fdt_set_memory(void *fdt, EFI_MEMORY_DESCRIPTOR *map, UINTN map_size, UINTN desc_size)
{
	/* Entries the tree came with (the firmware's, on arm64) stay. */
	static int rsv_kept = -1;
	u64 ram_base = 0, ram_end = 0, rsv_base = 0, rsv_end = 0, first = 0;
	char name[24];
	int node, n;

	if (rsv_kept < 0)
		FDT_TRY(rsv_kept = fdt_num_mem_rsv(fdt));
	/* A retry after a stale map key starts from a clean slate: our
	 * reservations go, and so does every /memory node, the firmware's
	 * and the one an earlier try added. */
	while ((n = fdt_num_mem_rsv(fdt)) > rsv_kept)
		FDT_TRY(fdt_del_mem_rsv(fdt, n - 1));
	while ((node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory",
						     sizeof("memory"))) >= 0)
		FDT_TRY(fdt_del_node(fdt, node));

	sort_map(map, map_size / desc_size, desc_size);
	for (UINTN off = 0; off + desc_size <= map_size; off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)((const u8 *)map + off);

		if (is_ram(d->Type)) {
			first = d->PhysicalStart;
			break;
		}
	}
	fdt_unit_name(name, "memory", first);
	FDT_TRY(node = fdt_add_subnode(fdt, 0, name));
	FDT_TRY(fdt_setprop_string(fdt, node, "device_type", "memory"));
	FDT_TRY(fdt_setprop(fdt, node, "reg", NULL, 0));

	/* Walk the sorted map once; the step past the end flushes the last
	 * merged ranges. */
	for (UINTN off = 0; off + desc_size <= map_size + desc_size; off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)((const u8 *)map + off);
		bool last = off + desc_size > map_size;
		u64 base = last ? ~0ULL : d->PhysicalStart;
		u64 end = last ? ~0ULL : base + d->NumberOfPages * EFI_PAGE_SIZE;

		if (last || !is_ram(d->Type) || base != ram_end) {
			if (ram_end > ram_base)
				FDT_TRY(fdt_appendprop_addrrange(fdt, 0, node, "reg", ram_base,
								 ram_end - ram_base));
			ram_base = ram_end = 0;
		}
		if (last || !stays_firmwares(d->Type) || base != rsv_end) {
			if (rsv_end > rsv_base)
				FDT_TRY(fdt_add_mem_rsv(fdt, rsv_base, rsv_end - rsv_base));
			rsv_base = rsv_end = 0;
		}
		if (last)
			break;
		if (is_ram(d->Type)) {
			if (ram_end == 0)
				ram_base = base;
			ram_end = end;
		}
		if (stays_firmwares(d->Type)) {
			if (rsv_end == 0)
				rsv_base = base;
			rsv_end = end;
		}
	}
	return EFI_SUCCESS;
}

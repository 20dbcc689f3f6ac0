/*
 * fdt.c — builds the x86-64 boot FDT from what UEFI says (DESIGN.md
 * section 3):
 *
 *   / { #address-cells = <2>; #size-cells = <2>; compatible = "baton,pc";
 *       chosen { bootargs; stdout-path = "serial0:115200n8";
 *                baton,acpi-rsdp = <u64>; baton,image = <addr size>; };
 *       aliases { serial0 = "/isa/serial@3f8"; };
 *       memory@0 { device_type = "memory"; reg = <RAM ranges>; };
 *       isa { serial@3f8 { compatible = "ns16550a"; reg = <1 0x3f8 8>; }; };
 *   };
 *
 * plus a memory reservation block entry for every range of RAM the firmware
 * still owns after ExitBootServices (runtime services, ACPI tables and NVS).
 * RAM in /memory is everything the kernel may ever own: conventional memory,
 * boot services and loader memory (free once the kernel runs, except the
 * kernel, its FDT and its image copy, which the kernel reserves itself), and
 * the reserved-for-firmware kinds above.
 */
#include "loader.h"
#include <libfdt.h>

#define EFI_PERSISTENT_MEMORY 14

static int memory_node = -1;

static bool is_ram(u32 type)
{
	switch (type) {
	case EfiLoaderCode: case EfiLoaderData:
	case EfiBootServicesCode: case EfiBootServicesData:
	case EfiRuntimeServicesCode: case EfiRuntimeServicesData:
	case EfiConventionalMemory: case EfiACPIReclaimMemory: case EfiACPIMemoryNVS:
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

#define TRY(expr)                                            \
	do {                                                 \
		int err_ = (expr);                           \
		if (err_ < 0) {                              \
			Print(L"loader: building the FDT: %a: %a\n", #expr, \
			      fdt_strerror(err_));           \
			return EFI_BUFFER_TOO_SMALL;         \
		}                                            \
	} while (0)

EFI_STATUS fdt_start(void *fdt, UINTN size, const char *bootargs, u64 rsdp,
		     u64 image, u64 image_size)
{
	int chosen, aliases, isa, serial;
	fdt64_t img[2] = { cpu_to_fdt64(image), cpu_to_fdt64(image_size) };
	fdt32_t serial_reg[3] = { cpu_to_fdt32(1), cpu_to_fdt32(0x3f8), cpu_to_fdt32(8) };

	TRY(fdt_create_empty_tree(fdt, (int)size));
	TRY(fdt_setprop_u32(fdt, 0, "#address-cells", 2));
	TRY(fdt_setprop_u32(fdt, 0, "#size-cells", 2));
	TRY(fdt_setprop_string(fdt, 0, "compatible", "baton,pc"));
	TRY(fdt_setprop_string(fdt, 0, "model", "PC (UEFI, Baton EFI loader)"));

	TRY(chosen = fdt_add_subnode(fdt, 0, "chosen"));
	TRY(fdt_setprop_string(fdt, chosen, "bootargs", bootargs));
	TRY(fdt_setprop_string(fdt, chosen, "stdout-path", "serial0:115200n8"));
	if (rsdp)
		TRY(fdt_setprop_u64(fdt, chosen, "baton,acpi-rsdp", rsdp));
	TRY(fdt_setprop(fdt, chosen, "baton,image", img, sizeof(img)));
	TRY(fdt_setprop_string(fdt, chosen, "baton,loader", "efi-x86_64"));

	TRY(aliases = fdt_add_subnode(fdt, 0, "aliases"));
	TRY(fdt_setprop_string(fdt, aliases, "serial0", "/isa/serial@3f8"));

	TRY(memory_node = fdt_add_subnode(fdt, 0, "memory@0"));
	TRY(fdt_setprop_string(fdt, memory_node, "device_type", "memory"));

	TRY(isa = fdt_add_subnode(fdt, 0, "isa"));
	TRY(fdt_setprop_string(fdt, isa, "compatible", "isa"));
	TRY(fdt_setprop_string(fdt, isa, "device_type", "isa"));
	TRY(fdt_setprop_u32(fdt, isa, "#address-cells", 2));
	TRY(fdt_setprop_u32(fdt, isa, "#size-cells", 1));
	TRY(serial = fdt_add_subnode(fdt, isa, "serial@3f8"));
	TRY(fdt_setprop_string(fdt, serial, "compatible", "ns16550a"));
	TRY(fdt_setprop(fdt, serial, "reg", serial_reg, sizeof(serial_reg)));
	TRY(fdt_setprop_u32(fdt, serial, "clock-frequency", 1843200));
	TRY(fdt_setprop_u32(fdt, serial, "current-speed", 115200));
	/* Node offsets shift as nodes are added: find /memory@0 again. */
	TRY(memory_node = fdt_path_offset(fdt, "/memory@0"));
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

EFI_STATUS fdt_set_memory(void *fdt, EFI_MEMORY_DESCRIPTOR *map, UINTN map_size,
			  UINTN desc_size)
{
	u64 ram_base = 0, ram_end = 0, rsv_base = 0, rsv_end = 0;
	int node;

	/* A retry after a stale map key starts from a clean slate. */
	while (fdt_num_mem_rsv(fdt) > 0)
		TRY(fdt_del_mem_rsv(fdt, 0));
	TRY(node = fdt_path_offset(fdt, "/memory@0"));
	TRY(fdt_setprop(fdt, node, "reg", NULL, 0));

	/* Walk the sorted map once; the step past the end flushes the last
	 * merged ranges. */
	sort_map(map, map_size / desc_size, desc_size);
	for (UINTN off = 0; off + desc_size <= map_size + desc_size; off += desc_size) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)((const u8 *)map + off);
		bool last = off + desc_size > map_size;
		u64 base = last ? ~0ULL : d->PhysicalStart;
		u64 end = last ? ~0ULL : base + d->NumberOfPages * EFI_PAGE_SIZE;

		if (last || !is_ram(d->Type) || base != ram_end) {
			if (ram_end > ram_base)
				TRY(fdt_appendprop_addrrange(fdt, 0, node, "reg", ram_base,
							     ram_end - ram_base));
			ram_base = ram_end = 0;
		}
		if (last || !stays_firmwares(d->Type) || base != rsv_end) {
			if (rsv_end > rsv_base)
				TRY(fdt_add_mem_rsv(fdt, rsv_base, rsv_end - rsv_base));
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

/*
 * bzimage.c — the x86-64 EFI loader booting a bzImage through its 64-bit
 * entry (boot.rst, "64-bit Boot Protocol"), as 64-bit loaders of Linux do
 * (Linux's kexec_file_load first among them): Baton's own
 * build/x86_64/bzImage, when the ESP holds it instead of baton.elf. This is
 * how the boot tests reach the bzImage front end's 64-bit entry
 * (boot/linux/) and its window above 4 GiB (efi.load_addr), which GRUB
 * 2.06 and QEMU never use. Called from x86_64.c.
 *
 * Before ExitBootServices (bzimage_place, bzimage_params): the file is
 * checked (lib/bzimage.c), its protected-mode part copied to a
 * kernel_alignment-aligned address with init_size bytes allocated there
 * (at efi.load_addr if given: above 4 GiB is fine, the bzImage says so);
 * a boot_params page is zeroed, the setup header copied in, the command
 * line put after it, efi_info set to the system table.
 * After (bzimage_enter): the e820 map comes from the boot FDT, whose
 * /memory and memory reservation block fdt.c wrote from the final UEFI
 * map: RAM as type 1, then what the firmware keeps as type 2 entries lying
 * over that RAM, overlapping as BIOS maps do (the front end sorts them
 * out); acpi_rsdp_addr from /chosen/baton,acpi-rsdp. Then cli, rsi =
 * boot_params, jump to the entry at 0x200, under UEFI's identity map.
 */
#include "loader.h"
#include "bootparam.h"
#include "bzimage.h"
#include "cmdline.h"
#include "compiler.h"
#include "kerrno.h"
#include "kho/handover.h"
#include <libfdt.h>

#define BP_LOADER_TYPE 0xff /* "no ID assigned" (boot.rst, type_of_loader) */

static struct boot_params *bp;
static struct bzimage_layout layout;

EFI_STATUS bzimage_place(struct kernel *k, u64 load_addr)
{
	char why[ERR_WHY_MAX];
	int err = bzimage_check(k->file, k->file_size, &layout, why, sizeof(why));
	EFI_PHYSICAL_ADDRESS a = load_addr;
	EFI_STATUS st;

	if (err) {
		Print(L"loader: bzImage: %a (%a)\n", why, err_name(err));
		return EFI_LOAD_ERROR;
	}
	if (load_addr) {
		if (load_addr & (layout.align - 1)) {
			Print(L"loader: efi.load_addr=0x%lx is not aligned to the bzImage's 0x%lx\n",
			      load_addr, layout.align);
			return EFI_INVALID_PARAMETER;
		}
		st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress, EfiLoaderData,
				       EFI_SIZE_TO_PAGES(layout.init_size), &a);
		if (EFI_ERROR(st)) {
			Print(L"loader: no room for the bzImage's 0x%lx bytes at 0x%lx: %r\n",
			      layout.init_size, load_addr, st);
			return st;
		}
	} else {
		st = place_2m(0, layout.init_size, false, &a);
		if (EFI_ERROR(st))
			return st;
	}
	CopyMem((void *)(UINTN)a, (const u8 *)k->file + layout.setup_size, layout.pm_size);
	k->base = a;
	k->span = layout.init_size;
	k->entry = a + BP_STARTUP64_OFFSET;
	k->bzimage = true;
	return EFI_SUCCESS;
}

EFI_STATUS bzimage_params(const struct kernel *k, const char *bootargs)
{
	EFI_PHYSICAL_ADDRESS a = 0xffffffff;
	UINTN len = strlena((const CHAR8 *)bootargs);
	EFI_STATUS st;
	char *cmdline;

	if (len > layout.cmdline_size) {
		Print(L"loader: the command line is %lu bytes, the bzImage takes %u\n", (u64)len,
		      layout.cmdline_size);
		return EFI_INVALID_PARAMETER;
	}
	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
			       EFI_SIZE_TO_PAGES(sizeof(*bp) + len + 1), &a);
	if (EFI_ERROR(st))
		return st;
	bp = (void *)(UINTN)a;
	ZeroMem(bp, sizeof(*bp));
	CopyMem((u8 *)bp + BP_HDR_OFFSET, (const u8 *)k->file + BP_HDR_OFFSET,
		layout.hdr_end - BP_HDR_OFFSET);
	bp->hdr.type_of_loader = BP_LOADER_TYPE;
	bp->hdr.code32_start = (u32)k->base;
	cmdline = (char *)(bp + 1);
	CopyMem(cmdline, bootargs, len + 1);
	bp->hdr.cmd_line_ptr = (u32)(UINTN)cmdline;
	bp->ext_cmd_line_ptr = (u32)((u64)(UINTN)cmdline >> 32);
	bp->efi_info.efi_loader_signature = EFI64_LOADER_SIGNATURE;
	bp->efi_info.efi_systab = (u32)(UINTN)ST;
	bp->efi_info.efi_systab_hi = (u32)((u64)(UINTN)ST >> 32);
	return EFI_SUCCESS;
}

static bool e820_add(u64 addr, u64 size, u32 type)
{
	if (bp->e820_entries == E820_MAX_ENTRIES_ZEROPAGE)
		return false;
	bp->e820_table[bp->e820_entries++] = (struct boot_e820_entry){ addr, size, type };
	return true;
}

void bzimage_enter(const struct kernel *k, const void *fdt)
{
	int node = fdt_node_offset_by_prop_value(fdt, -1, "device_type", "memory",
						 sizeof("memory"));
	int chosen = fdt_path_offset(fdt, "/chosen"), len = 0, n;
	const fdt64_t *reg = node >= 0 ? fdt_getprop(fdt, node, "reg", &len) : NULL;
	const fdt64_t *rsdp = chosen >= 0 ? fdt_getprop(fdt, chosen, BATON_CHOSEN_ACPI_RSDP, NULL) : NULL;

	for (int i = 0; reg && i + 1 < len / 8; i += 2)
		if (!e820_add(fdt64_to_cpu(reg[i]), fdt64_to_cpu(reg[i + 1]), E820_TYPE_RAM))
			arch_fail_late("bzImage: more than 128 e820 entries");
	n = fdt_num_mem_rsv(fdt);
	for (int i = 0; i < n; i++) {
		uint64_t addr, size;

		if (fdt_get_mem_rsv(fdt, i, &addr, &size) == 0 &&
		    !e820_add(addr, size, E820_TYPE_RESERVED))
			arch_fail_late("bzImage: more than 128 e820 entries");
	}
	if (rsdp)
		bp->acpi_rsdp_addr = fdt64_to_cpu(*rsdp);
	__asm__ volatile("cli\n\t"
			 "jmp *%1"
			 : : "S"(bp), "r"(k->entry) : "memory");
	__builtin_unreachable();
}

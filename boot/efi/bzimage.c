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
 * a boot_params page and room for the command line after it are
 * allocated (nothing can be after ExitBootServices), the setup header
 * copied in, efi_info set to the system table, and the command line's
 * length checked while the firmware can still show a refusal.
 * After (bzimage_enter): the rest comes from the boot FDT
 * (lib/zeropage.c, as kexec into Linux makes its zero page), whose
 * /memory and memory reservation block fdt.c wrote from the final UEFI
 * map: RAM as type 1, then what the firmware keeps as type 2 entries lying
 * over that RAM, overlapping as BIOS maps do (the front end sorts them
 * out); the command line from /chosen/bootargs; acpi_rsdp_addr from
 * /chosen/baton,acpi-rsdp. Then cli, rsi = boot_params, jump to the entry
 * at 0x200, under UEFI's identity map.
 */
#include "loader.h"
#include "bootparam.h"
#include "bzimage.h"
#include "cmdline.h"
#include "compiler.h"
#include "kerrno.h"
#include "zeropage.h"

#define BP_LOADER_TYPE 0xff /* "no ID assigned" (boot.rst, type_of_loader) */

static struct boot_params *bp;
static struct bzimage_layout layout;
static struct zeropage_cmdline cmdline; /* after bp, in the same pages */

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

	/* These become /chosen/bootargs (fdt_set_chosen), which bzimage_enter
	 * copies after bp: room for as much as the bzImage takes, and the
	 * loader never passes more than CMDLINE_MAX - 1 bytes. */
	cmdline.max = MIN(layout.cmdline_size, (u32)CMDLINE_MAX - 1);
	if (len > cmdline.max) {
		Print(L"loader: the command line is %lu bytes, the bzImage takes %u\n", (u64)len,
		      cmdline.max);
		return EFI_INVALID_PARAMETER;
	}
	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
			       EFI_SIZE_TO_PAGES(sizeof(*bp) + cmdline.max + 1), &a);
	if (EFI_ERROR(st))
		return st;
	bp = (void *)(UINTN)a;
	ZeroMem(bp, sizeof(*bp));
	CopyMem((u8 *)bp + BP_HDR_OFFSET, (const u8 *)k->file + BP_HDR_OFFSET,
		layout.hdr_end - BP_HDR_OFFSET);
	bp->hdr.type_of_loader = BP_LOADER_TYPE;
	bp->hdr.code32_start = (u32)k->base;
	cmdline.buf = (char *)(bp + 1);
	cmdline.pa = (u64)(UINTN)cmdline.buf;
	bp->efi_info.efi_loader_signature = EFI64_LOADER_SIGNATURE;
	bp->efi_info.efi_systab = (u32)(UINTN)ST;
	bp->efi_info.efi_systab_hi = (u32)((u64)(UINTN)ST >> 32);
	return EFI_SUCCESS;
}

void bzimage_enter(const struct kernel *k, const void *fdt)
{
	static char why[ERR_WHY_MAX] = "bzImage: no zero page from the boot FDT: ";
	const size_t said = strlena((const CHAR8 *)why);

	if (zeropage_from_fdt(bp, fdt, &cmdline, why + said, sizeof(why) - said))
		arch_fail_late(why);
	__asm__ volatile("cli\n\t"
			 "jmp *%1"
			 :
			 : "S"(bp), "r"(k->entry)
			 : "memory");
	__builtin_unreachable();
}

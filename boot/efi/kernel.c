/*
 * kernel.c — places the kernel ELF at a 2 MiB-aligned physical address
 * below 4 GiB, as the x86-64 boot protocol requires: the checks and the
 * copy are kernel/elf_load.c's (kexec uses them too); this file finds the
 * memory through boot services.
 */
#include "loader.h"
#include "elf64.h"
#include "elf_load.h"
#include "compiler.h"

#define ALIGN_2M 0x200000ULL

EFI_STATUS kernel_place(const void *elf, UINTN size, u64 load_addr, u64 *base, u64 *entry)
{
	struct elf_layout l;
	const char *why = elf_layout(elf, size, EM_X86_64, &l);
	EFI_PHYSICAL_ADDRESS addr;
	EFI_STATUS st;

	if (why) {
		Print(L"loader: %s: %a\n", KERNEL_FILE, why);
		return EFI_LOAD_ERROR;
	}
	if (load_addr) {
		if (!IS_ALIGNED(load_addr, ALIGN_2M) || load_addr + l.span > LOADER_MAX_ADDR) {
			Print(L"loader: efi.load_addr=0x%lx must be 2 MiB aligned and below 4 GiB\n",
			      load_addr);
			return EFI_INVALID_PARAMETER;
		}
		addr = load_addr;
		st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress, EfiLoaderData,
				       EFI_SIZE_TO_PAGES(l.span), &addr);
	} else {
		/* Any address: over-allocate by 2 MiB and align inside. */
		addr = LOADER_MAX_ADDR;
		st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
				       EFI_SIZE_TO_PAGES(l.span + ALIGN_2M), &addr);
		addr = ALIGN_UP(addr, ALIGN_2M);
	}
	if (EFI_ERROR(st)) {
		Print(L"loader: no room for the kernel (%lu bytes) at 0x%lx: %r\n", l.span,
		      load_addr, st);
		return st;
	}
	elf_copy(elf, (void *)(UINTN)addr, &l);
	*base = addr;
	*entry = addr + l.entry_off;
	return EFI_SUCCESS;
}

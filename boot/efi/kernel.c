/*
 * kernel.c — checks the kernel ELF and copies its PT_LOAD segments to a
 * 2 MiB-aligned physical address below 4 GiB, as the x86-64 boot protocol
 * requires. Segments keep their distances from the lowest link address, so
 * phys = base + (vaddr - lowest vaddr); bss is zeroed.
 */
#include "loader.h"
#include "elf64.h"
#include "compiler.h"

#define ALIGN_2M 0x200000ULL

EFI_STATUS kernel_place(const void *elf, UINTN size, u64 load_addr, u64 *base, u64 *entry)
{
	const struct elf64_ehdr *eh = elf;
	const struct elf64_phdr *ph;
	u64 vmin = ~0ULL, vmax = 0, span;
	EFI_PHYSICAL_ADDRESS addr;
	EFI_STATUS st;

	if (size < sizeof(*eh) || CompareMem(eh->ident, ELF_MAGIC, 4) != 0 ||
	    eh->ident[4] != ELFCLASS64 || eh->ident[5] != ELFDATA2LSB ||
	    eh->type != ET_EXEC || eh->machine != EM_X86_64 ||
	    eh->phentsize != sizeof(*ph) || eh->phnum == 0 ||
	    eh->phoff > size || (u64)eh->phnum * sizeof(*ph) > size - eh->phoff) {
		Print(L"loader: %s is not an x86-64 ELF executable\n", KERNEL_FILE);
		return EFI_LOAD_ERROR;
	}
	ph = (const void *)((const u8 *)elf + eh->phoff);
	for (int i = 0; i < eh->phnum; i++) {
		if (ph[i].type != PT_LOAD)
			continue;
		if (ph[i].offset > size || ph[i].filesz > size - ph[i].offset ||
		    ph[i].filesz > ph[i].memsz || ph[i].vaddr + ph[i].memsz < ph[i].vaddr) {
			Print(L"loader: segment %d lies outside the file\n", i);
			return EFI_LOAD_ERROR;
		}
		vmin = MIN(vmin, ph[i].vaddr);
		vmax = MAX(vmax, ph[i].vaddr + ph[i].memsz);
	}
	if (vmax <= vmin || !IS_ALIGNED(vmin, ALIGN_2M) || eh->entry < vmin || eh->entry >= vmax) {
		Print(L"loader: the kernel's segments or entry are not laid out as expected\n");
		return EFI_LOAD_ERROR;
	}
	span = vmax - vmin;

	if (load_addr) {
		if (!IS_ALIGNED(load_addr, ALIGN_2M) || load_addr + span > LOADER_MAX_ADDR) {
			Print(L"loader: efi.load_addr=0x%lx must be 2 MiB aligned and below 4 GiB\n",
			      load_addr);
			return EFI_INVALID_PARAMETER;
		}
		addr = load_addr;
		st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress, EfiLoaderData,
				       EFI_SIZE_TO_PAGES(span), &addr);
	} else {
		/* Any address: over-allocate by 2 MiB and align inside. */
		addr = LOADER_MAX_ADDR;
		st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
				       EFI_SIZE_TO_PAGES(span + ALIGN_2M), &addr);
		addr = ALIGN_UP(addr, ALIGN_2M);
	}
	if (EFI_ERROR(st)) {
		Print(L"loader: no room for the kernel (%lu bytes) at 0x%lx: %r\n", span,
		      load_addr, st);
		return st;
	}

	ZeroMem((void *)(UINTN)addr, span);
	for (int i = 0; i < eh->phnum; i++) {
		if (ph[i].type == PT_LOAD)
			CopyMem((void *)(UINTN)(addr + ph[i].vaddr - vmin),
				(const u8 *)elf + ph[i].offset, ph[i].filesz);
	}
	*base = addr;
	*entry = addr + (eh->entry - vmin);
	return EFI_SUCCESS;
}

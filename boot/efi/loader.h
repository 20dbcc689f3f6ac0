/*
 * loader.h — the GNU-EFI loader's pieces (boot/efi/). The loader is a UEFI
 * application, BOOTX64.EFI, that turns what the firmware knows into Baton's
 * x86-64 boot protocol (DESIGN.md section 3): the kernel ELF placed at a
 * 2 MiB-aligned address below 4 GiB, a boot FDT, boot services exited, and
 * a jump to the entry with rdi = FDT.
 */
#ifndef BATON_EFI_LOADER_H
#define BATON_EFI_LOADER_H

#include <efi.h>
#include <efilib.h>
#include "types.h"

/* Highest address the kernel's first page tables reach (entry.S). */
#define LOADER_MAX_ADDR 0xffffffffULL
#define KERNEL_FILE L"baton.elf"
#define CMDLINE_FILE L"cmdline.txt"
#define BOOTARGS_MAX 1024

/* Stop with a message; the firmware regains control after a key press
 * timeout-free Stall so the text stays visible. */
__attribute__((noreturn)) void loader_fail(const CHAR16 *what, EFI_STATUS st);

/* file.c: read a file from the folder the loader was started from into
 * pages below LOADER_MAX_ADDR. Returns EFI_NOT_FOUND when absent. */
EFI_STATUS file_read(EFI_HANDLE image, const CHAR16 *name, void **data, UINTN *size);

/* kernel.c: check the ELF, place its segments at a 2 MiB-aligned address
 * (load_addr, or anywhere below 4 GiB when 0), return the physical entry. */
EFI_STATUS kernel_place(const void *elf, UINTN size, u64 load_addr, u64 *base, u64 *entry);

/* fdt.c: the boot FDT. fdt_start builds everything but the memory map;
 * fdt_set_memory writes it from an EFI memory map, without allocating, so
 * it can run between GetMemoryMap and ExitBootServices. */
EFI_STATUS fdt_start(void *fdt, UINTN size, const char *bootargs, u64 rsdp,
		     u64 image, u64 image_size);
EFI_STATUS fdt_set_memory(void *fdt, EFI_MEMORY_DESCRIPTOR *map, UINTN map_size,
			  UINTN desc_size);

#endif

/*
 * loader.h — the GNU-EFI loader's pieces (boot/efi/). The loader is a UEFI
 * application, BOOTX64.EFI on x86-64 and BOOTAA64.EFI on arm64, that turns
 * what the firmware knows into the architecture's Baton boot protocol
 * (docs/design.md section 3): the kernel placed at a 2 MiB-aligned address, a
 * boot FDT, boot services exited, and a jump to the entry with the FDT in
 * the first argument register.
 *
 * main.c, file.c, fdt.c and place.c are shared; everything that differs
 * between the architectures sits behind the arch_* calls below, in one file
 * per architecture (x86_64.c, arm64.c and its trampoline arm64_enter.S).
 */
#ifndef BATON_EFI_LOADER_H
#define BATON_EFI_LOADER_H

#include <efi.h>
#include <efilib.h>
#include "types.h"

#if defined(__x86_64__)
/* Highest address the kernel's first page tables reach (entry.S). */
#define LOADER_MAX_ADDR 0xffffffffULL
#define KERNEL_FILE L"baton.elf"
/* Booted through its 64-bit entry when there is no baton.elf (bzimage.c). */
#define KERNEL_FILE_ALT L"bzImage"
#define LOADER_NAME "efi-x86_64"
#elif defined(__aarch64__)
/* The arm64 kernel is entered with the MMU off: any address will do. */
#define LOADER_MAX_ADDR 0xffffffffffffffffULL
#define KERNEL_FILE L"Image"
#define LOADER_NAME "efi-arm64"
#else
#error "the EFI loader is built for x86_64 or arm64"
#endif
#define CMDLINE_FILE L"cmdline.txt"
#define ALIGN_2M 0x200000ULL

/* The kernel as read from the ESP and as placed in memory. */
struct kernel {
	const void *file; /* the file as read */
	UINTN file_size;
	u64 base;      /* 2 MiB-aligned start of the placed image */
	u64 span;      /* bytes from base the image occupies, bss included */
	u64 entry;     /* physical entry point */
	bool bzimage;  /* x86-64: a bzImage, entered with a boot_params */
	bool verified; /* Secure Boot on, the file from the signed image */
};

/* main.c: stop with a message; the firmware regains control after a
 * 5-second Stall so the text stays visible. Only before ExitBootServices. */
__attribute__((noreturn)) void loader_fail(const CHAR16 *what, EFI_STATUS st);

/* file.c: read a file from the folder the loader was started from into
 * pages below LOADER_MAX_ADDR. Returns EFI_NOT_FOUND when absent. */
EFI_STATUS file_read(EFI_HANDLE image, const CHAR16 *name, void **data, UINTN *size);
/* file.c: pages below LOADER_MAX_ADDR for n bytes and a NUL after them. */
EFI_STATUS file_buffer(UINTN n, void **data);

/* bundle.c: what a unified image (make image SIGN=...) carries in its own
 * PE sections: the kernel file (.kernel, copied into a file_buffer) and
 * the command line (.cmdline, read in place; none when absent). kernel is
 * NULL when the image carries none: the plain loader, which reads files
 * from the disk. An image that is not a sound PE, or has a .cmdline but
 * no .kernel, is an error, with the reason printed. */
struct bundle {
	const void *kernel;
	UINTN kernel_size;
	const char *cmdline;
	UINTN cmdline_size;
};
EFI_STATUS bundle_find(EFI_HANDLE image, struct bundle *b);

/* secureboot.c: the firmware verifies the images it starts (the global
 * variable SecureBoot is 1). */
bool secureboot_on(void);

/* place.c: span bytes of pages at a 2 MiB-aligned address below
 * LOADER_MAX_ADDR: exactly at want when it is non-zero, else as low as RAM
 * allows when low is set, else anywhere. */
EFI_STATUS place_2m(u64 want, u64 span, bool low, u64 *addr);

/* fdt.c: what every boot FDT gets. fdt_set_chosen writes /chosen/bootargs
 * (kept from the firmware's tree when bootargs is empty) and
 * /chosen/baton,loader, and removes any /chosen/baton,secure-boot the
 * firmware's tree had. fdt_set_memory replaces every /memory node with one
 * built from an EFI memory map and adds a memory reservation block entry
 * for what the firmware keeps; it does not allocate, so it can run between
 * GetMemoryMap and ExitBootServices, and again on a retry. */
EFI_STATUS fdt_set_chosen(void *fdt, const char *bootargs);
/* fdt.c: /chosen/baton,secure-boot (include/secureboot.h), after
 * fdt_set_chosen, when Secure Boot is on and the kernel and command line
 * came from the signed image. */
EFI_STATUS fdt_set_secure_boot(void *fdt);
EFI_STATUS fdt_set_memory(void *fdt, EFI_MEMORY_DESCRIPTOR *map, UINTN map_size, UINTN desc_size);
/* Print a libfdt error and turn it into an EFI status. */
EFI_STATUS fdt_error(const char *what, int err);
/* Evaluate a libfdt call; on a negative result print it and return. */
#define FDT_TRY(expr)                                  \
	do {                                           \
		int err_ = (expr);                     \
		if (err_ < 0)                          \
			return fdt_error(#expr, err_); \
	} while (0)

/* The architecture's half (x86_64.c, arm64.c). */

/* The stack-protector canary Debian's libfdt reads, set before its first
 * call. */
void arch_canary_init(void);

/* Check the kernel file and place it (k->file and k->file_size set by the
 * caller) at load_addr, or wherever the format allows when 0. */
EFI_STATUS arch_kernel_place(struct kernel *k, u64 load_addr);

/* Allocate and build the boot FDT, everything but the memory map. */
EFI_STATUS arch_fdt_build(const struct kernel *k, const char *bootargs, void **fdt);

/* After ExitBootServices: say why the boot stops, without the firmware,
 * and halt. */
__attribute__((noreturn)) void arch_fail_late(const char *why);

/* After ExitBootServices: enter the kernel with the FDT. */
__attribute__((noreturn)) void arch_enter(const struct kernel *k, void *fdt);

#if defined(__x86_64__)
/* bzimage.c: a bzImage through its 64-bit entry (x86_64.c calls these). Is
 * the file one; check and place it (k->bzimage set); its boot_params and
 * room for the command line, before ExitBootServices; after it, the rest
 * of the zero page from the boot FDT (lib/zeropage.c) and the jump. */
EFI_STATUS bzimage_place(struct kernel *k, u64 load_addr);
EFI_STATUS bzimage_params(const struct kernel *k, const char *bootargs);
__attribute__((noreturn)) void bzimage_enter(const struct kernel *k, const void *fdt);
#endif

#endif

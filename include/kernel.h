/*
 * kernel.h — the kernel's entry from the arch code, and the image's bounds.
 */
#ifndef BATON_KERNEL_H
#define BATON_KERNEL_H

#include "compiler.h"
#include "types.h"

#define BATON_VERSION "0.1"

/* Linker-script symbols: the image from its first byte to the end of bss,
 * at its link (virtual) address. */
extern char _kernel_start[], _kernel_end[];

/* The image's size in bytes. The two symbols are one object to the linker
 * but two to C, where subtracting one pointer from the other is undefined:
 * their addresses are subtracted instead. */
static inline u64 kernel_image_size(void)
{
	return (u64)((uintptr_t)_kernel_end - (uintptr_t)_kernel_start);
}

/* Called by the arch entry code on the boot CPU, on the kernel stack, at the
 * link address, with the boot FDT's physical address. */
__noreturn void kernel_main(phys_addr_t fdt_phys, u64 entry_counter);

/* The boot FDT, mapped and validated (NULL until kernel_main has it). */
extern const void *boot_fdt;

#endif

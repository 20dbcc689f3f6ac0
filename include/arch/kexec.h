/*
 * arch/kexec.h — what kexec (kernel/kexec.c) needs from the arch: where its
 * kernel file comes from, how it is laid out, and the last step, leaving
 * this kernel for the next one per the boot protocol of docs/design.md
 * section 3.
 */
#ifndef BATON_ARCH_KEXEC_H
#define BATON_ARCH_KEXEC_H

#include "types.h"
#include "kerrno.h"

/* The new kernel, its boot FDT and so KHO scratch must lie below this
 * (x86-64: the identity map entry.S builds covers 4 GiB). */
extern const phys_addr_t arch_kexec_max_phys;

/* How the kernel file is placed: span bytes from a 2 MiB-aligned base,
 * entered at base + entry_off. */
struct kexec_layout {
	u64 span;
	u64 entry_off;
};

/* Check the kernel file (x86-64: an ELF or a bzImage; arm64: an Image) of
 * size bytes. Returns 0 and fills *l, or a negative code (kerrno.h) with
 * what is wrong in why (n bytes). */
int arch_kexec_image_check(const void *file, u64 size, struct kexec_layout *l, char *why, size_t n);

/* Copy the checked file to dest (l->span bytes, mapped). */
void arch_kexec_image_place(const void *file, u64 size, void *dest, const struct kexec_layout *l);

/* The pristine kernel file the arch keeps by itself, for a cold boot whose
 * loader named none in /chosen/baton,image: arm64's head.S copies the
 * Image at entry. false when the arch keeps none. */
bool arch_kexec_own_image(phys_addr_t *base, u64 *size);

/* Interrupts off, then enter the image whose entry point is at physical
 * address entry, with the boot FDT at fdt. Everything the new kernel needs
 * is already in place in [start, start + size) (which the arch makes
 * visible with the MMU off). Returns only if the arch cannot do it (and
 * says why). */
void arch_kexec_jump(phys_addr_t entry, phys_addr_t fdt, phys_addr_t start, u64 size);

#endif

/*
 * arch/kexec.h — the last step of kexec: leave this kernel for the next
 * one, per the boot protocol of DESIGN.md section 3.
 */
#ifndef BATON_ARCH_KEXEC_H
#define BATON_ARCH_KEXEC_H

#include "types.h"

/* The new kernel, its boot FDT and so KHO scratch must lie below this
 * (x86-64: the identity map entry.S builds covers 4 GiB). */
extern const phys_addr_t arch_kexec_max_phys;

/* The ELF machine of this arch's kernel image (EM_X86_64, EM_AARCH64). */
extern const u16 arch_kexec_machine;

/* Interrupts off, then enter the image whose entry point is at physical
 * address entry, with the boot FDT at fdt. Everything the new kernel needs
 * is already in place. Returns only if the arch cannot do it (and says
 * why). */
void arch_kexec_jump(phys_addr_t entry, phys_addr_t fdt);

#endif

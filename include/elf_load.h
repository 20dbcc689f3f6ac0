/*
 * elf_load.h — placing Baton's own x86-64 kernel ELF: used by the EFI
 * loader (first boot) and by kexec (every later one).
 */
#ifndef BATON_ELF_LOAD_H
#define BATON_ELF_LOAD_H

#include "types.h"
#include "kerrno.h"

/* Where the PT_LOAD segments go relative to the lowest one. */
struct elf_layout {
	u64 vmin;      /* lowest p_vaddr, 2 MiB aligned */
	u64 span;      /* bytes from vmin to the end of the last segment */
	u64 entry_off; /* entry point - vmin */
};

/* Check the ELF header and every program header against the file's size
 * (elf, 8-byte aligned, is read in place). Returns 0 and fills *out, or
 * -ENOEXEC with what is wrong in why (n bytes). */
int elf_layout(const void *elf, u64 size, u16 machine, struct elf_layout *out, char *why, size_t n);

/* Copy the segments to dest (span bytes, already mapped), zeroing bss and
 * gaps: phys = base + (vaddr - vmin). */
void elf_copy(const void *elf, void *dest, const struct elf_layout *l);

#endif

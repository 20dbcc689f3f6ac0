/*
 * pc_fdt.h — the part of an x86-64 boot FDT that describes the PC itself
 * (boot/pc_fdt.c), the same whichever loader builds the tree: the EFI
 * loader (boot/efi/x86_64.c) or the bzImage front end (boot/linux/fdt.c).
 */
#ifndef BATON_PC_FDT_H
#define BATON_PC_FDT_H

/* The root's cells (2 and 2), compatible "baton,pc" and model, then
 * /aliases/serial0 and /isa/serial@3f8 (COM1, a 16550 at 115200), in the
 * tree fdt already made. 0 or a negative libfdt error. */
int pc_fdt_nodes(void *fdt, const char *model);

#endif

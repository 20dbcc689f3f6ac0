/*
 * fdt_print.h — a flattened device tree as DTS-like text on the console
 * (kernel/fdt_print.c), for the shell's `fdt` command.
 */
#ifndef BATON_FDT_PRINT_H
#define BATON_FDT_PRINT_H

/* Most bytes of one property's value printed; the rest is counted in a
 * comment. */
#define FDT_PRINT_MAX_VALUE 1024

/* Print the node at offset node of fdt and everything under it. The root
 * (node 0) comes with the /dts-v1/ line and the memory reservations, as
 * dtc writes them; another node is named by its full path. fdt must have
 * been checked (bootfdt_check, or KHO's validation). */
void fdt_print(const void *fdt, int node);

#endif

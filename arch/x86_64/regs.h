/*
 * regs.h — x86-64 register and page-table bits the arch code sets by name,
 * shared by C (x86.h includes it) and assembly (entry.S): one definition
 * of each. Values from the Intel SDM; only what Baton uses.
 */
#ifndef BATON_X86_REGS_H
#define BATON_X86_REGS_H

/* Plain numbers: assembly includes this file too (no C suffixes). */

#define MSR_FS_BASE 0xc0000100

/* Segment selectors of the kernel GDT (entry.S). */
#define KERNEL_CS 0x08
#define KERNEL_DS 0x10
#define KERNEL_TSS 0x18

/* Page-table entry bits. */
#define PTE_P 0x1   /* present */
#define PTE_W 0x2   /* writable */
#define PTE_PS 0x80 /* a large page (2 MiB in a directory, 1 GiB in a PDPT) */

#endif

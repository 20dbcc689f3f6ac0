/*
 * longmode.h — the way from 32-bit protected mode into long mode that both
 * x86-64 front ends take (boot/linux/longmode.S): the bzImage's 32-bit
 * entry (entry.S) and the multiboot2 front end's (boot/multiboot2/entry.S).
 * Assembly only.
 *
 * lb_long_mode is jumped to (not called) in 32-bit protected mode, paging
 * off, with
 *   esp  a stack of a few words at least (what is on it stays),
 *   ebp  where to go on in 64-bit code.
 * It checks that the CPU has long mode (if not: a line on COM1, and a
 * halt), maps 0..4 GiB with 2 MiB pages in the six 4 KiB page tables at
 * the program's lb_boot_pml4 (PML4[0] -> PDPT, PDPT[0..3] -> 4 PDs:
 * idmap.c builds the same), loads its GDT, turns on PAE (4-level paging:
 * CR4.LA57 cleared), long mode and paging, sets cs to LB_CS64 and the data
 * segments to LB_DS, and jumps to ebp. esi is kept; eax, ebx, ecx, edx and
 * edi are not.
 */
#ifndef BATON_LINUX_LONGMODE_H
#define BATON_LINUX_LONGMODE_H

#define LB_CS64 0x10 /* 64-bit code, as Linux's __BOOT_CS */
#define LB_DS 0x18   /* data, as __BOOT_DS */

#endif

/*
 * mb2boot.h — the multiboot2 front end (boot/multiboot2/): Baton booted by
 * GRUB's `multiboot2` command (or any multiboot2 loader) from baton.elf
 * itself. baton.elf carries a multiboot2 header and a small 32-bit entry
 * (arch/x86_64/multiboot2.S) and, after the kernel's last byte, this front
 * end: it turns the multiboot2 information into the boot FDT of docs/design.md
 * section 3 and enters _start, where GRUB already put the kernel, like
 * every other path. docs/multiboot2.md tells why it is built so.
 *
 * It is the bzImage front end (boot/linux/linuxboot.h) with another entry
 * and another reader; the pieces of its own, one concept a file:
 *   entry.S        the entry from arch/x86_64/multiboot2.S: our stack, long
 *                  mode (boot/linux/longmode.S), bss, mb_main
 *   front-end.ld   the front end and its work area (the boot FDT, page
 *                  tables, bss, the stack)
 *   main.c         mb_main: the steps in order
 *   info.c         the multiboot2 information into struct lb_info
 * and the bzImage front end's, linked as they are: cpu.c, idmap.c,
 * serial.c, longmode.S, vectors.S, e820.c, rsdp.c, cmdline.c, fdt.c, with
 * boot/pc_fdt.c, boot/efi/bootargs.c and lib/. multiboot2.mk builds it.
 *
 * info.c is plain C that reaches physical memory only through lb_map() and
 * speaks only through lb_note(), so the host unit tests
 * (tests/host/test_multiboot2.c) run it against fake physical memory.
 */
#ifndef BATON_MB2BOOT_H
#define BATON_MB2BOOT_H

#include "boot/linux/linuxboot.h"

#define MB2_MAX_INFO (1 << 20)         /* the information's total_size is at most this */
#define MB2_IMAGE_MODULE "baton,image" /* the module that is the kernel file */
#define MB2_INITRD_MODULE "initrd"     /* the module that is the initrd */

/* What the information gives beyond struct lb_info. */
struct mb2_extra {
	char loader[64];       /* the loader's name (tag 2), cut; "" if none */
	struct lb_range image; /* module MB2_IMAGE_MODULE, if it is a Baton ELF; else size 0 */
	bool efi_map;          /* the memory map came from the EFI memory map (tag 17) */
};

/* Read the multiboot2 information at mbi, which eax (magic) says is one,
 * into *out and *x, before anything is written. Returns NULL, or why the
 * boot cannot go on (out is still filled as far as it could be). */
const char *mb2_info_read(u32 magic, u64 mbi, struct lb_info *out, struct mb2_extra *x);

#endif

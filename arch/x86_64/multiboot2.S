/*
 * multiboot2.S — what makes baton.elf bootable by GRUB's `multiboot2`
 * (docs/multiboot2.md): the multiboot2 header (include/multiboot2.h),
 * early in .text so that it lies in the file's first 32 KiB; the 32-bit
 * entry its entry tag names; and the multiboot2 front end
 * (boot/multiboot2/, built first and included here as bytes), which the
 * linker script puts past the kernel's last byte, with NOLOAD room after
 * it for the front end's work area.
 *
 * GRUB loads the ELF's segments at their physical addresses (from 16 MiB,
 * linker/x86_64.ld) and jumps to the entry in 32-bit protected mode, paging
 * off, with no stack. The entry tells the front end where everything is and
 * jumps to it; the front end turns GRUB's information into the boot FDT and
 * enters _start like every other loader. Nothing here runs on any other
 * way in: the EFI loader, the bzImage and kexec enter at _start (e_entry)
 * and carry the front end as bytes past the kernel, which the kernel never
 * counts as its own.
 *
 * MB2_FRONT_END (the front end's file bytes) and MB2_WORK_SIZE (its work
 * area) come from boot/multiboot2/multiboot2.mk; the *_phys symbols are the
 * linker script's (the image's physical addresses, before paging).
 */
#include "multiboot2.h"

	.section .text.multiboot2, "ax"
	.balign	MB2_ALIGN
	.globl	mb2_header, mb2_header_end
mb2_header:
	.long	MB2_HEADER_MAGIC
	.long	MB2_ARCH_I386
	.long	mb2_header_end - mb2_header
	.long	-(MB2_HEADER_MAGIC + MB2_ARCH_I386 + (mb2_header_end - mb2_header))

	/* The information the front end reads (boot/multiboot2/info.c).
	 * Optional: information that is missing is for the front end to say. */
	.balign	MB2_ALIGN
1:	.short	MB2_HEADER_TAG_INFO_REQUEST, MB2_HEADER_TAG_OPTIONAL
	.long	2f - 1b
	.long	MB2_TAG_CMDLINE, MB2_TAG_LOADER_NAME, MB2_TAG_MODULE, MB2_TAG_MMAP
	.long	MB2_TAG_FRAMEBUFFER, MB2_TAG_EFI64, MB2_TAG_ACPI_OLD, MB2_TAG_ACPI_NEW
	.long	MB2_TAG_EFI_MMAP
2:
	/* Enter at mb2_entry, not at the ELF's e_entry (_start, 64-bit). */
	.balign	MB2_ALIGN
	.short	MB2_HEADER_TAG_ENTRY, 0
	.long	12
	.long	mb2_entry_phys

	/* A framebuffer is welcome, any mode (0 x 0 x 0), and not needed:
	 * GRUB then passes the one it has (tag 8) instead of saying no console
	 * is left to the kernel. Baton's console is COM1 all the same. */
	.balign	MB2_ALIGN
	.short	MB2_HEADER_TAG_FRAMEBUFFER, MB2_HEADER_TAG_OPTIONAL
	.long	20
	.long	0, 0, 0

	.balign	MB2_ALIGN
	.short	MB2_HEADER_TAG_END, 0
	.long	8
mb2_header_end:

	/* GRUB's state: eax = multiboot2's magic, ebx = the information.
	 * Everything is at its physical address: tell the front end. */
	.code32
	.globl	mb2_entry
mb2_entry:
	mov	$mb2_front_end_phys, %ebp
	mov	$mb2_kernel_phys, %ecx
	mov	$mb2_start_phys, %edx
	mov	$mb2_kernel_end_phys, %esi
	jmp	*%ebp

	/* The front end, and its work area (boot/multiboot2/front-end.ld). */
	.section .multiboot2, "awx"
	.balign	4096
	.incbin	MB2_FRONT_END

	.section .multiboot2.work, "aw", @nobits
	.balign	4096
	.skip	MB2_WORK_SIZE

	.section .note.GNU-stack, "", @progbits

/*
 * entry.S — the bzImage front end's two entries, at the start of the
 * protected-mode part (boot.rst, "32-bit Boot Protocol" and "64-bit Boot
 * Protocol").
 *
 *   offset 0      32-bit entry: protected mode, paging off, flat segments,
 *                 esi = boot_params. Used by GRUB's `linux` (Debian 12's
 *                 2.06 on BIOS and on UEFI alike), OVMF's and SeaBIOS's
 *                 QEMU -kernel (through header.S's 16-bit entry).
 *   offset 0x200  64-bit entry: long mode, paging on with an identity map
 *                 of at least our init_size window, boot_params and the
 *                 command line; rsi = boot_params. Used by Linux's
 *                 kexec_file_load and by loaders that say XLF_KERNEL_64.
 *
 * Both run from wherever the loader put us (position-independent: the
 * 32-bit code finds its address with call/pop, using boot_params.scratch as
 * its first stack as the protocol intends; the 64-bit code with lea %rip).
 * The 32-bit entry takes the stack at the top of the work area and goes
 * through lb_long_mode (longmode.S: the identity map of 0..4 GiB in the
 * work area, idmap.c builds the same tables again and extends them) into
 * the 64-bit entry's second half. Both then clear bss, take the stack at
 * the top of the work area and call
 *   lb_main(boot_params, load address, 32 or 64)
 * which never returns. The work area is the last part of the init_size
 * window (bzimage.ld), far from the file's end, where QEMU appends its
 * setup_data. The fault vectors are vectors.S.
 */
#include "bootparam.h"

#define BP_SCRATCH 0x1e4

	.section .head.text, "ax"
	.code32
	.globl startup_32
startup_32:
	cld
	cli
	/* Where are we? boot_params.scratch is the protocol's 4-byte stack. */
	lea	(BP_SCRATCH + 4)(%esi), %esp
	call	1f
1:	pop	%ebp
	sub	$(1b - startup_32), %ebp

	/* The stack at the top of the work area, then long mode (the page
	 * tables at the work area's start), continuing at from_32. */
	mov	(off_stack_top - startup_32)(%ebp), %esp
	add	%ebp, %esp
	lea	(from_32 - startup_32)(%ebp), %ebp
	jmp	lb_long_mode

	/* The stack's top in the work area (bzimage.ld), from startup_32: the
	 * linker resolves this PC-relative difference. */
	.balign	4
off_stack_top:
	.long	lb_stack_top - startup_32

	/* The 64-bit entry, where the protocol puts it. */
	.org	BP_STARTUP64_OFFSET
	.code64
	.globl startup_64
startup_64:
	cli
	cld
	mov	$64, %edx
	jmp	common

from_32:
	mov	%esi, %esi                      /* boot_params, zero-extended */
	mov	$32, %edx

common:
	lea	lb_stack_top(%rip), %rsp
	mov	%rsi, %r12
	mov	%edx, %r13d
	/* bss: in the work area, never in the file, so nobody cleared it. */
	lea	__bss_start(%rip), %rdi
	lea	__bss_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb
	mov	%r12, %rdi                      /* boot_params */
	lea	startup_32(%rip), %rsi          /* where we were loaded */
	mov	%r13d, %edx                     /* which entry */
	xor	%ebp, %ebp
	call	lb_main
7:	cli
	hlt
	jmp	7b

	.section .note.GNU-stack, "", @progbits

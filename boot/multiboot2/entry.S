/*
 * entry.S — the multiboot2 front end's entry, at offset 0 of its image,
 * which baton.elf carries past the kernel's last byte. Jumped to by
 * arch/x86_64/multiboot2.S in the state GRUB entered baton.elf in (32-bit
 * protected mode, paging off, flat segments, no stack), with
 *   eax  what GRUB left there: multiboot2's magic, 0x36d76289
 *   ebx  the multiboot2 information's physical address
 *   ebp  our own physical address
 *   ecx  the kernel's (_kernel_start), edx its entry (_start), esi its end
 *        (_kernel_end): physical, where GRUB put them
 * It takes the stack at the top of the work area (front-end.ld), keeps the
 * six words there, goes through lb_long_mode (boot/linux/longmode.h: the
 * identity map of 0..4 GiB in the work area's page tables) into 64-bit
 * code, clears bss and calls
 *   mb_main(magic, information, our address, kernel, entry, kernel end)
 * which never returns.
 */
	.section .head.text, "ax"
	.code32
	.globl startup_mb2
startup_mb2:
	cld
	cli
	mov	(off_stack_top - startup_mb2)(%ebp), %esp
	add	%ebp, %esp
	push	%esi                            /* 20(%rsp): kernel end */
	push	%edx                            /* 16: entry */
	push	%ecx                            /* 12: kernel */
	push	%ebp                            /* 8: us */
	push	%ebx                            /* 4: information */
	push	%eax                            /* 0: magic */
	lea	(from_32 - startup_mb2)(%ebp), %ebp
	jmp	lb_long_mode

	/* The stack's top in the work area (front-end.ld), from startup_mb2:
	 * the linker resolves this PC-relative difference. */
	.balign	4
off_stack_top:
	.long	lb_stack_top - startup_mb2

	.code64
from_32:
	/* bss: in the work area, below the stack and the six words. */
	lea	__bss_start(%rip), %rdi
	lea	__bss_end(%rip), %rcx
	sub	%rdi, %rcx
	xor	%eax, %eax
	rep stosb
	mov	0(%rsp), %edi                   /* the words, zero-extended */
	mov	4(%rsp), %esi
	mov	8(%rsp), %edx
	mov	12(%rsp), %ecx
	mov	16(%rsp), %r8d
	mov	20(%rsp), %r9d
	lea	lb_stack_top(%rip), %rsp
	xor	%ebp, %ebp
	call	mb_main
1:	cli
	hlt
	jmp	1b

	.section .note.GNU-stack, "", @progbits

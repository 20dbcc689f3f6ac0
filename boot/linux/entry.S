/*
 * entry.S — the bzImage front end's two entries, at the start of the
 * protected-mode part (boot.rst, "32-bit Boot Protocol" and "64-bit Boot
 * Protocol"), and its fault vectors.
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
 * The 32-bit entry builds the identity map of 0..4 GiB in the work area
 * (2 MiB pages; idmap.c builds the same tables again and extends them),
 * turns on long mode and continues at the 64-bit entry's second half. Both
 * then clear bss, take the stack at the top of the work area and call
 *   lb_main(boot_params, load address, 32 or 64)
 * which never returns. The work area is the last part of the init_size
 * window (bzimage.ld), far from the file's end, where QEMU appends its
 * setup_data.
 */
#include "bootparam.h"

#define BP_SCRATCH 0x1e4
#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define CR0_PE 1
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define PTE_PW 0x3           /* present, writable */
#define PTE_PS 0x80          /* a 2 MiB page */
#define CS64 0x10            /* __BOOT_CS */
#define DS 0x18              /* __BOOT_DS */
#define COM1 0x3f8

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

	/* Long mode at all? CPUID 0x80000001 EDX bit 29. */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	.Lno_lm
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	.Lno_lm

	/* The stack, and the identity map of 0..4 GiB: PML4[0] -> PDPT,
	 * PDPT[0..3] -> 4 PDs of 512 2 MiB pages. */
	mov	(off_stack_top - startup_32)(%ebp), %esp
	add	%ebp, %esp
	mov	(off_boot_pml4 - startup_32)(%ebp), %edi
	add	%ebp, %edi
	mov	%edi, %ebx                      /* kept for cr3 */
	xor	%eax, %eax
	mov	$(6 * 4096 / 4), %ecx
	rep stosl
	lea	(4096 + PTE_PW)(%ebx), %eax     /* PML4[0] = PDPT */
	mov	%eax, (%ebx)
	lea	4096(%ebx), %edi                /* PDPT[i] = PD i */
	lea	(2 * 4096 + PTE_PW)(%ebx), %eax
	mov	$4, %ecx
2:	mov	%eax, (%edi)
	add	$4096, %eax
	add	$8, %edi
	loop	2b
	lea	(2 * 4096)(%ebx), %edi          /* PD entries */
	mov	$(PTE_PW | PTE_PS), %eax
	xor	%edx, %edx                      /* bits 32..: 0 (below 4 GiB) */
	mov	$2048, %ecx
3:	mov	%eax, (%edi)
	mov	%edx, 4(%edi)
	add	$0x200000, %eax
	add	$8, %edi
	loop	3b

	/* Our GDT: its base is where we are. */
	lea	(gdt - startup_32)(%ebp), %eax
	mov	%eax, (gdt_desc - startup_32 + 2)(%ebp)
	lgdt	(gdt_desc - startup_32)(%ebp)

	/* PAE, the tables, EFER.LME, paging: long mode (compatibility). */
	mov	%cr4, %eax
	or	$CR4_PAE, %eax
	mov	%eax, %cr4
	mov	%ebx, %cr3
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$(CR0_PG | CR0_PE), %eax
	mov	%eax, %cr0

	/* Into 64-bit code. */
	lea	(from_32 - startup_32)(%ebp), %eax
	push	$CS64
	push	%eax
	lret

	/* No long mode: one line on COM1 and stop. Nothing here can power
	 * the machine off, and nothing else would run on such a CPU. */
.Lno_lm:
	lea	(no_lm_msg - startup_32)(%ebp), %esi
4:	lodsb
	test	%al, %al
	jz	6f
	mov	%al, %ah
	mov	$(COM1 + 5), %dx
5:	in	%dx, %al
	test	$0x20, %al
	jz	5b
	mov	$COM1, %dx
	mov	%ah, %al
	out	%al, %dx
	jmp	4b
6:	cli
	hlt
	jmp	6b

no_lm_msg:
	.asciz	"bzimage: this CPU has no long mode (x86-64): Baton cannot run on it\r\n"

	/* Offsets in the work area (bzimage.ld), from startup_32: the linker
	 * resolves these PC-relative differences, nothing is left to relocate. */
	.balign	4
off_stack_top:
	.long	lb_stack_top - startup_32
off_boot_pml4:
	.long	lb_boot_pml4 - startup_32

	.balign	8
gdt:
	.quad	0
	.quad	0
	.quad	0x00af9a000000ffff              /* 0x10: 64-bit code */
	.quad	0x00cf92000000ffff              /* 0x18: data */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	0                               /* base, written above */
	.long	0

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
	mov	$DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
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

/*
 * Fault vectors 0..31: each stub pushes a dummy error code where the CPU
 * pushes none, then its vector, and lands in lb_fault(frame), which says
 * what happened on COM1 and stops. idmap.c's lb_idt_init points the IDT at
 * stub i = lb_fault_stubs + 16 * i.
 */
	.text
	.balign	16
	.globl lb_fault_stubs
lb_fault_stubs:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.balign	16
	.if (\v == 8) || (\v == 10) || (\v == 11) || (\v == 12) || (\v == 13) || (\v == 14) || (\v == 17) || (\v == 21) || (\v == 29) || (\v == 30)
	.else
	pushq	$0
	.endif
	pushq	$\v
	jmp	fault_common
	.endr

fault_common:
	/* Frame: vector, error code, rip, cs, rflags, rsp, ss. */
	mov	%rsp, %rdi
	and	$~15, %rsp
	call	lb_fault
8:	cli
	hlt
	jmp	8b

	.section .note.GNU-stack, "", @progbits

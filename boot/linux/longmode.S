/*
 * longmode.S — lb_long_mode, the front ends' way from 32-bit protected mode
 * into long mode (the contract is in longmode.h), and the one GDT it loads.
 * Linked into both x86-64 front ends: the bzImage's (entry.S) and the
 * multiboot2 one (boot/multiboot2/entry.S), whose links both define
 * lb_boot_pml4. Position-independent: it finds its own address with
 * call/pop on the stack it is given, and lb_boot_pml4 through a PC-relative
 * word (ld -pie refuses absolute 32-bit relocations).
 */
#include "longmode.h"

#define MSR_EFER 0xc0000080
#define EFER_LME (1 << 8)
#define CR0_PE 1
#define CR0_PG (1 << 31)
#define CR4_PAE (1 << 5)
#define CR4_LA57 (1 << 12)
#define PTE_PW 0x3           /* present, writable */
#define PTE_PS 0x80          /* a 2 MiB page */
#define COM1 0x3f8

	.text
	.code32
	.globl lb_long_mode
lb_long_mode:
	/* Long mode at all? CPUID 0x80000001 EDX bit 29. */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	.Lno_lm
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	.Lno_lm

	/* Where are we? edx: label 1 (the stack is for this only). */
	call	1f
1:	pop	%edx

	/* The identity map of 0..4 GiB in the program's lb_boot_pml4:
	 * PML4[0] -> PDPT, PDPT[0..3] -> 4 PDs of 512 2 MiB pages. */
	lea	(pml4_at - 1b)(%edx), %edi
	add	(%edi), %edi                    /* the word holds lb_boot_pml4 - itself */
	mov	%edi, %ebx                      /* kept for cr3 */
	push	%edx
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
	pop	%edx

	/* Our GDT: its base is where we are. */
	lea	(gdt - 1b)(%edx), %eax
	mov	%eax, (gdt_desc - 1b + 2)(%edx)
	lgdt	(gdt_desc - 1b)(%edx)
	lea	(long64 - 1b)(%edx), %edi       /* rdmsr takes edx */

	/* PAE (and 4-level paging, whatever the loader left in CR4.LA57,
	 * which may change only while paging is off), the tables, EFER.LME,
	 * paging: long mode (compatibility). */
	mov	%cr4, %eax
	and	$~CR4_LA57, %eax
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

	/* Into 64-bit code: the data segments, then on at ebp. */
	push	$LB_CS64
	push	%edi
	lret

	.code64
long64:
	mov	$LB_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%ebp, %ebp                      /* zero-extended */
	jmp	*%rbp
	.code32

	/* No long mode: a line on COM1, and stop. Nothing here can power
	 * the machine off, and nothing else would run on such a CPU. */
.Lno_lm:
	call	4f
4:	pop	%esi
	add	$(no_lm_msg - 4b), %esi
5:	lodsb
	test	%al, %al
	jz	7f
	mov	%al, %ah
	mov	$(COM1 + 5), %dx
6:	in	%dx, %al
	test	$0x20, %al
	jz	6b
	mov	$COM1, %dx
	mov	%ah, %al
	out	%al, %dx
	jmp	5b
7:	cli
	hlt
	jmp	7b

no_lm_msg:
	.asciz	"baton: this CPU has no long mode (x86-64): Baton cannot run on it\r\n"

	.balign	4
pml4_at:
	.long	lb_boot_pml4 - .

	.balign	8
gdt:
	.quad	0
	.quad	0
	.quad	0x00af9a000000ffff              /* LB_CS64: 64-bit code */
	.quad	0x00cf92000000ffff              /* LB_DS: data */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.long	0                               /* base, written above */
	.long	0

	.section .note.GNU-stack, "", @progbits

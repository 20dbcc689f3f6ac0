/*
 * entry.S — where every x86-64 boot of Baton begins (docs/design.md section 3).
 *
 * Entered by the EFI loader, the bzImage and multiboot2 front ends
 * (boot/linux/, boot/multiboot2/) or kexec with:
 *   long mode, CPL0, interrupts off, paging on with an identity map that
 *   covers the image, the FDT and this code; rdi = FDT physical address.
 * The image runs at whatever 2 MiB-aligned physical address it was put; it
 * is linked at KERNEL_VBASE. This code:
 *   1. finds its physical base (RIP-relative lea of _kernel_start),
 *   2. clears bss and builds the boot page tables there:
 *        PML4[0]   -> identity map of 0..4 GiB (2 MiB pages)
 *        PML4[256] -> the same tables: the direct map at PAGE_OFFSET
 *        PML4[511] -> KERNEL_VBASE.. -> the image, 2 MiB pages
 *   3. switches to them and jumps to the link address,
 *   4. loads its own GDT, enables SSE (libfdt is compiled with it), points
 *      FS_BASE at the stack-protector canary block, and calls
 *      kernel_main(fdt, the TSC read at _start) on the boot stack.
 * Until step 4 nothing may call C: C code reads the canary at %fs:0x28.
 */
#include "regs.h"
#include "arch/layout.h"

	.section .text.entry, "ax"
	.code64
	.globl _start
_start:
	cli
	cld
	mov	%rdi, %r15			/* the FDT, kept until kernel_main */
	rdtsc					/* the entry's counter, kept too */
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, %r14

	/* 1. Physical base. The loader must honour the 2 MiB alignment the
	 *    image's 2 MiB pages rely on; if not, there is no one to tell. */
	lea	_kernel_start(%rip), %rbx
	test	$0x1fffff, %rbx
	jnz	.Lhang

	/* 2. Clear bss (page tables, stack, canary block live there), eight
	 *    bytes a store: the linker script aligns its start to 8 and its
	 *    end to a page. */
	lea	__bss_start(%rip), %rdi
	lea	_kernel_end(%rip), %rcx
	sub	%rdi, %rcx
	shr	$3, %rcx
	xor	%eax, %eax
	rep stosq

	/* Identity / direct map of the low 4 GiB: 4 page directories. */
	lea	boot_pd_low(%rip), %rdi
	mov	$PTE_P | PTE_W | PTE_PS, %eax
	mov	$2048, %ecx
1:	mov	%rax, (%rdi)
	add	$0x200000, %rax
	add	$8, %rdi
	loop	1b

	lea	boot_pdpt_low(%rip), %rdi
	lea	boot_pd_low + (PTE_P | PTE_W)(%rip), %rax
	mov	$4, %ecx
1:	mov	%rax, (%rdi)
	add	$4096, %rax
	add	$8, %rdi
	loop	1b

	/* The image at KERNEL_VBASE: PML4 511, PDPT 510, then one 2 MiB page
	 * per 2 MiB of image (at most 512, i.e. 1 GiB). */
	lea	boot_pd_high(%rip), %rdi
	lea	PTE_P | PTE_W | PTE_PS(%rbx), %rax
	lea	_kernel_end(%rip), %rcx
	sub	%rbx, %rcx
	add	$0x1fffff, %rcx
	shr	$21, %rcx
1:	mov	%rax, (%rdi)
	add	$0x200000, %rax
	add	$8, %rdi
	loop	1b

	lea	boot_pdpt_high(%rip), %rdi
	lea	boot_pd_high + (PTE_P | PTE_W)(%rip), %rax
	mov	%rax, 510 * 8(%rdi)

	lea	boot_pml4(%rip), %rdi
	lea	boot_pdpt_low + (PTE_P | PTE_W)(%rip), %rax
	mov	%rax, 0 * 8(%rdi)
	mov	%rax, 256 * 8(%rdi)
	lea	boot_pdpt_high + (PTE_P | PTE_W)(%rip), %rax
	mov	%rax, 511 * 8(%rdi)

	/* 3. Switch, and continue at the link address. */
	mov	%rdi, %cr3
	movabs	$.Lhigh, %rax
	jmp	*%rax

.Lhigh:
	movabs	$boot_stack_top, %rsp
	mov	%rbx, image_phys_base(%rip)

	/* 4. Our own GDT: the firmware's lives in memory we will reuse. */
	lgdt	gdt_desc(%rip)
	mov	$KERNEL_DS, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	lea	1f(%rip), %rax
	pushq	$KERNEL_CS
	push	%rax
	lretq
1:
	/* SSE on: CR0.EM = 0, CR0.MP = 1, CR4.OSFXSR | CR4.OSXMMEXCPT. */
	mov	%cr0, %rax
	and	$~0x4, %rax
	or	$0x2, %rax
	mov	%rax, %cr0
	mov	%cr4, %rax
	or	$0x600, %rax
	mov	%rax, %cr4

	/* Stack-protector canary at %fs:0x28: rdrand when the CPU has it,
	 * else the TSC; the low byte is zeroed so string overruns stop at it.
	 * kernel_main's random_init replaces it with one from the entropy
	 * pool (the handover's rng-seed too) before anything else runs. */
	mov	$1, %eax
	cpuid
	bt	$30, %ecx
	jnc	2f
	mov	$16, %ecx
1:	rdrand	%rax
	jc	3f
	loop	1b
2:	rdtsc
	shl	$32, %rdx
	or	%rdx, %rax
	movabs	$0x9e3779b97f4a7c15, %rdx
	imul	%rdx, %rax
3:	xor	%al, %al
	lea	canary_block(%rip), %rdx
	mov	%rax, 0x28(%rdx)
	mov	%rdx, %rax
	shr	$32, %rdx
	mov	$MSR_FS_BASE, %ecx
	wrmsr

	xor	%ebp, %ebp
	mov	%r15, %rdi
	mov	%r14, %rsi
	call	kernel_main
.Lhang:
	cli
	hlt
	jmp	.Lhang

	/* Writable: traps_init fills the TSS descriptor and ltr marks it busy. */
	.section .data
	.balign 16
	.globl gdt
gdt:
	.quad	0				/* null */
	.quad	0x00af9a000000ffff		/* 0x08: 64-bit code, DPL 0 */
	.quad	0x00cf92000000ffff		/* 0x10: data, DPL 0 */
	.quad	0, 0				/* 0x18: the TSS (traps.c) */
gdt_end:
gdt_desc:
	.word	gdt_end - gdt - 1
	.quad	gdt

	/* The boot page tables stay the kernel's (protect.c reworks them);
	 * the two stacks each sit above a guard page protect.c unmaps. */
	.section .bss
	.balign 4096
	.globl boot_pml4, boot_pdpt_low, boot_pd_high
boot_pml4:	.skip 4096
boot_pdpt_low:	.skip 4096
boot_pdpt_high:	.skip 4096
boot_pd_low:	.skip 4 * 4096
boot_pd_high:	.skip 4096
	.globl boot_stack_guard, exception_stack_guard, exception_stack_top
boot_stack_guard:	.skip 4096
boot_stack:	.skip 32768
boot_stack_top:
exception_stack_guard:	.skip 4096
exception_stack:	.skip 16384
exception_stack_top:
	.balign 64
	.globl canary_block
canary_block:	.skip 64

	.section .data
	.balign 8
	.globl image_phys_base
image_phys_base: .quad 0

	.section .note.GNU-stack, "", @progbits

/*
 * head.S — the arm64 Image header and where every arm64 boot begins
 * (docs/design.md section 3, Documentation/arch/arm64/booting.rst).
 *
 * Entered by QEMU -kernel, U-Boot booti, the EFI loader or kexec with the
 * MMU off, D-cache off, x0 = FDT physical address, at EL2 or EL1, anywhere
 * 2 MiB-aligned. This code:
 *   1. takes the pristine copy of the Image file that kexec will start the
 *      next generation from (before anything writes .data),
 *   2. drops from EL2 to EL1 if needed, leaving the EL2 stub behind,
 *   3. enables FP/SIMD (Debian's libfdt uses it), clears bss,
 *   4. builds the first page tables with early_map() -- C, run with the
 *      MMU off at the physical address (see mmu.c),
 *   5. turns the MMU on and jumps to the link address,
 *   6. moves to the boot stack through SP_EL0 (SP_EL1 is the exception
 *      stack), sets the vectors and the stack-protector guard, calls
 *      kernel_main(fdt, the counter read at entry).
 */
#include "sysregs.h"

/* Address of sym, PC-relative: right with the MMU off and on alike. */
	.macro	adr_l, reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
	.endm

	.section .head.text, "ax"
	.globl _head
_head:
	b	primary_entry			/* code0 */
	.long	0				/* code1 */
	.quad	0				/* text_offset */
	.quad	_image_size			/* image_size, bss included */
	.quad	0xa				/* flags: LE, 4K pages, anywhere */
	.quad	0, 0, 0				/* res2..res4 */
	.ascii	"ARM\x64"			/* magic */
	.long	0				/* res5: no PE header yet */

primary_entry:
	/* The entry's counter, kept in x27 for kernel_main (the entry phase
	 * of kexec_timing.h): the virtual count, or at EL2 the physical one,
	 * which the virtual count equals once CNTVOFF_EL2 is zeroed below. */
	mrs	x27, CurrentEL
	cmp	x27, #(2 << 2)
	b.eq	1f
	mrs	x27, cntvct_el0
	b	2f
1:	mrs	x27, cntpct_el0
2:	mov	x19, x0				/* FDT, kept until kernel_main */
	mov	x24, x1				/* x1..x3: 0 by the protocol; */
	mov	x25, x2				/* kept to be checked */
	mov	x26, x3
	mrs	x23, CurrentEL			/* where we were entered, for the log */
	adr	x20, _head			/* physical base */
	tst	x20, #0x1fffff
	b.ne	.Lhang

	/* Everything past the file (bss, the pristine room) is written below
	 * with the MMU off, and booting.rst only promises the file itself clean
	 * to PoC: drop any line an earlier owner left there first, or its
	 * eviction could land on our writes. */
	adr_l	x0, __bss_start
	adr_l	x1, _kernel_end
	bl	dcache_inval_range

	/* 1. The pristine Image: [_head, _image_file_end) as the loader put
	 * it, copied into the room the header's image_size reserves after
	 * bss. 16 bytes at a time (the linker script pads the file to 16). */
	adr_l	x0, _head
	adr_l	x1, _image_file_end
	adr_l	x2, __pristine_start
0:	ldp	x3, x4, [x0], #16
	stp	x3, x4, [x2], #16
	cmp	x0, x1
	b.lo	0b

	/* 2. EL2 -> EL1: EL1 is AArch64, gets the counters, FP untrapped.
	 * VBAR_EL2 gets the stub that lets kexec come back to EL2. */
	mrs	x0, CurrentEL
	cmp	x0, #CURRENT_EL2
	b.ne	1f
	adr_l	x0, el2_stub_vectors
	msr	vbar_el2, x0
	ldr	x0, =SCTLR_EL2_RES1		/* EL2 in a known state: MMU, */
	msr	sctlr_el2, x0			/* caches, checks off */
	isb
	mov	x0, #HCR_EL2_RW
	msr	hcr_el2, x0
	msr	hstr_el2, xzr			/* no traps of EL1 to EL2 ... */
	msr	vttbr_el2, xzr			/* ... no stage 2 ... */
	mrs	x0, pmcr_el0			/* ... debug and PMU untrapped, */
	ubfx	x0, x0, #11, #5			/* every counter EL1's (HPMN = N) */
	msr	mdcr_el2, x0
	mov	x0, #3				/* EL1PCTEN | EL1PCEN */
	msr	cnthctl_el2, x0
	msr	cntvoff_el2, xzr
	mov	x0, #0x33ff			/* CPTR_EL2: RES1 bits, TFP = 0 */
	msr	cptr_el2, x0
	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	mov	x0, #0x3c5			/* EL1h, DAIF masked */
	msr	spsr_el2, x0
	adr	x0, 1f
	msr	elr_el2, x0
	eret
1:
	/* Known state at EL1: MMU and caches off, no alignment checks. */
	ldr	x0, =SCTLR_EL1_RES1
	msr	sctlr_el1, x0
	isb
	mov	x0, #(3 << 20)			/* CPACR_EL1.FPEN: no FP traps */
	msr	cpacr_el1, x0
	isb

	/* 3. bss and a physical stack. */
	adr_l	x0, __bss_start
	adr_l	x1, __bss_end
2:	stp	xzr, xzr, [x0], #16
	cmp	x0, x1
	b.lo	2b
	adr_l	x0, boot_stack_top
	mov	sp, x0

	/* 4. Page tables; early_map(phys_base) returns TTBR0 in x0, TTBR1 in x1. */
	mov	x0, x20
	bl	early_map
	mov	x21, x0
	mov	x22, x1

	/* Everything written with the MMU off went around the caches: drop
	 * any stale lines over bss and the pristine copy before reading
	 * them through the caches. */
	dmb	sy				/* our writes before the invalidate */
	adr_l	x0, __bss_start
	adr_l	x1, _kernel_end
	bl	dcache_inval_range

	/* 5. MMU on. */
	bl	mmu_regs_value			/* x0 = MAIR, x1 = TCR */
	msr	mair_el1, x0
	msr	tcr_el1, x1
	msr	ttbr0_el1, x21
	msr	ttbr1_el1, x22
	isb
	tlbi	vmalle1
	dsb	nsh
	isb
	ldr	x0, =(SCTLR_EL1_RES1 | SCTLR_M | SCTLR_C | SCTLR_I)
	msr	sctlr_el1, x0
	isb
	ldr	x0, =.Lhigh
	br	x0

.Lhigh:
	/* 6. At the link address now. SP_EL1 becomes the exception stack,
	 * the kernel goes on with SP_EL0 on the boot stack. */
	ldr	x0, =exception_stack_top
	mov	sp, x0
	msr	spsel, #0
	ldr	x0, =boot_stack_top
	mov	sp, x0
	ldr	x0, =vectors
	msr	vbar_el1, x0
	isb
	ldr	x0, =image_phys_base
	str	x20, [x0]
	lsr	x23, x23, #2
	ldr	x0, =arm64_boot_el
	str	x23, [x0]
	ldr	x0, =arm64_boot_x1_x3
	stp	x24, x25, [x0]
	str	x26, [x0, #16]
	mrs	x1, cntpct_el0			/* a guard until random_init's */
	ldr	x2, =0x9e3779b97f4a7c15
	mul	x1, x1, x2
	and	x1, x1, #~0xff
	ldr	x0, =__stack_chk_guard
	str	x1, [x0]
	mov	x29, xzr
	mov	x30, xzr
	mov	x0, x19
	mov	x1, x27
	bl	kernel_main
.Lhang:
	wfe
	b	.Lhang

/* dcache_inval_range(x0 = start, x1 = end): invalidate the data cache by
 * address to PoC over [start, end), then dsb. Uses x2, x3 only. */
dcache_inval_range:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4			/* DminLine: log2(words) */
	mov	x2, #4
	lsl	x2, x2, x3
	sub	x3, x2, #1
	bic	x0, x0, x3
3:	dc	ivac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	3b
	dsb	sy
	ret

	.ltorg

	/* The two stacks, each above a guard page mmu.c never maps. The
	 * kernel runs on the boot stack through SP_EL0; an exception switches
	 * to SP_EL1, the exception stack, so that even a boot stack overflow
	 * (a fault on its guard page) is taken on a good stack and reported. */
	.section .bss
	.balign 4096
	.globl	boot_stack_guard, exception_stack_guard
boot_stack_guard:	.skip 4096
boot_stack:	.skip 32768
boot_stack_top:
exception_stack_guard:	.skip 4096
exception_stack:	.skip 16384
exception_stack_top:

	.section .note.GNU-stack, "", %progbits

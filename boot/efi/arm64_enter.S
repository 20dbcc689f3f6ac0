/*
 * arm64_enter.S — the arm64 EFI loader's last steps, after
 * ExitBootServices (arch_enter in arm64.c calls it), ending in the Linux
 * arm64 boot protocol (Documentation/arch/arm64/booting.rst):
 *
 *   1. interrupts masked (DAIF);
 *   2. the Image (its whole image_size), the FDT and this code cleaned and
 *      invalidated to the point of coherency by VA: the kernel reads them
 *      with its caches off, and no dirty line may later land on top;
 *   3. MMU and D-cache off in SCTLR_EL2 or SCTLR_EL1, whichever level the
 *      firmware ran the loader at (AAVMF: EL1, or EL2 with
 *      virtualization=on), then the I-cache invalidated;
 *   4. x0 = FDT, x1 = x2 = x3 = 0, branch to the Image.
 *
 * It assumes UEFI's identity map: with the MMU turned off, the next
 * instruction is fetched from the same address. Only registers are used
 * from step 2 on; nothing touches the stack.
 *
 *   void arm64_enter(u64 fdt, u64 entry, u64 image, u64 image_end,
 *                    u64 fdt_end);
 */
#include "arch/arm64/sysregs.h"

	.text
	.globl	arm64_enter
	.type	arm64_enter, %function
arm64_enter:
	msr	daifset, #0xf
	mov	x19, x0				/* FDT */
	mov	x20, x1				/* entry */
	mov	x21, x2				/* image start, end */
	mov	x22, x3
	mov	x23, x4				/* FDT end */

	mov	x0, x21
	mov	x1, x22
	bl	dcache_clean_inval_poc
	mov	x0, x19
	mov	x1, x23
	bl	dcache_clean_inval_poc
	adr	x0, .Lcaches_off
	adr	x1, .Lend
	bl	dcache_clean_inval_poc

.Lcaches_off:
	mrs	x0, CurrentEL
	cmp	x0, #CURRENT_EL2
	b.ne	1f
	mrs	x0, sctlr_el2
	bic	x0, x0, #SCTLR_M
	bic	x0, x0, #SCTLR_C
	msr	sctlr_el2, x0
	b	2f
1:	mrs	x0, sctlr_el1
	bic	x0, x0, #SCTLR_M
	bic	x0, x0, #SCTLR_C
	msr	sctlr_el1, x0
2:	isb
	ic	iallu
	dsb	nsh
	isb

	mov	x0, x19
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x20
.Lend:
	.size	arm64_enter, . - arm64_enter

/* Clean and invalidate [x0, x1) to the point of coherency, one D-cache
 * line at a time (CTR_EL0.DminLine: log2 of the smallest line, in words).
 * Clobbers x0, x2, x3. */
	.type	dcache_clean_inval_poc, %function
dcache_clean_inval_poc:
	mrs	x3, ctr_el0
	ubfx	x3, x3, #16, #4
	mov	x2, #4
	lsl	x2, x2, x3			/* line size in bytes */
	sub	x3, x2, #1
	bic	x0, x0, x3
3:	dc	civac, x0
	add	x0, x0, x2
	cmp	x0, x1
	b.lo	3b
	dsb	sy
	ret
	.size	dcache_clean_inval_poc, . - dcache_clean_inval_poc

	.section .note.GNU-stack, "", %progbits

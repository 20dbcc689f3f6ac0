/*
 * trampoline.S — the last instructions of a kernel that kexecs (called by
 * arch_kexec_jump in kexec.c).
 *
 *   arm64_kexec_trampoline(entry x0, fdt x1, via_el2 x2)
 *
 * is called at its physical address, through the identity map of the image
 * that TTBR0 keeps (mmu.c), with interrupts masked and the next kernel and
 * its FDT already cleaned to the point of coherency. It turns the MMU and
 * caches off (execution goes on at the same address, now physical),
 * drops stale instructions, and enters the next kernel per booting.rst:
 * x0 = FDT, x1..x3 = 0. When this kernel was entered at EL2, via_el2 is
 * set and the EL2 stub (el2_stub.S) does the entering, at EL2. Uses no
 * stack and no memory.
 */
#include "sysregs.h"

	.section .text
	.globl	arm64_kexec_trampoline
arm64_kexec_trampoline:
	ldr	x9, =SCTLR_EL1_RES1		/* MMU, caches, checks off */
	msr	sctlr_el1, x9
	isb
	ic	iallu				/* the new kernel's text is new */
	dsb	nsh
	isb
	cbnz	x2, 1f
	mov	x9, x0				/* EL1: enter it ourselves */
	mov	x0, x1
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x9
1:	mov	x2, x1				/* EL2: the stub enters it */
	mov	x1, x0
	mov	x0, #EL2_STUB_SOFT_RESTART
	hvc	#0
2:	wfe					/* the stub refused: nothing to go back to */
	b	2b

	.ltorg

	.section .note.GNU-stack, "", %progbits

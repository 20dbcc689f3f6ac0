/*
 * el2_stub.S — what a kernel entered at EL2 leaves at EL2 when it drops to
 * EL1: a vector table that answers one hvc call, "soft restart", so kexec
 * can enter the next kernel at EL2 again (the exception level survives
 * every generation, as with Linux's hyp stub). head.S points VBAR_EL2 here
 * (a physical address: EL2's MMU stays off) before its eret to EL1.
 *
 * The call (sysregs.h): hvc #0 with x0 = EL2_STUB_SOFT_RESTART, x1 = the
 * next kernel's entry, x2 = its FDT, both physical, with everything the
 * next kernel reads cleaned to the point of coherency. The stub enters it
 * at EL2 with x0 = FDT, x1..x3 = 0, interrupts masked (taking the exception
 * masked them) and SCTLR_EL2 at its reset-like value: MMU and caches off. Nothing else reaches EL2:
 * any other exception here parks the CPU.
 */
#include "sysregs.h"

	.macro	vslot target
	.balign	0x80
	b	\target
	.endm

	.section .text
	.balign	0x800
	.globl	el2_stub_vectors
el2_stub_vectors:
	.rept	8				/* from EL2 itself: not expected */
	vslot	el2_stub_park
	.endr
	vslot	el2_stub_sync			/* from EL1, AArch64: the hvc */
	.rept	7				/* IRQ, FIQ, SError, AArch32 */
	vslot	el2_stub_park
	.endr

el2_stub_sync:
	mrs	x9, esr_el2
	lsr	x9, x9, #ESR_EC_SHIFT
	cmp	x9, #ESR_EC_HVC64
	b.ne	el2_stub_park
	mov	x9, #EL2_STUB_SOFT_RESTART
	cmp	x0, x9
	b.ne	1f
	ldr	x9, =SCTLR_EL2_RES1		/* the protocol: MMU and caches off */
	msr	sctlr_el2, x9
	isb
	ic	iallu
	dsb	nsh
	isb
	mov	x9, x1
	mov	x0, x2
	mov	x1, xzr
	mov	x2, xzr
	mov	x3, xzr
	br	x9
1:	mov	x0, #-1				/* an unknown call */
	eret

el2_stub_park:
	wfe
	b	el2_stub_park

	.ltorg

	.section .note.GNU-stack, "", %progbits

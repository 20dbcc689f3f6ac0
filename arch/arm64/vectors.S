/*
 * vectors.S — the EL1 exception vector table. Every entry saves the full
 * register state as a struct trap_frame (arm64.h) and calls
 * arm64_trap(frame, kind); if that returns, the state is restored and eret
 * resumes (the brk self-test). kind is the entry's index, 0..15.
 *
 * The kernel runs with SP_EL0 (head.S), so its exceptions come in at
 * kinds 0-3 and run on SP_EL1, the exception stack; an exception taken
 * while handling one comes in at kinds 4-7, on the same stack.
 */
	.macro	ventry kind
	.balign	0x80
	sub	sp, sp, #(36 * 8)
	stp	x0, x1, [sp, #0]
	mov	x1, #\kind
	b	trap_common
	.endm

	.section .text
	.balign	0x800
	.globl	vectors
vectors:
	.irp	k, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15
	ventry	\k
	.endr

trap_common:
	stp	x2, x3, [sp, #16]
	stp	x4, x5, [sp, #32]
	stp	x6, x7, [sp, #48]
	stp	x8, x9, [sp, #64]
	stp	x10, x11, [sp, #80]
	stp	x12, x13, [sp, #96]
	stp	x14, x15, [sp, #112]
	stp	x16, x17, [sp, #128]
	stp	x18, x19, [sp, #144]
	stp	x20, x21, [sp, #160]
	stp	x22, x23, [sp, #176]
	stp	x24, x25, [sp, #192]
	stp	x26, x27, [sp, #208]
	stp	x28, x29, [sp, #224]
	add	x2, sp, #(36 * 8)		/* the interrupted sp: this */
	cmp	x1, #4				/* stack's, or for kinds 0-3 */
	b.hs	1f				/* (from EL1 with SP_EL0) the */
	mrs	x2, sp_el0			/* kernel's boot stack */
1:	stp	x30, x2, [sp, #240]		/* x30, the interrupted sp */
	mrs	x2, elr_el1
	mrs	x3, spsr_el1
	stp	x2, x3, [sp, #256]
	mrs	x2, esr_el1
	mrs	x3, far_el1
	stp	x2, x3, [sp, #272]
	mov	x0, sp
	bl	arm64_trap
	ldp	x2, x3, [sp, #256]
	msr	elr_el1, x2
	msr	spsr_el1, x3
	ldp	x2, x3, [sp, #16]
	ldp	x4, x5, [sp, #32]
	ldp	x6, x7, [sp, #48]
	ldp	x8, x9, [sp, #64]
	ldp	x10, x11, [sp, #80]
	ldp	x12, x13, [sp, #96]
	ldp	x14, x15, [sp, #112]
	ldp	x16, x17, [sp, #128]
	ldp	x18, x19, [sp, #144]
	ldp	x20, x21, [sp, #160]
	ldp	x22, x23, [sp, #176]
	ldp	x24, x25, [sp, #192]
	ldp	x26, x27, [sp, #208]
	ldp	x28, x29, [sp, #224]
	ldr	x30, [sp, #240]
	ldp	x0, x1, [sp, #0]
	add	sp, sp, #(36 * 8)
	eret

	.section .note.GNU-stack, "", %progbits

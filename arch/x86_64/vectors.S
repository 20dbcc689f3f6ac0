/*
 * vectors.S — the 32 exception entry stubs and their common path.
 *
 * Each stub makes the stack look the same (an error code, real or 0, then
 * the vector number), the common path saves the general registers in the
 * order of struct trap_frame (x86.h) and calls x86_trap(frame). If that
 * returns, the registers are restored and iretq resumes the interrupted
 * code (used by the breakpoint self-test).
 */
	.section .text
	.code64

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERROR(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.macro vector v
	.balign 16
vector_\v:
	.if !HAS_ERROR(\v)
	pushq	$0
	.endif
	pushq	$\v
	jmp	trap_common
	.endm

	.globl trap_vectors
trap_vectors:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	vector \v
	.endr

trap_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	mov	%rsp, %rbx		/* callee-saved: the frame */
	and	$~0xf, %rsp		/* the ABI wants a 16-byte aligned call */
	call	x86_trap
	mov	%rbx, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp		/* vector and error code */
	iretq

	.section .note.GNU-stack, "", @progbits

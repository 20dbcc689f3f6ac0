/*
 * vectors.S — the x86-64 front ends' fault vectors 0..31 (both link it: the
 * bzImage's and the multiboot2 one). Each stub pushes a dummy error code
 * where the CPU pushes none, then its vector, and lands in lb_fault(frame)
 * (cpu.c), which says what happened on COM1 and stops. cpu.c's idt_init
 * points the IDT at stub i = lb_fault_stubs + 16 * i.
 */
	.text
	.code64
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

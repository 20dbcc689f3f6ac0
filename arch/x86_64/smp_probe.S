/*
 * smp_probe.S — the code the self-test smp.aps_parked (smp.c) sends the
 * application processors to with a start-up IPI. smp.c copies the bytes
 * from smp_probe_code to smp_probe_code_end to the start of a page below
 * 640 KiB and zeroes nothing: the counters travel zeroed with the copy.
 *
 * An AP leaves wait-for-SIPI in real mode at CS = page >> 4, IP = 0, with
 * interrupts and caching off (SDM vol. 3, 9.1.1). It sets the bit of its
 * initial APIC id (CPUID leaf 1, EBX[31:24]) in smp_probe_seen, counts
 * itself in smp_probe_count, and halts; everything it touches is in this
 * page, addressed through CS. Read-only data in the kernel: never run
 * where it is linked.
 */
	.section .rodata.smp_probe, "a"
	.code16
	.globl smp_probe_code, smp_probe_count, smp_probe_seen, smp_probe_code_end
smp_probe_code:
	cli
	movl	$1, %eax
	cpuid
	shrl	$24, %ebx			/* the initial APIC id, 0..255 */
	movw	%bx, %si
	shrw	$3, %si				/* its byte in the bitmap */
	movb	%bl, %cl
	andb	$7, %cl
	movb	$1, %al
	shlb	%cl, %al			/* and its bit in that byte */
	lock orb %al, %cs:(smp_probe_seen - smp_probe_code)(%si)
	lock incl %cs:(smp_probe_count - smp_probe_code)
1:	hlt
	jmp	1b

	.balign 4
smp_probe_count:
	.long	0
smp_probe_seen:
	.fill	32, 1, 0			/* 256 APIC ids, one bit each */
smp_probe_code_end:
	.code64

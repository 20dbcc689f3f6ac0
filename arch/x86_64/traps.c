/*
 * traps.c — the IDT and what happens on an exception: a register dump and
 * a panic. Nothing is expected to fault in Baton, except the breakpoint the
 * trap self-test raises on purpose, which is counted and resumed.
 *
 * Double faults and NMIs run on a stack of their own (IST1 of the TSS), so
 * that a kernel stack overflow still ends in a register dump, not a triple
 * fault and a silent reset. Page faults, and a double fault in a stack's
 * guard page, are told in fault.h's terms (kind, address, region, why).
 */
#include "x86.h"
#include "fault.h"
#include "panic.h"
#include "printk.h"
#include "arch/cpu.h"

struct idt_entry {
	u16 offset_lo;
	u16 selector;
	u8 ist;
	u8 type_attr; /* 0x8e: present, DPL 0, 64-bit interrupt gate */
	u16 offset_mid;
	u32 offset_hi;
	u32 zero;
} __packed;
_Static_assert(sizeof(struct idt_entry) == 16, "the CPU's IDT gate is 16 bytes");

/* The 64-bit TSS: only the interrupt stack table is used. */
struct tss {
	u32 reserved0;
	u64 rsp[3];
	u64 reserved1;
	u64 ist[7];
	u64 reserved2;
	u16 reserved3;
	u16 iomap_base;
} __packed;
_Static_assert(sizeof(struct tss) == 104, "the CPU's 64-bit TSS is 104 bytes");

static struct idt_entry idt[32] __aligned(16);
static struct tss tss __aligned(16);
extern char exception_stack_top[]; /* entry.S, above its guard page */
extern const char trap_vectors[];  /* 32 stubs, 16 bytes apart */
static unsigned breakpoints_seen;

/* A table, several names a line: not formatted by clang-format. */
/* clang-format off */
static const char *const names[32] = {
	"divide error", "debug", "NMI", "breakpoint", "overflow", "bound range",
	"invalid opcode", "device not available", "double fault", "coprocessor overrun",
	"invalid TSS", "segment not present", "stack fault", "general protection",
	"page fault", "reserved", "x87 FP error", "alignment check", "machine check",
	"SIMD FP error", "virtualization", "control protection",
};
/* clang-format on */

void traps_init(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed idtr = { sizeof(idt) - 1, (u64)(uintptr_t)idt };

	u64 t = (u64)(uintptr_t)&tss;

	/* TSS descriptor: limit, base split over two GDT slots, type 0x89
	 * (present, available 64-bit TSS). */
	tss.ist[0] = (u64)(uintptr_t)exception_stack_top;
	tss.iomap_base = sizeof(tss);
	gdt[KERNEL_TSS / 8] = (sizeof(tss) - 1) | ((t & 0xffffff) << 16) | (0x89UL << 40) |
			      (((t >> 24) & 0xff) << 56);
	gdt[KERNEL_TSS / 8 + 1] = t >> 32;
	__asm__ volatile("ltr %w0" : : "r"(KERNEL_TSS));

	for (int v = 0; v < 32; v++) {
		u64 a = (u64)(uintptr_t)(trap_vectors + 16 * v);

		idt[v] = (struct idt_entry){
			.offset_lo = a & 0xffff,
			.selector = KERNEL_CS,
			.type_attr = 0x8e,
			.offset_mid = (a >> 16) & 0xffff,
			.offset_hi = a >> 32,
			.ist = (v == 2 || v == 8) ? 1 : 0, /* NMI, double fault */
		};
	}
	__asm__ volatile("lidt %0" : : "m"(idtr));
}

void arch_dump_registers(const struct trap_frame *f)
{
	pr_err(" rip %016llx  rsp %016llx  rflags %016llx", (unsigned long long)f->rip,
	       (unsigned long long)f->rsp, (unsigned long long)f->rflags);
	pr_err(" rax %016llx  rbx %016llx  rcx %016llx", (unsigned long long)f->rax,
	       (unsigned long long)f->rbx, (unsigned long long)f->rcx);
	pr_err(" rdx %016llx  rsi %016llx  rdi %016llx", (unsigned long long)f->rdx,
	       (unsigned long long)f->rsi, (unsigned long long)f->rdi);
	pr_err(" rbp %016llx  r8  %016llx  r9  %016llx", (unsigned long long)f->rbp,
	       (unsigned long long)f->r8, (unsigned long long)f->r9);
	pr_err(" r10 %016llx  r11 %016llx  r12 %016llx", (unsigned long long)f->r10,
	       (unsigned long long)f->r11, (unsigned long long)f->r12);
	pr_err(" r13 %016llx  r14 %016llx  r15 %016llx", (unsigned long long)f->r13,
	       (unsigned long long)f->r14, (unsigned long long)f->r15);
	pr_err(" cs %04llx ss %04llx  cr2 %016llx", (unsigned long long)f->cs,
	       (unsigned long long)f->ss, (unsigned long long)read_cr2());
}

/* A page fault, told in fault.h's terms from its error code: P (the page
 * was present: a protection fault), W (a write), RSVD (a reserved bit in
 * an entry), I (an instruction fetch, with NX on). */
static __noreturn void page_fault(const struct trap_frame *f)
{
	u64 e = f->error;
	enum fault_access access = (e & 0x10) ? FAULT_EXEC : (e & 0x2) ? FAULT_WRITE : FAULT_READ;
	enum fault_cause cause = (e & 0x8)   ? FAULT_OTHER
				 : (e & 0x1) ? FAULT_PERMISSION
					     : FAULT_NOT_MAPPED;

	fault_report(access, cause, read_cr2(), f->rip,
		     (e & 0x8) ? "a page table entry has a reserved bit set" : NULL, f);
}

void x86_trap(struct trap_frame *f);
void x86_trap(struct trap_frame *f)
{
	if (f->vector == 3) { /* int3 resumes after itself */
		breakpoints_seen++;
		return;
	}
	if (f->vector == 14)
		page_fault(f);
	/* A double fault with CR2 in a guard page: a stack overflowed, and
	 * the CPU could not push the page fault's frame on it. */
	if (f->vector == 8 && fault_in_stack_guard(read_cr2()))
		fault_report(FAULT_WRITE, FAULT_NOT_MAPPED, read_cr2(), f->rip,
			     "a double fault: the page fault's frame could not be pushed", f);
	pr_err("exception %llu (%s), error code 0x%llx", (unsigned long long)f->vector,
	       names[f->vector] ? names[f->vector] : "reserved", (unsigned long long)f->error);
	arch_dump_registers(f);
	panic("unexpected exception %llu at %016llx", (unsigned long long)f->vector,
	      (unsigned long long)f->rip);
}

void arch_breakpoint(void)
{
	__asm__ volatile("int3" ::: "memory");
}

unsigned arch_breakpoint_count(void)
{
	return breakpoints_seen;
}

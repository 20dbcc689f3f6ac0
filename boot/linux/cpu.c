/*
 * cpu.c — the CPU as the front end needs it before anything else runs
 * (lb_cpu_init, first thing in lb_main):
 *
 *   1. its own relocations: the front end is linked position-independent
 *      at 0 (bzimage.ld) and runs wherever the loader put it, so every
 *      R_X86_64_RELATIVE entry (pointers in data, libfdt's tables) gets the
 *      load address added; this runs before any such pointer is read;
 *   2. the stack-protector canary at %fs:0x28, where Debian's libfdt reads
 *      it (docs/design.md section 11);
 *   3. SSE, which libfdt is compiled with (a 32-bit entry arrives without);
 *   4. an IDT of our own, so a fault says what and where on COM1 instead
 *      of resetting the machine (lb_fault).
 * And the last step, the jump into the kernel (lb_enter).
 */
#include "linuxboot.h"
#include "compiler.h"
#include "arch/x86_64/regs.h"

#define R_X86_64_RELATIVE 8

struct rela {
	u64 offset;
	u64 info;
	s64 addend;
};

extern const struct rela __rela_start[], __rela_end[];
extern const char lb_fault_stubs[];

static u64 canary_block[8];

struct idt_gate {
	u16 off_lo, sel;
	u8 ist, type;
	u16 off_mid;
	u32 off_hi, zero;
} __packed;

static struct idt_gate idt[32] __aligned(16);

static void relocate(u64 base)
{
	for (const struct rela *r = __rela_start; r < __rela_end; r++)
		if ((u32)r->info == R_X86_64_RELATIVE)
			*(u64 *)(base + r->offset) = base + (u64)r->addend;
}

static void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)));
}

static void idt_init(void)
{
	struct {
		u16 limit;
		u64 base;
	} __packed desc = { sizeof(idt) - 1, (u64)(uintptr_t)idt };
	u16 cs;

	__asm__ volatile("mov %%cs, %0" : "=r"(cs));
	for (int i = 0; i < 32; i++) {
		u64 h = (u64)(uintptr_t)lb_fault_stubs + 16 * (u64)i;

		idt[i] =
			(struct idt_gate){ (u16)h, cs, 0, 0x8e, (u16)(h >> 16), (u32)(h >> 32), 0 };
	}
	__asm__ volatile("lidt %0" : : "m"(desc));
}

void lb_cpu_init(u64 base)
{
	u64 cr0, cr4, tsc_lo, tsc_hi;

	relocate(base);

	__asm__ volatile("rdtsc" : "=a"(tsc_lo), "=d"(tsc_hi));
	canary_block[5] = ((tsc_hi << 32 | tsc_lo) * 0x9e3779b97f4a7c15ULL) & ~0xffULL;
	wrmsr(MSR_FS_BASE, (u64)(uintptr_t)canary_block);

	__asm__ volatile("mov %%cr0, %0" : "=r"(cr0));
	cr0 = (cr0 & ~0x4ULL) | 0x2; /* EM off, MP on */
	__asm__ volatile("mov %0, %%cr0" : : "r"(cr0));
	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	cr4 |= 0x600; /* OSFXSR, OSXMMEXCPT */
	__asm__ volatile("mov %0, %%cr4" : : "r"(cr4));

	idt_init();
}

void lb_enter(u64 entry, u64 fdt)
{
	__asm__ volatile("cli\n\t"
			 "xor %%esi, %%esi\n\t"
			 "jmp *%1"
			 :
			 : "D"(fdt), "r"(entry)
			 : "memory");
	__builtin_unreachable();
}

static const char *vector_name(u64 v)
{
	switch (v) {
	case 0:
		return "divide error";
	case 6:
		return "invalid opcode";
	case 8:
		return "double fault";
	case 13:
		return "general protection";
	case 14:
		return "page fault";
	case 19:
		return "SIMD floating point";
	}
	return "exception";
}

/* frame: vector, error code, then what the CPU pushed (rip, cs, rflags,
 * rsp, ss); see entry.S. */
void lb_fault(const u64 *frame);
void lb_fault(const u64 *frame)
{
	u64 cr2;

	__asm__ volatile("mov %%cr2, %0" : "=r"(cr2));
	lb_note("CPU exception %llu (%s) at rip 0x%llx, error code 0x%llx, cr2 0x%llx, rsp 0x%llx: "
		"a bug in the front end; stopped",
		(unsigned long long)frame[0], vector_name(frame[0]), (unsigned long long)frame[2],
		(unsigned long long)frame[1], (unsigned long long)cr2,
		(unsigned long long)frame[5]);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/* Debian's libfdt calls this when a canary was overwritten. */
__noreturn void __stack_chk_fail(void);
void __stack_chk_fail(void)
{
	lb_stop("stack protector: a stack frame was overwritten (a bug in the front end)");
}

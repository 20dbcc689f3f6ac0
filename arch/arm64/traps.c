/*
 * traps.c — what happens on an arm64 exception: a register dump and a
 * panic. The only exception Baton expects is the brk the trap self-test
 * raises on purpose, which is counted and stepped over.
 */
#include "arm64.h"
#include "panic.h"
#include "printk.h"
#include "arch/cpu.h"

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define EC_BRK64 0x3c

static unsigned breakpoints_seen;

static const char *const kinds[4] = { "synchronous", "IRQ", "FIQ", "SError" };
static const char *const origins[4] = { "EL1 with SP_EL0", "EL1 with SP_EL1",
					 "EL0 (AArch64)", "EL0 (AArch32)" };

void arch_dump_registers(const struct trap_frame *f)
{
	for (int i = 0; i < 30; i += 3)
		pr_err(" x%-2d %016llx  x%-2d %016llx  x%-2d %016llx", i,
		       (unsigned long long)f->x[i], i + 1, (unsigned long long)f->x[i + 1],
		       i + 2, (unsigned long long)f->x[i + 2]);
	pr_err(" x30 %016llx  sp  %016llx", (unsigned long long)f->x[30],
	       (unsigned long long)f->sp);
	pr_err(" elr %016llx  spsr %08llx  esr %08llx  far %016llx",
	       (unsigned long long)f->elr, (unsigned long long)f->spsr,
	       (unsigned long long)f->esr, (unsigned long long)f->far);
}

void arm64_trap(struct trap_frame *f, u64 kind);
void arm64_trap(struct trap_frame *f, u64 kind)
{
	if ((kind & 3) == 0 && ESR_EC(f->esr) == EC_BRK64) {
		breakpoints_seen++;
		f->elr += 4;
		return;
	}
	pr_err("exception: %s from %s, ESR class 0x%llx", kinds[kind & 3], origins[kind >> 2],
	       (unsigned long long)ESR_EC(f->esr));
	arch_dump_registers(f);
	panic("unexpected exception at %016llx", (unsigned long long)f->elr);
}

void arch_breakpoint(void)
{
	__asm__ volatile("brk #0" ::: "memory");
}

unsigned arch_breakpoint_count(void)
{
	return breakpoints_seen;
}

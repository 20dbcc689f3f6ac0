/*
 * traps.c — what happens on an arm64 exception: a register dump and a
 * panic. The only exception Baton expects is the brk the trap self-test
 * raises on purpose, which is counted and stepped over. Instruction and
 * data aborts are told in fault.h's terms (kind, address, region, why).
 */
#include "arm64.h"
#include "fault.h"
#include "format.h"
#include "panic.h"
#include "printk.h"
#include "arch/cpu.h"

#define ESR_EC(esr) (((esr) >> 26) & 0x3f)
#define EC_BRK64 0x3c

static unsigned breakpoints_seen;

static const char *const kinds[4] = { "synchronous", "IRQ", "FIQ", "SError" };
static const char *const origins[4] = { "EL1 with SP_EL0", "EL1 with SP_EL1", "EL0 (AArch64)",
					"EL0 (AArch32)" };

void arch_dump_registers(const struct trap_frame *f)
{
	for (int i = 0; i < 30; i += 3)
		pr_err(" x%-2d %016llx  x%-2d %016llx  x%-2d %016llx", i,
		       (unsigned long long)f->x[i], i + 1, (unsigned long long)f->x[i + 1], i + 2,
		       (unsigned long long)f->x[i + 2]);
	pr_err(" x30 %016llx  sp  %016llx", (unsigned long long)f->x[30],
	       (unsigned long long)f->sp);
	pr_err(" elr %016llx  spsr %08llx  esr %08llx  far %016llx", (unsigned long long)f->elr,
	       (unsigned long long)f->spsr, (unsigned long long)f->esr, (unsigned long long)f->far);
}

#define EC_IABT_EL1 0x21    /* instruction abort taken without a change of EL */
#define EC_DABT_EL1 0x25    /* data abort, likewise */
#define ESR_WNR (1UL << 6)  /* a data abort's access was a write */
#define ESR_FNV (1UL << 10) /* FAR is not valid */

/* An instruction or data abort at EL1, told in fault.h's terms from its
 * fault status code (ESR bits 5:0): 0b0001LL a translation fault at level
 * LL (not mapped), 0b0011LL a permission fault. */
static __noreturn void abort_fault(const struct trap_frame *f)
{
	u64 fsc = f->esr & 0x3f;
	bool exec = ESR_EC(f->esr) == EC_IABT_EL1;
	enum fault_access access = exec                 ? FAULT_EXEC
				   : (f->esr & ESR_WNR) ? FAULT_WRITE
							: FAULT_READ;
	enum fault_cause cause = (fsc & 0x3c) == 0x04   ? FAULT_NOT_MAPPED
				 : (fsc & 0x3c) == 0x0c ? FAULT_PERMISSION
							: FAULT_OTHER;
	char detail[48];

	snprintf(detail, sizeof(detail), "fault status 0x%02llx%s", (unsigned long long)fsc,
		 (f->esr & ESR_FNV) ? ", address not known" : "");
	fault_report(access, cause, f->far, f->elr, cause == FAULT_OTHER ? detail : NULL, f);
}

void arm64_trap(struct trap_frame *f, u64 kind);
void arm64_trap(struct trap_frame *f, u64 kind)
{
	if ((kind & 3) == 0 && ESR_EC(f->esr) == EC_BRK64) {
		breakpoints_seen++;
		f->elr += 4;
		return;
	}
	if ((kind & 3) == 0 && kind < 8 &&
	    (ESR_EC(f->esr) == EC_IABT_EL1 || ESR_EC(f->esr) == EC_DABT_EL1))
		abort_fault(f);
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

/*
 * fault.c — names a faulting address and says why it faulted (fault.h).
 * Called by the arch exception handlers only, on the exception stack, so
 * that even a stack overflow is reported: nothing here needs much stack.
 */
#include "fault.h"
#include "kernel.h"
#include "panic.h"
#include "printk.h"
#include "arch/cpu.h"
#include "arch/mmu.h"

static bool in_page(unsigned long va, unsigned long page)
{
	return va >= page && va - page < PAGE_SIZE;
}

bool fault_in_stack_guard(unsigned long va)
{
	return in_page(va, arch_boot_stack_guard()) || in_page(va, arch_exception_stack_guard());
}

const char *fault_region(unsigned long va)
{
	if (va < PAGE_SIZE)
		return "page zero (a NULL pointer)";
	if (in_page(va, arch_boot_stack_guard()))
		return "the guard page below the boot stack (a stack overflow)";
	if (in_page(va, arch_exception_stack_guard()))
		return "the guard page below the exception stack (a stack overflow)";
	if (va >= (unsigned long)_kernel_start && va < (unsigned long)__rodata_start)
		return "kernel text";
	if (va >= (unsigned long)__rodata_start && va < (unsigned long)__data_start)
		return "kernel rodata";
	if (va >= (unsigned long)__data_start && va < (unsigned long)_kernel_end)
		return "kernel data";
	if (va >= KERNEL_VBASE)
		return "past the kernel image";
	if (va >= VMALLOC_START && va - VMALLOC_START < VMALLOC_SIZE)
		return "the vmalloc area";
	if (va >= PAGE_OFFSET && va < VMALLOC_START)
		return "the direct map";
	if (va < (1UL << 47))
		return "the low half (nothing is mapped there)";
	return "no region of the kernel's";
}

static const char *const access_names[] = {
	[FAULT_READ] = "read of",
	[FAULT_WRITE] = "write to",
	[FAULT_EXEC] = "instruction fetch from",
};

static const char *why(enum fault_access access, enum fault_cause cause, unsigned long va)
{
	if (fault_in_stack_guard(va))
		return "a kernel stack overflowed into its guard page";
	if (cause == FAULT_NOT_MAPPED)
		return va < PAGE_SIZE ? "a NULL pointer was followed" : "the address is not mapped";
	if (cause == FAULT_OTHER)
		return "the CPU refused the access";
	if (access == FAULT_WRITE)
		return "the page is read-only (W^X)";
	if (access == FAULT_EXEC)
		return "the page is not executable (W^X)";
	return "the page may not be read";
}

void fault_report(enum fault_access access, enum fault_cause cause, unsigned long va,
		  unsigned long pc, const char *detail, const struct trap_frame *f)
{
	pr_err("memory fault: %s 0x%016lx in %s at pc 0x%016lx: %s%s%s", access_names[access], va,
	       fault_region(va), pc, why(access, cause, va), detail ? "; " : "",
	       detail ? detail : "");
	arch_dump_registers(f);
	panic("memory fault at 0x%lx: the kernel cannot go on", va);
}

/*
 * fault.h — what the kernel says when a memory access faults: one line
 * naming the access (read, write, instruction fetch), the address, the
 * region it lies in (kernel text, rodata, data, a stack's guard page, page
 * zero, the direct map, vmalloc) and why it faulted, then a panic.
 *
 * The arch exception handlers (arch/<arch>/traps.c) decode their CPU's
 * fault registers into these terms; the regions are generic, read from the
 * linker script's symbols and the virtual layout (arch/mmu.h).
 *
 * The protection itself (docs/hardening.md, "Memory protection (W^X)"):
 *   text       read-only, executable
 *   rodata     read-only, never executable
 *   data, bss  read/write, never executable; each kernel stack has an
 *              unmapped guard page below it
 *   direct map, vmalloc: read/write, never executable
 *   the low half (page zero, the identity map): unmapped while the kernel
 *              runs; kexec maps the identity map back for its last jump
 */
#ifndef BATON_FAULT_H
#define BATON_FAULT_H

#include "compiler.h"
#include "types.h"

enum fault_access {
	FAULT_READ,
	FAULT_WRITE,
	FAULT_EXEC,
};

enum fault_cause {
	FAULT_NOT_MAPPED, /* no translation */
	FAULT_PERMISSION, /* mapped, but not for this access */
	FAULT_OTHER,      /* anything else the CPU reports (said in detail) */
};

/* Linker-script symbols: the image's sections, at their link address. */
extern char __rodata_start[], __data_start[];

/* The region va lies in, as a short phrase ("kernel text", "the guard page
 * of the boot stack", ...). */
const char *fault_region(unsigned long va);

/* Is va in one of the stacks' guard pages? */
bool fault_in_stack_guard(unsigned long va);

struct trap_frame;

/* Report the fault in one line (and the detail, if any), dump the
 * registers of frame f and stop. pc is where it happened. */
__noreturn void fault_report(enum fault_access access, enum fault_cause cause, unsigned long va,
			     unsigned long pc, const char *detail, const struct trap_frame *f);

#endif

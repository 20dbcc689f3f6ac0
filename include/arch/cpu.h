/*
 * arch/cpu.h — CPU control hooks. Each architecture implements these in
 * arch/<arch>/; generic code calls nothing else of the CPU.
 */
#ifndef BATON_ARCH_CPU_H
#define BATON_ARCH_CPU_H

#include "compiler.h"
#include "types.h"

/* The architecture's name as the kernel prints it: "x86_64", "arm64". */
extern const char arch_name[];

/* Stop this CPU for good: interrupts off, wait forever. */
__noreturn void arch_halt(void);

/* Turn the machine off, or halt if the platform gives no way to. */
__noreturn void arch_poweroff(void);

/* Reset the machine (the shell's `reboot`): x86-64 through the ACPI FADT's
 * reset register, else port 0xCF9, else the keyboard controller; arm64
 * through PSCI SYSTEM_RESET, else the board's reset device. Returns only
 * when none of them reset it (the log says which were tried): the caller
 * says so and goes on. */
void arch_reset(void);

/* Set up what the arch needs before anything reads the FDT: exception
 * vectors, the FPU for libfdt. Runs once, first thing; the counter's
 * frequency comes after the FDT (arch_counter_init, arch/counter.h). */
void arch_early_init(void);

/* Arch setup that needs the boot FDT (PSCI conduit, ACPI tables, ...).
 * fdt is the validated boot FDT, mapped. */
void arch_init(const void *fdt);

/* Reserve in memblock what the firmware still uses that the FDT's own
 * reservations may not cover (arm64: the spin-table release addresses of
 * the secondary CPUs). bootmem_init calls it after the FDT's reservations. */
void arch_reserve_firmware(const void *fdt);

/* Print the registers of the interrupted context, for panics. */
struct trap_frame;
void arch_dump_registers(const struct trap_frame *tf);

/* Write one character to the platform's conventional early console, if it
 * has one (COM1 on a PC), for panics before the FDT names a console. */
void arch_emergency_putc(char c);

/* Raise a breakpoint exception on purpose. The exception handler counts it
 * and resumes after the instruction (the trap self-test). */
void arch_breakpoint(void);
unsigned arch_breakpoint_count(void);

/* A value from the CPU's random-number instruction (x86 RDRAND, arm64
 * RNDR); false when the CPU has none or it gave up. */
bool arch_random_u64(u64 *v);

/* Make v the stack-protector canary every function checks from now on
 * (x86-64: %fs:0x28; arm64: __stack_chk_guard). Only a caller none of
 * whose live frames checks the canary may change it (random_init). */
void arch_set_stack_canary(unsigned long v);

/* Physical address at which the kernel image was loaded. */
phys_addr_t arch_image_phys_base(void);

#endif

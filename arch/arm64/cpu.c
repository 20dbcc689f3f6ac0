/*
 * cpu.c — the arm64 side of include/arch/: halting, early setup, the
 * generic timer as the clock, poweroff (psci.c). arm64 has no port I/O and
 * no conventional early console; before the FDT names a UART there is
 * nowhere to write.
 */
#include "arm64.h"
#include "console.h"
#include "printk.h"
#include "arch/counter.h"
#include "arch/cpu.h"
#include "arch/pio.h"
#include "kstring.h"
#include "arch/string.h"

const char arch_name[] = "arm64";

/* The exception level the boot protocol entered us at (head.S). */
u64 arm64_boot_el;
const bool arch_has_pio = false;

void arch_halt(void)
{
	for (;;)
		__asm__ volatile("msr daifset, #0xf; wfi");
}

void arch_early_init(void)
{
	/* Vectors, FP/SIMD and the MMU are already set up by head.S, the
	 * image mapped W^X; the identity map head.S needed goes now. */
	arm64_identity_map_off();
}

void arch_init(const void *fdt)
{
	pr_info("arm64: entered at EL%llu, running at EL1", (unsigned long long)arm64_boot_el);
	arm64_boot_protocol_check();
	psci_init(fdt);
	arm64_cpus_init(fdt);
}

void arch_poweroff(void)
{
	/* PSCI, or the board's way when there is none */
	if (psci_system_off())
		pr_err("poweroff: the machine is still on after the power-off call; halting the CPU");
	else /* said at boot (psci:) */
		pr_notice("poweroff: there is no way to turn the machine off; halting the CPU");
	arch_halt();
}

void arch_reset(void)
{
	pr_notice("reboot: resetting the machine");
	console_flush();
	psci_system_reset();
}

/* arm64 has no conventional UART: before the FDT is validated nothing says
 * where one is, and writing to a guessed address could hit RAM. Everything
 * after the FDT check has a console (earlycon=, stdout-path, or the first
 * UART in the tree), and console_register replays the log to it. */
void arch_emergency_putc(char c)
{
	(void)c;
}

u8 arch_pio_read8(u16 port)
{
	(void)port;
	return 0xff;
}

void arch_pio_write8(u16 port, u8 value)
{
	(void)port;
	(void)value;
}

u64 arch_counter_read(void)
{
	__asm__ volatile("isb" ::: "memory");
	return read_sysreg(cntvct_el0);
}

u64 arch_counter_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

void arch_counter_init(const void *fdt)
{
	(void)fdt; /* CNTFRQ_EL0 holds the frequency; the firmware set it */
}

/* arch/string.h: without vector registers the best is pair stores, eight
 * of them a turn (16 words), for about 0.7 instructions a word against the
 * plain loop's 1.5 (memset64: four words a turn). */
void arch_fill64(u64 *p, u64 v, size_t n)
{
	for (; n >= 16; n -= 16, p += 16) {
		p[0] = v;
		p[1] = v;
		p[2] = v;
		p[3] = v;
		p[4] = v;
		p[5] = v;
		p[6] = v;
		p[7] = v;
		p[8] = v;
		p[9] = v;
		p[10] = v;
		p[11] = v;
		p[12] = v;
		p[13] = v;
		p[14] = v;
		p[15] = v;
	}
	memset64(p, v, n);
}

/* arch/cpu.h. RNDR (FEAT_RNG, ID_AA64ISAR0_EL1.RNDR >= 1) sets Z when it
 * has nothing to give. */
bool arch_random_u64(u64 *v)
{
	u64 ok;

	if (!(read_sysreg(id_aa64isar0_el1) >> 60))
		return false;
	__asm__ volatile("mrs %0, s3_3_c2_c4_0; cset %1, ne" : "=r"(*v), "=r"(ok) : : "cc");
	return ok;
}

extern uintptr_t __stack_chk_guard; /* kernel/stackprotector.c */

void arch_set_stack_canary(unsigned long v)
{
	*(volatile uintptr_t *)&__stack_chk_guard = v;
}

/*
 * arch/counter.h — the free-running CPU counter behind printk timestamps and
 * phase timings: the TSC on x86-64 (calibrated at boot, or the last
 * generation's figure), CNTVCT_EL0 on arm64.
 */
#ifndef BATON_ARCH_COUNTER_H
#define BATON_ARCH_COUNTER_H

#include "types.h"

/* Current counter value; monotonic, never wraps in practice. */
u64 arch_counter_read(void);

/* Counter ticks per second; 0 until arch_counter_init has it. */
u64 arch_counter_freq(void);

/* Learn the counter's frequency, once the boot FDT is checked and before
 * anything times with it. x86-64 takes the figure the last generation
 * carried in /chosen/baton,counter-frequency when it is sane, else
 * measures the TSC against the PIT, and says which; arm64 has CNTFRQ_EL0. */
void arch_counter_init(const void *fdt);

#endif

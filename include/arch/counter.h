/*
 * arch/counter.h — the free-running CPU counter behind printk timestamps and
 * phase timings: the TSC on x86-64 (calibrated at boot), CNTVCT_EL0 on arm64.
 */
#ifndef BATON_ARCH_COUNTER_H
#define BATON_ARCH_COUNTER_H

#include "types.h"

/* Current counter value; monotonic, never wraps in practice. */
u64 arch_counter_read(void);

/* Counter ticks per second; 0 until arch_early_init has measured it. */
u64 arch_counter_freq(void);

#endif

/*
 * host.h — what the host unit tests see of the fake arch (fake_arch.c).
 *
 * The kernel files under test run unchanged on the host; the arch hooks they
 * call are implemented in fake_arch.c. Everything the machine would print
 * (arch_emergency_putc, or the host console once registered) is captured in
 * one buffer, exactly as written: console_write turns "\n" into "\r\n".
 */
#ifndef BATON_TESTS_HOST_HOST_H
#define BATON_TESTS_HOST_HOST_H

#include <stdarg.h>
#include "types.h"

/* Everything printed since the test started (or host_log_clear), NUL-ended. */
const char *host_log(void);
void host_log_clear(void);
/* Text of the tests' own into the same buffer (fake_phys.c's lb_note). */
void host_log_vprintf(const char *fmt, va_list ap);

/* Register a console (through the real console_register, which replays the
 * log so far) that writes into the same buffer. Until then printk only fills
 * its ring. Each test starts without one; calling this again does nothing. */
void host_console_register(void);

/* Pin the CPU counter: from now on arch_counter_read returns ticks and
 * arch_counter_freq returns freq (by default: CLOCK_MONOTONIC in ns, 1e9). */
void host_counter_fix(u64 ticks, u64 freq);

/* Fake RAM for mm/: size bytes that the kernel code sees at physical
 * address phys_base (phys_to_virt works on them). One arena per test. */
void *host_ram(phys_addr_t phys_base, u64 size);

/* arch_map_early records its calls: is pa inside the 2 MiB blocks of one
 * of them (as arm64 maps)? And where arch_image_phys_base says the 256 KiB
 * "kernel image" (_kernel_start.._kernel_end) is; 0x40200000 by default. */
bool host_mapped(phys_addr_t pa);
void host_image_at(phys_addr_t base);

#endif

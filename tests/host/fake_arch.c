/*
 * fake_arch.c — the host's arch: the hooks of include/arch/ that the kernel
 * files linked into the host tests call, and nothing more (DESIGN.md section
 * 2: the only fake the project allows).
 *
 * The counter is CLOCK_MONOTONIC in nanoseconds unless a test pins it; the
 * emergency output and the host console write into a capture buffer that
 * tests read through host.h. Halting is a test failure: it aborts.
 */
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "host.h"
#include "console.h"
#include "arch/counter.h"
#include "arch/cpu.h"

static char log_text[1 << 20];
static size_t log_len;

static void log_putc(char c)
{
	if (log_len + 1 < sizeof(log_text))
		log_text[log_len++] = c;
	log_text[log_len] = '\0';
}

const char *host_log(void)
{
	return log_text;
}

void host_log_clear(void)
{
	log_len = 0;
	log_text[0] = '\0';
}

static void host_console_putc(struct console *con, char c)
{
	(void)con;
	log_putc(c);
}

static struct console host_console = { "host", host_console_putc, NULL };

void host_console_register(void)
{
	if (console_current() != &host_console)
		console_register(&host_console);
}

static bool counter_fixed;
static u64 fixed_ticks, fixed_freq;

void host_counter_fix(u64 ticks, u64 freq)
{
	counter_fixed = true;
	fixed_ticks = ticks;
	fixed_freq = freq;
}

u64 arch_counter_read(void)
{
	struct timespec ts;

	if (counter_fixed)
		return fixed_ticks;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000 + (u64)ts.tv_nsec;
}

u64 arch_counter_freq(void)
{
	return counter_fixed ? fixed_freq : 1000000000;
}

void arch_emergency_putc(char c)
{
	log_putc(c);
}

void arch_halt(void)
{
	fprintf(stderr, "fake_arch: arch_halt called (a panic?); the log so far:\n%s\n", log_text);
	abort();
}

void arch_poweroff(void)
{
	fprintf(stderr, "fake_arch: arch_poweroff called (a panic?); the log so far:\n%s\n", log_text);
	abort();
}

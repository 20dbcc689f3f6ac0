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
#include <sys/mman.h>
#include <stdlib.h>
#include <time.h>

#include "host.h"
#include "console.h"
#include "arch/counter.h"
#include "arch/cpu.h"
#include "arch/mmu.h"

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

/* Fake RAM: phys_to_virt(p) = p + host_page_offset lands in the arena. */
uintptr_t host_page_offset;

void *host_ram(phys_addr_t phys_base, u64 size)
{
	void *mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);

	if (mem == MAP_FAILED) {
		perror("fake_arch: mmap of the RAM arena");
		abort();
	}
	host_page_offset = (uintptr_t)mem - phys_base;
	return mem;
}

/*
 * panic.c — the end of the line. Prints the reason and stops the machine.
 *
 * If no console exists yet, the console is brought up from the boot FDT
 * (console_rescue: once the FDT is validated, uart.c can) and shown the
 * whole log; failing that (a broken boot FDT, say), the log goes to the
 * arch's emergency output so the reason is still seen. A test run then
 * powers off so QEMU exits; on a board the CPU just halts.
 */
#include "panic.h"
#include "printk.h"
#include "cmdline.h"
#include "console.h"
#include "arch/cpu.h"

static bool in_panic;

void panic(const char *fmt, ...)
{
	va_list ap;

	if (in_panic) /* a panic while panicking: say nothing more */
		arch_halt();
	in_panic = true;

	va_start(ap, fmt);
	vprintk(LOG_ERR, fmt, ap);
	va_end(ap);
	if (!console_current())
		console_rescue(); /* replays the log to the console it finds */
	if (!console_current())
		printk_replay_all();
	printk(LOG_ERR, "panic: the kernel stopped; power off");
	console_flush();
	arch_poweroff();
}

/* Fault injection for the boot tests: panic.now on the command line stops
 * the kernel while the command line is parsed, before the console is up,
 * so a case can check that such a panic still reaches a UART and powers
 * the machine off. */
static int panic_now(const char *val)
{
	(void)val;
	panic("boot: panic requested on the command line (panic.now), before the console");
}
CMDLINE_PARAM("panic.now", panic_now, "test: panic while the command line is parsed");

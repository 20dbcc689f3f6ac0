/*
 * panic.c — the end of the line. Prints the reason and stops the machine.
 *
 * If no console exists yet (a broken boot FDT, say), the log so far goes to
 * the arch's emergency output so the reason is still seen. A test run then
 * powers off so QEMU exits; on a board the CPU just halts.
 */
#include "panic.h"
#include "printk.h"
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
		printk_replay();
	printk(LOG_ERR, "panic: the kernel stopped; power off");
	arch_poweroff();
}

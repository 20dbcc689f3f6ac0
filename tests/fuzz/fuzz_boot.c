/*
 * fuzz_boot.c — the boot fuzzers' stand-ins (fuzz_boot.h): three UART
 * drivers with the real ones' names and compatible strings that start on
 * any port, and the panic wrappers.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_boot.h"
#include "uart.h"

jmp_buf *fuzz_panic_jmp;

static bool start_any(const struct uart_port *p)
{
	(void)p;
	return true;
}

static const char *const ns16550_compat[] = { "ns16550a", "ns16550", "ns8250", "snps,dw-apb-uart",
					      NULL };
static const char *const pl011_compat[] = { "arm,pl011", NULL };
static const char *const aux_compat[] = { "brcm,bcm2835-aux-uart", NULL };
const struct uart_driver ns16550_driver = { "uart8250", ns16550_compat, 0, 1, start_any };
const struct uart_driver pl011_driver = { "pl011", pl011_compat, 0, 4, start_any };
const struct uart_driver bcm2835_aux_driver = { "bcm2835aux", aux_compat, 0, 4, start_any };

void __real_panic(const char *fmt, ...) __attribute__((noreturn));
void __wrap_panic(const char *fmt, ...) __attribute__((noreturn));
void __real_arch_poweroff(void) __attribute__((noreturn));
void __wrap_arch_poweroff(void) __attribute__((noreturn));
void __real_arch_halt(void) __attribute__((noreturn));
void __wrap_arch_halt(void) __attribute__((noreturn));

/* Calls to panic from other files land here; panic.c's own (panic.now)
 * go to the real one, which ends in the wrapped arch_poweroff. */
void __wrap_panic(const char *fmt, ...)
{
	char msg[512];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	if (!fuzz_panic_jmp || strncmp(msg, "BUG", 3) == 0 || strncmp(msg, "memblock:", 9) == 0) {
		fprintf(stderr, "fuzz: panic: %s\n", msg);
		abort();
	}
	longjmp(*fuzz_panic_jmp, 1);
}

void __wrap_arch_poweroff(void)
{
	if (fuzz_panic_jmp)
		longjmp(*fuzz_panic_jmp, 1);
	__real_arch_poweroff();
}

void __wrap_arch_halt(void)
{
	if (fuzz_panic_jmp)
		longjmp(*fuzz_panic_jmp, 1);
	__real_arch_halt();
}

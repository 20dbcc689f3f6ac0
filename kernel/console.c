/*
 * console.c — the one console printk writes to, once a driver registers it
 * (drivers/uart/uart.c picks the device). Before that, and in panics without
 * one, text goes to the arch's emergency output. A console that reads
 * gives the shell its input (console_getc).
 */
#include "console.h"
#include "printk.h"
#include "arch/cpu.h"

static struct console *current;

struct console *console_current(void)
{
	return current;
}

void console_write(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (current) {
			if (s[i] == '\n')
				current->putc(current, '\r');
			current->putc(current, s[i]);
		} else {
			if (s[i] == '\n')
				arch_emergency_putc('\r');
			arch_emergency_putc(s[i]);
		}
	}
}

int console_getc(void)
{
	return current && current->getc ? current->getc(current) : -1;
}

bool console_can_read(void)
{
	return current && current->getc;
}

void console_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n > 0)
		console_write(buf, MIN((size_t)n, sizeof(buf) - 1));
}

void console_flush(void)
{
	if (current && current->flush)
		current->flush(current);
}

static bool (*rescue)(void);

void console_set_rescue(bool (*bring_up)(void))
{
	rescue = bring_up;
}

void console_rescue(void)
{
	bool (*fn)(void) = rescue;

	rescue = NULL; /* once: a rescue that panics must not loop */
	if (!current && fn)
		fn();
}

void console_register(struct console *con)
{
	current = con;
	printk_replay();
}

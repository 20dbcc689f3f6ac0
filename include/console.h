/*
 * console.h — where printk's lines go.
 *
 * One console at a time: the UART that /chosen/stdout-path names. A driver
 * fills in a struct console and registers it; printk replays the log
 * gathered before that moment. A console that can also read (getc) serves
 * the serial shell (kernel/shell.c).
 */
#ifndef BATON_CONSOLE_H
#define BATON_CONSOLE_H

#include "compiler.h"
#include "types.h"

struct console {
	const char *name;
	void (*putc)(struct console *con, char c);
	/* Wait until everything written has left the wire (optional). */
	void (*flush)(struct console *con);
	/* The next received byte, or -1 at once when none waits (optional).
	 * Polled, never waits: the shell calls it in a loop, and printk's
	 * output is never held up behind it. */
	int (*getc)(struct console *con);
	void *priv;
};

void console_register(struct console *con);
struct console *console_current(void);

/* Write a string to the console, "\n" as "\r\n". Without a console the text
 * goes to the arch's emergency output, if any. */
void console_write(const char *s, size_t n);

/* Wait until the console has sent everything: before the machine powers
 * off or kexec hands it to a kernel that will reprogram it, either of
 * which would cut the last line short on a real UART. */
void console_flush(void);

/* A byte the console received, or -1 when none waits (or the console
 * cannot read): never waits. console_can_read: is there a console with a
 * receive side? */
int console_getc(void);
bool console_can_read(void);

/* Formatted text straight to the console, as console_write: not logged,
 * no timestamp. What the shell and what it shows (fdt_print, kho_show)
 * print. A line longer than 256 bytes is cut there. */
__printf(1, 2) void console_printf(const char *fmt, ...);

/* A way to bring a console up from nothing, for a panic that comes before
 * the console does (drivers/uart/uart.c offers one once the boot FDT is
 * validated). console_rescue runs it once, if there is no console yet. */
void console_set_rescue(bool (*bring_up)(void));
void console_rescue(void);

#endif

/*
 * console.h — where printk's lines go.
 *
 * One console at a time: the UART that /chosen/stdout-path names. A driver
 * fills in a struct console and registers it; printk replays the log
 * gathered before that moment.
 */
#ifndef BATON_CONSOLE_H
#define BATON_CONSOLE_H

#include "types.h"

struct console {
	const char *name;
	void (*putc)(struct console *con, char c);
	/* Wait until everything written has left the wire (optional). */
	void (*flush)(struct console *con);
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

/* A way to bring a console up from nothing, for a panic that comes before
 * the console does (drivers/uart/uart.c offers one once the boot FDT is
 * validated). console_rescue runs it once, if there is no console yet. */
void console_set_rescue(bool (*bring_up)(void));
void console_rescue(void);

#endif

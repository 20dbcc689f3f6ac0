/*
 * uart.h — serial port drivers (drivers/uart/), found through the FDT.
 */
#ifndef BATON_UART_H
#define BATON_UART_H

#include "types.h"

struct uart_driver {
	const char *const *compatible; /* NULL-terminated */
	/* Bring up the device at FDT node; register it as the console. */
	bool (*probe)(const void *fdt, int node);
};

extern const struct uart_driver ns16550_driver;
extern const struct uart_driver pl011_driver;

/* Find the device /chosen/stdout-path names and bring it up as the console.
 * Returns false (and logs why) when there is none it can drive. */
bool uart_console_init(const void *fdt);

#endif

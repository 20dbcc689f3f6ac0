/*
 * uart.h — serial port drivers (drivers/uart/) and how the console finds
 * one: earlycon= on the command line, /chosen/stdout-path, or the first
 * UART in the device tree that a driver here can drive.
 *
 * A driver knows only its registers. drivers/uart/uart.c reads where they
 * are (from the FDT or from earlycon=) into a struct uart_port and hands
 * it to the driver's start().
 */
#ifndef BATON_UART_H
#define BATON_UART_H

#include "types.h"
#include "kerrno.h"

/* Where a UART's registers are and how they are reached. Register i is at
 * phys + (i << shift), accessed width bytes at a time. */
struct uart_port {
	phys_addr_t phys;
	u64 size;
	bool port_io;   /* x86 I/O port space: phys is a port number */
	unsigned shift; /* 0..4 */
	unsigned width; /* 1 or 4 */
	u32 clock;      /* input clock in Hz; 0: the divisor is left alone */
	u32 baud;       /* 0: the line is used as the firmware set it */
};

struct uart_driver {
	const char *name;              /* as earlycon= spells it */
	const char *const *compatible; /* NULL-terminated */
	unsigned shift, width;         /* defaults when the FDT gives none */
	/* Bring up the device and register it as the console. false (and a
	 * line saying why) when the port is not usable by this driver. */
	bool (*start)(const struct uart_port *port);
};

extern const struct uart_driver ns16550_driver;
extern const struct uart_driver pl011_driver;
extern const struct uart_driver bcm2835_aux_driver;

/* The console, after the command line is parsed: an earlycon= device
 * first, then the device /chosen/stdout-path names, else the first enabled
 * UART in the tree with a driver (said so on the console). Returns 0, or
 * -ENODEV (and logs why) when there is no console at all. */
int uart_console_init(const void *fdt);

/* Offer to bring the console up from fdt (validated) if a panic comes
 * before uart_console_init (console_set_rescue). */
void uart_console_standby(const void *fdt);

/* Fill port from the FDT node for drv: reg through every parent's ranges,
 * reg-shift, reg-io-width, clock-frequency, current-speed, and the baud
 * rate of stdout-path options ("115200n8"; NULL: none). 0 or -EINVAL. */
int uart_port_from_fdt(const void *fdt, int node, const struct uart_driver *drv,
		       const char *options, struct uart_port *port);

/* Parse the value of earlycon= (Linux's syntax, without "earlycon="):
 * "<name>,[io|mmio|mmio32,]<addr>[,<options>]". NULL value: bare earlycon.
 * Returns the driver and fills port, or NULL (and logs why). */
const struct uart_driver *uart_parse_earlycon(const char *val, struct uart_port *port);

#endif

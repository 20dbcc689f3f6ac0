/*
 * ns16550.c — the PC-style UART: COM1 on x86-64 (I/O ports under /isa), or
 * memory-mapped on boards, with the FDT's reg-shift and reg-io-width.
 *
 * If the port has an input clock (clock-frequency), the line is programmed
 * to its speed (current-speed, or stdout-path's "115200n8"; else 115200),
 * 8N1; otherwise it is used as the firmware left it.
 *
 * Receive is polled (the shell's input): LSR.DR says a byte waits in RBR
 * (or the receive FIFO); a byte that came with a parity or framing error
 * or a break is read and dropped.
 */
#include "console.h"
#include "uart.h"
#include "io.h"
#include "printk.h"
#include "arch/mmu.h"
#include "arch/pio.h"

enum { RBR = 0, THR = 0, DLL = 0, IER = 1, DLM = 1, FCR = 2, LCR = 3, MCR = 4, LSR = 5 };
#define LSR_DR 0x01     /* a received byte waits in RBR */
#define LSR_RX_BAD 0x1c /* parity error, framing error, break: that byte is bad */
#define LSR_THRE 0x20   /* the holding register takes another byte */
#define LSR_TEMT 0x40   /* holding and shift registers empty: all sent */
#define LCR_DLAB 0x80
#define LCR_8N1 0x03

static struct ns16550 {
	struct console con;
	bool port_io;
	u64 base;       /* port number or virtual address */
	unsigned shift; /* register stride is 1 << shift */
	unsigned width; /* 1 or 4 bytes */
} uart;

static u8 reg_read(struct ns16550 *u, unsigned reg)
{
	u64 off = (u64)reg << u->shift;

	if (u->port_io)
		return arch_pio_read8((u16)(u->base + off));
	if (u->width == 4)
		return (u8)mmio_read32((void *)(uintptr_t)(u->base + off));
	return mmio_read8((void *)(uintptr_t)(u->base + off));
}

static void reg_write(struct ns16550 *u, unsigned reg, u8 v)
{
	u64 off = (u64)reg << u->shift;

	if (u->port_io)
		arch_pio_write8((u16)(u->base + off), v);
	else if (u->width == 4)
		mmio_write32((void *)(uintptr_t)(u->base + off), v);
	else
		mmio_write8((void *)(uintptr_t)(u->base + off), v);
}

static void ns16550_putc(struct console *con, char c)
{
	struct ns16550 *u = con->priv;

	for (int i = 0; i < 1000000 && !(reg_read(u, LSR) & LSR_THRE); i++)
		;
	reg_write(u, THR, (u8)c);
}

static void ns16550_flush(struct console *con)
{
	struct ns16550 *u = con->priv;

	for (int i = 0; i < 1000000 && !(reg_read(u, LSR) & LSR_TEMT); i++)
		;
}

static int ns16550_getc(struct console *con)
{
	struct ns16550 *u = con->priv;
	u8 lsr = reg_read(u, LSR), c;

	if (!(lsr & LSR_DR))
		return -1;
	c = reg_read(u, RBR);
	return lsr & LSR_RX_BAD ? -1 : c;
}

static bool ns16550_start(const struct uart_port *port)
{
	struct ns16550 u = { .port_io = port->port_io, .shift = port->shift, .width = port->width };

	if (u.port_io) {
		if (!arch_has_pio || port->phys > 0xffff) {
			pr_err("ns16550: I/O port 0x%llx is out of reach (%s); not used",
			       (unsigned long long)port->phys,
			       arch_has_pio ? "ports end at 0xffff" : "this CPU has no port I/O");
			return false;
		}
		u.base = port->phys;
	} else {
		void *va = arch_ioremap(port->phys, port->size ? port->size : 8u << u.shift);

		if (!va) {
			pr_err("ns16550: registers at 0x%llx cannot be mapped; not used",
			       (unsigned long long)port->phys);
			return false;
		}
		u.base = (u64)(uintptr_t)va;
	}
	uart = u;
	if (port->clock) {
		u32 baud = port->baud ? port->baud : 115200;
		u32 div = (port->clock + 8 * baud) / (16 * baud);

		reg_write(&uart, IER, 0);
		reg_write(&uart, LCR, LCR_DLAB);
		reg_write(&uart, DLL, div & 0xff);
		reg_write(&uart, DLM, (div >> 8) & 0xff);
		reg_write(&uart, LCR, LCR_8N1);
		reg_write(&uart, FCR, 0x07); /* FIFOs on and cleared */
		reg_write(&uart, MCR, 0x03); /* DTR, RTS */
	}
	uart.con = (struct console){ .name = "ns16550",
				     .putc = ns16550_putc,
				     .flush = ns16550_flush,
				     .getc = ns16550_getc,
				     .priv = &uart };
	console_register(&uart.con);
	return true;
}

/* DesignWare's APB UART is a 16550 as far as polled output goes. */
static const char *const ns16550_compat[] = { "ns16550a", "ns16550", "ns8250", "snps,dw-apb-uart",
					      NULL };

const struct uart_driver ns16550_driver = {
	.name = "uart8250",
	.compatible = ns16550_compat,
	.shift = 0,
	.width = 1,
	.start = ns16550_start,
};

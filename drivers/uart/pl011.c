/*
 * pl011.c — the ARM PrimeCell UART: QEMU virt's console, a Raspberry Pi's
 * UART0 and many boards'. Used as the firmware left it (baud rate
 * included); only enabled if off, transmitter and receiver.
 *
 * Receive is polled (the shell's input): FR.RXFE clear means a byte waits;
 * reading DR takes it, with its error flags in bits 8..11 (framing,
 * parity, break, overrun). A byte with a framing or parity error or a
 * break is dropped; an overrun only says bytes before it were lost.
 */
#include "console.h"
#include "uart.h"
#include "io.h"
#include "printk.h"
#include "arch/mmu.h"

#define UARTDR 0x00
#define UARTFR 0x18
#define UARTCR 0x30
#define DR_BAD (7 << 8) /* FE, PE, BE: this byte is bad */
#define FR_BUSY (1 << 3)
#define FR_RXFE (1 << 4)
#define FR_TXFF (1 << 5)
#define CR_UARTEN (1 << 0)
#define CR_TXE (1 << 8)
#define CR_RXE (1 << 9)

static struct {
	struct console con;
	u8 *base;
} uart;

static void pl011_putc(struct console *con, char c)
{
	(void)con;
	for (int i = 0; i < 1000000 && (mmio_read32(uart.base + UARTFR) & FR_TXFF); i++)
		;
	mmio_write32(uart.base + UARTDR, (u8)c);
}

static void pl011_flush(struct console *con)
{
	(void)con;
	for (int i = 0; i < 1000000 && (mmio_read32(uart.base + UARTFR) & FR_BUSY); i++)
		;
}

static int pl011_getc(struct console *con)
{
	u32 dr;

	(void)con;
	if (mmio_read32(uart.base + UARTFR) & FR_RXFE)
		return -1;
	dr = mmio_read32(uart.base + UARTDR);
	return (dr & DR_BAD) ? -1 : (int)(dr & 0xff);
}

static bool pl011_start(const struct uart_port *port)
{
	u8 *base;
	u32 cr;

	if (port->port_io) {
		pr_err("pl011: 0x%llx is an I/O port, but a PL011 is memory-mapped; not used",
		       (unsigned long long)port->phys);
		return false;
	}
	base = arch_ioremap(port->phys, port->size ? port->size : 0x1000);
	if (!base) {
		pr_err("pl011: registers at 0x%llx cannot be mapped; not used",
		       (unsigned long long)port->phys);
		return false;
	}
	uart.base = base;
	cr = mmio_read32(uart.base + UARTCR);
	if ((cr & (CR_UARTEN | CR_TXE | CR_RXE)) != (CR_UARTEN | CR_TXE | CR_RXE))
		mmio_write32(uart.base + UARTCR, cr | CR_UARTEN | CR_TXE | CR_RXE);
	uart.con = (struct console){
		.name = "pl011", .putc = pl011_putc, .flush = pl011_flush, .getc = pl011_getc
	};
	console_register(&uart.con);
	return true;
}

static const char *const pl011_compat[] = { "arm,pl011", NULL };

const struct uart_driver pl011_driver = {
	.name = "pl011",
	.compatible = pl011_compat,
	.shift = 0,
	.width = 4,
	.start = pl011_start,
};

/*
 * bcm2835_aux.c — the BCM2835 auxiliary "mini UART" (UART1): the console of
 * a Raspberry Pi 3 (stdout-path serial1), whose PL011 drives Bluetooth.
 *
 * The FDT's reg is the mini UART's own register block inside the AUX
 * peripheral (bus address 0x7e215040 behind /soc's ranges, 0x3f215040 on
 * a Pi 3). The AUX enable bit and the baud rate (derived from the VPU
 * core clock, which firmware may change) are left as the firmware set them
 * (config.txt enable_uart=1); only the transmitter and the receiver are
 * turned on if off.
 *
 * Receive is polled (the shell's input): AUX_MU_LSR bit 0 says the receive
 * FIFO (8 bytes) holds a byte, and reading AUX_MU_IO takes it. Polling
 * never waits, so printk's output on this, a Pi 3's console, is never
 * held up by the shell.
 */
#include "console.h"
#include "uart.h"
#include "io.h"
#include "printk.h"
#include "arch/mmu.h"

/* Registers, 32 bits wide, offsets from the mini UART block. */
#define MU_IO 0x00
#define MU_LSR 0x14
#define MU_CNTL 0x20
#define LSR_DATA_READY (1 << 0) /* the receive FIFO holds a byte */
#define LSR_TX_EMPTY (1 << 5)   /* the transmit FIFO takes another byte */
#define LSR_TX_IDLE (1 << 6)    /* the FIFO is empty and the transmitter idle */
#define CNTL_RX_ENABLE (1 << 0)
#define CNTL_TX_ENABLE (1 << 1)

static struct {
	struct console con;
	u8 *base;
} uart;

static void bcm2835_aux_putc(struct console *con, char c)
{
	(void)con;
	for (int i = 0; i < 1000000 && !(mmio_read32(uart.base + MU_LSR) & LSR_TX_EMPTY); i++)
		;
	mmio_write32(uart.base + MU_IO, (u8)c);
}

static void bcm2835_aux_flush(struct console *con)
{
	(void)con;
	for (int i = 0; i < 1000000 && !(mmio_read32(uart.base + MU_LSR) & LSR_TX_IDLE); i++)
		;
}

static int bcm2835_aux_getc(struct console *con)
{
	(void)con;
	if (!(mmio_read32(uart.base + MU_LSR) & LSR_DATA_READY))
		return -1;
	return (int)(mmio_read32(uart.base + MU_IO) & 0xff);
}

static bool bcm2835_aux_start(const struct uart_port *port)
{
	u8 *base;
	u32 cntl;

	if (port->port_io) {
		pr_err("bcm2835-aux: 0x%llx is an I/O port, but the mini UART is memory-mapped; "
		       "not used",
		       (unsigned long long)port->phys);
		return false;
	}
	base = arch_ioremap(port->phys, port->size ? port->size : 0x40);
	if (!base) {
		pr_err("bcm2835-aux: registers at 0x%llx cannot be mapped; not used",
		       (unsigned long long)port->phys);
		return false;
	}
	uart.base = base;
	cntl = mmio_read32(uart.base + MU_CNTL);
	if ((cntl & (CNTL_TX_ENABLE | CNTL_RX_ENABLE)) != (CNTL_TX_ENABLE | CNTL_RX_ENABLE))
		mmio_write32(uart.base + MU_CNTL, cntl | CNTL_TX_ENABLE | CNTL_RX_ENABLE);
	uart.con = (struct console){ .name = "bcm2835-aux",
				     .putc = bcm2835_aux_putc,
				     .flush = bcm2835_aux_flush,
				     .getc = bcm2835_aux_getc };
	console_register(&uart.con);
	return true;
}

static const char *const bcm2835_aux_compat[] = { "brcm,bcm2835-aux-uart", NULL };

const struct uart_driver bcm2835_aux_driver = {
	.name = "bcm2835aux",
	.compatible = bcm2835_aux_compat,
	.shift = 0,
	.width = 4,
	.start = bcm2835_aux_start,
};

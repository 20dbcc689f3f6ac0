/*
 * serial.c — the front end's console: lines on COM1 (I/O port 0x3f8,
 * 115200 8N1, as the boot FDT's /isa/serial@3f8 says), written straight to
 * the 16550 with no buffer. Every line starts with the front end's name
 * (lb_name: "bzimage: ", "multiboot2: ", which its main sets first), so a
 * log shows what the front end said before the kernel's own lines. Also the stop for what cannot
 * even be handed to the kernel (lb_stop).
 */
#include "linuxboot.h"
#include "format.h"
#include "arch/x86_64/portio.h"
#include <stdarg.h>

#define COM1 0x3f8

const char *lb_name = "baton";

static bool com1_ready;

static void com1_init(void)
{
	outb(COM1 + 1, 0x00); /* no interrupts */
	outb(COM1 + 3, 0x80); /* DLAB: the divisor follows */
	outb(COM1 + 0, 0x01); /* 115200 = 1843200 / 16 / 1 */
	outb(COM1 + 1, 0x00);
	outb(COM1 + 3, 0x03); /* 8N1 */
	outb(COM1 + 2, 0xc7); /* FIFOs on and cleared */
	outb(COM1 + 4, 0x03); /* DTR, RTS */
	com1_ready = true;
}

static void com1_putc(char c);

/* Firmware and loaders leave the cursor anywhere (OVMF and GRUB end with
 * escape sequences): the first line starts on a line of its own. */
static void com1_start(void)
{
	com1_init();
	com1_putc('\r');
	com1_putc('\n');
}

static void com1_putc(char c)
{
	/* A UART that never drains (none there) must not hang us. */
	for (int i = 0; i < 100000 && !(inb(COM1 + 5) & 0x20); i++)
		__asm__ volatile("pause");
	outb(COM1, (u8)c);
}

static void com1_puts(const char *s)
{
	if (!com1_ready)
		com1_start();
	for (; *s; s++) {
		if (*s == '\n')
			com1_putc('\r');
		com1_putc(*s);
	}
}

void lb_note(const char *fmt, ...)
{
	char line[320];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	com1_puts(lb_name);
	com1_puts(": ");
	com1_puts(line);
	com1_puts("\n");
}

void lb_stop(const char *why)
{
	lb_note("cannot boot: %s; stopped here (the kernel cannot be entered to power off)", why);
	for (;;)
		__asm__ volatile("cli; hlt");
}

/*
 * portio.h — x86 port I/O instructions as inline functions, for the arch
 * code (x86.h includes it) and the bzImage front end's COM1 alike: plain
 * instructions, nothing of the kernel's.
 */
#ifndef BATON_X86_PORTIO_H
#define BATON_X86_PORTIO_H

#include "types.h"

static inline u8 inb(u16 port)
{
	u8 v;

	__asm__ volatile("inb %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outb(u16 port, u8 v)
{
	__asm__ volatile("outb %0, %1" : : "a"(v), "Nd"(port));
}

static inline u16 inw(u16 port)
{
	u16 v;

	__asm__ volatile("inw %1, %0" : "=a"(v) : "Nd"(port));
	return v;
}

static inline void outw(u16 port, u16 v)
{
	__asm__ volatile("outw %0, %1" : : "a"(v), "Nd"(port));
}

#endif

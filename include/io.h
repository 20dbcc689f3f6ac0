/*
 * io.h — memory-mapped register access. Volatile accesses of the exact width,
 * never split or merged by the compiler; the mapping (device memory on
 * arm64, uncached by MTRR on x86) keeps their order.
 */
#ifndef BATON_IO_H
#define BATON_IO_H

#include "types.h"

static inline u8 mmio_read8(const volatile void *a)
{
	return *(const volatile u8 *)a;
}
static inline u32 mmio_read32(const volatile void *a)
{
	return *(const volatile u32 *)a;
}
static inline void mmio_write8(volatile void *a, u8 v)
{
	*(volatile u8 *)a = v;
}
static inline void mmio_write32(volatile void *a, u32 v)
{
	*(volatile u32 *)a = v;
}

#endif

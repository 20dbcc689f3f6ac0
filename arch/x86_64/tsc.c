/*
 * tsc.c — the TSC as the kernel's clock. Its rate is measured once at boot
 * against the PIT (channel 2, 1.193182 MHz, gated through port 0x61), the
 * one timer every PC and QEMU machine has; CPUID leaf 0x15 is the fallback.
 */
#include "x86.h"
#include "printk.h"
#include "arch/counter.h"

#define PIT_HZ 1193182
#define CALIBRATE_MS 10

static u64 tsc_hz;

u64 arch_counter_read(void)
{
	return rdtsc();
}

u64 arch_counter_freq(void)
{
	return tsc_hz;
}

static u64 pit_measure(void)
{
	u16 latch = PIT_HZ * CALIBRATE_MS / 1000;
	u64 t0, t1;
	u32 spins = 0;

	outb(0x61, (inb(0x61) & ~0x02) | 0x01); /* gate on, speaker off */
	outb(0x43, 0xb0);                       /* ch 2, lo/hi, mode 0 */
	outb(0x42, latch & 0xff);
	outb(0x42, latch >> 8);
	t0 = rdtsc();
	while (!(inb(0x61) & 0x20)) {           /* OUT2 goes high at 0 */
		if (++spins > 100000000)
			return 0;
	}
	t1 = rdtsc();
	return (t1 - t0) * (1000 / CALIBRATE_MS);
}

void tsc_calibrate(void)
{
	u32 r[4];

	tsc_hz = pit_measure();
	if (tsc_hz) {
		pr_info("tsc: %llu.%03llu MHz (measured against the PIT)",
			(unsigned long long)(tsc_hz / 1000000),
			(unsigned long long)(tsc_hz / 1000 % 1000));
		return;
	}
	cpuid(0, 0, r);
	if (r[0] >= 0x15) {
		cpuid(0x15, 0, r);
		if (r[0] && r[1] && r[2])
			tsc_hz = (u64)r[2] * r[1] / r[0];
	}
	if (!tsc_hz)
		tsc_hz = 1000000000; /* a guess; timestamps are then approximate */
	pr_warn("tsc: the PIT did not answer; assuming %llu Hz", (unsigned long long)tsc_hz);
}

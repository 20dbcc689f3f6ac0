/*
 * tsc.c — the TSC as the kernel's clock. A cold boot measures its rate
 * against the PIT (channel 2, 1.193182 MHz, gated through port 0x61), the
 * one timer every PC and QEMU machine has, for 10 ms; CPUID leaf 0x15 is
 * the fallback. A kexec'd generation runs on the same machine, so it takes
 * the figure the last one knew from /chosen/baton,counter-frequency
 * (kernel/kexec.c writes it) instead, when the figure is sane.
 */
#include "x86.h"
#include "bootfdt.h"
#include "kerrno.h"
#include "printk.h"
#include "arch/counter.h"
#include "kho/handover.h"

#define PIT_HZ 1193182
#define CALIBRATE_MS 10
/* What a TSC can tick at: QEMU's -icount shift=10 gives about 1 MHz. */
#define TSC_HZ_MIN 1000000ULL
#define TSC_HZ_MAX 20000000000ULL

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
	while (!(inb(0x61) & 0x20)) { /* OUT2 goes high at 0 */
		if (++spins > 100000000)
			return 0;
	}
	t1 = rdtsc();
	return (t1 - t0) * (1000 / CALIBRATE_MS);
}

static void say(const char *how)
{
	pr_info("tsc: %llu.%03llu MHz (%s)", (unsigned long long)(tsc_hz / 1000000),
		(unsigned long long)(tsc_hz / 1000 % 1000), how);
}

static void tsc_calibrate(void)
{
	u32 r[4];

	tsc_hz = pit_measure();
	if (tsc_hz) {
		say("measured against the PIT");
		return;
	}
	cpuid(0, 0, r);
	if (r[0] >= 0x15) {
		cpuid(0x15, 0, r);
		if (r[0] && r[1] && r[2])
			tsc_hz = (u64)r[2] * r[1] / r[0];
	}
	if (tsc_hz) {
		pr_warn("tsc: the PIT did not answer; using CPUID leaf 0x15's %llu Hz",
			(unsigned long long)tsc_hz);
		return;
	}
	tsc_hz = 1000000000;
	pr_warn("tsc: the PIT did not answer and CPUID has no TSC frequency; assuming 1 GHz, "
		"so timestamps are approximate");
}

/* A carried frequency: 0, or -ERANGE with why. */
static int tsc_hz_check(u64 hz, char *why, size_t n)
{
	if (hz < TSC_HZ_MIN || hz > TSC_HZ_MAX)
		return err_why(why, n, -ERANGE, "%llu Hz is outside %llu..%llu Hz",
			       (unsigned long long)hz, TSC_HZ_MIN, TSC_HZ_MAX);
	return 0;
}

void arch_counter_init(const void *fdt)
{
	char why[ERR_WHY_MAX];
	u64 hz;

	if (bootfdt_chosen_u64(fdt, BATON_CHOSEN_COUNTER_FREQ, &hz)) {
		if (tsc_hz_check(hz, why, sizeof(why)) == 0) {
			tsc_hz = hz;
			say("carried in the handover, not measured");
			return;
		}
		pr_warn("tsc: the handover's frequency is unusable (%s): measuring it", why);
	}
	tsc_calibrate();
}

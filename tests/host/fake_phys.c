/*
 * fake_phys.c — the host tests' fake physical memory and console for the
 * front ends' plain C (fake_phys.h): lb_map reaches three calloc'd blocks
 * at their fake physical addresses and nothing else, lb_note writes the
 * front ends' lines into the host log (tests/host/host.h), as COM1 would.
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fake_phys.h"
#include "harness.h"
#include "host.h"
#include "arch/cpu.h"
#include "boot/linux/linuxboot.h"

static u8 *low, *high, *top;

void *lb_map(u64 pa, u64 len)
{
	u64 end;

	if (!low) {
		low = calloc(1, FAKE_LOW_SIZE);
		high = calloc(1, FAKE_HIGH_SIZE);
		top = calloc(1, 0x1000);
		REQUIRE(low && high && top);
	}
	if (len == 0)
		len = 1;
	end = pa + len;
	if (end <= pa)
		return NULL;
	if (end <= FAKE_LOW_SIZE)
		return low + pa;
	if (pa >= FAKE_HIGH_BASE && end <= FAKE_HIGH_BASE + FAKE_HIGH_SIZE)
		return high + (pa - FAKE_HIGH_BASE);
	if (pa >= FAKE_TOP_BASE)
		return top + (pa - FAKE_TOP_BASE);
	return NULL;
}

/* A line into the host log (host.h), where the machine's output goes. */
void lb_note(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	host_log_vprintf(fmt, ap);
	va_end(ap);
	arch_emergency_putc('\n');
}

void *fake_at(u64 pa)
{
	void *p = lb_map(pa, 1);

	REQUIRE(p);
	return p;
}

void fake_rsdp(u64 pa)
{
	u8 *p = fake_at(pa), sum = 0;

	memset(p, 0, 36);
	memcpy(p, "RSD PTR ", 8);
	p[15] = 2;
	for (int i = 0; i < 20; i++)
		sum += p[i];
	p[8] = (u8)-sum;
}

void fake_efi_systab(u64 st, u64 tab, u64 rsdp10, u64 rsdp20)
{
	static const u8 acpi20[16] = { 0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
				       0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 };
	static const u8 acpi10[16] = { 0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
				       0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d };
	u8 *s = fake_at(st), *t = fake_at(tab);
	u64 n = 0;

	memcpy(s, "IBI SYST", 8);
	memcpy(s + 112, &tab, 8);
	if (rsdp10) {
		memcpy(t + 24 * n, acpi10, 16);
		memcpy(t + 24 * n++ + 16, &rsdp10, 8);
	}
	if (rsdp20) {
		memcpy(t + 24 * n, acpi20, 16);
		memcpy(t + 24 * n++ + 16, &rsdp20, 8);
	}
	memcpy(s + 104, &n, 8);
}

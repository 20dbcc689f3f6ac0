/*
 * smp.c — the application processors (APs) of an x86-64 PC, and what
 * Baton does with them: it parks them with INIT, in every generation, and
 * never starts them. The boot CPU runs the kernel alone.
 *
 * What the firmware leaves them doing is not safe to leave alone: OVMF's
 * APs halt in 32-bit protected mode with their IDT in boot-services memory
 * (RAM the allocator hands out); SeaBIOS's halt in BIOS code; a Linux
 * that kexecs into Baton leaves them halted in its own text. Anything that
 * wakes one (an NMI, a machine check) would run whatever Baton has put in
 * that memory since. An INIT puts each AP into wait-for-SIPI: it executes
 * nothing, touches no memory and answers only a start-up IPI (SIPI), so
 * no memory needs to stay reserved for it across any kexec; the next
 * generation just sends INIT again (to a CPU already waiting, a no-op).
 * docs/02-entry-protocol.md says why the kernel does it and not the loader.
 *
 * smp_park_aps runs from arch_init, before bootmem_init hands any memory
 * to the allocator. The self-test smp.aps_parked proves the APs wait for a
 * SIPI: it sends them one, counts who answers, and parks them again.
 */
#include "x86.h"
#include "format.h"
#include "kernel.h"
#include "ktest.h"
#include "kstring.h"
#include "memblock.h"
#include "panic.h"
#include "printk.h"
#include "arch/counter.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include <libfdt.h>

/* IA32_APIC_BASE (Intel SDM vol. 3, 10.4.4): the boot processor flag, the
 * x2APIC mode enable, the global enable, and the xAPIC's MMIO base. */
#define MSR_APIC_BASE 0x1b
#define APIC_BASE_BSP (1ULL << 8)
#define APIC_BASE_X2APIC (1ULL << 10)
#define APIC_BASE_ENABLE (1ULL << 11)
#define APIC_BASE_ADDR 0xffffffffff000ULL

/* xAPIC registers (byte offsets in the MMIO page) and their x2APIC MSRs. */
#define XAPIC_ID 0x20
#define XAPIC_ICR_LOW 0x300
#define XAPIC_ICR_HIGH 0x310
#define MSR_X2APIC_ID 0x802
#define MSR_X2APIC_ICR 0x830

/* Interrupt command register (SDM 10.6.1): delivery mode, the delivery
 * status (xAPIC only), level, trigger mode and destination shorthand. */
#define ICR_INIT (5 << 8)
#define ICR_STARTUP (6 << 8)
#define ICR_BUSY (1 << 12)
#define ICR_ASSERT (1 << 14)
#define ICR_LEVEL (1 << 15)
#define ICR_ALL_BUT_SELF (3 << 18)

#define SMP_MAX_CPUS 256

/* The real-mode code the self-test sends the APs to (smp_probe.S). Each
 * AP that runs it counts itself and sets its APIC id's bit, then halts. */
extern const u8 smp_probe_code[], smp_probe_count[], smp_probe_seen[], smp_probe_code_end[];

/*
 * What smp_park_aps found and did.
 *   parked       INIT went to all CPUs but this one (we are the BSP and
 *                the local APIC is on); the test can only check then
 *   nr_ids       the MADT's enabled CPUs, -1 without a MADT; ids[0..
 *                MIN(nr_ids, SMP_MAX_CPUS)) their APIC ids, self_id among
 *                them on a sound MADT
 *   probe_page   a page of conventional memory (below 640 KiB and the
 *                EBDA) kept for the self-test, 0 if none;
 *                a multiple of 4 KiB (a SIPI names a page by its number)
 * e.g. OVMF with -smp 4: parked, nr_ids 4, ids {0,1,2,3}, self_id 0.
 */
static struct {
	bool parked, x2apic;
	volatile u32 *xapic;
	u32 self_id;
	int nr_ids;
	u32 ids[SMP_MAX_CPUS];
	phys_addr_t probe_page;
} smp;

/* Spin until the counter has advanced by us microseconds or done() says
 * so; true if done() did. (A rate not known counts as 1 GHz.) */
static bool wait_us(u64 us, bool (*done)(void))
{
	u64 t0 = arch_counter_read(), mhz = arch_counter_freq() / 1000000;
	u64 ticks = (mhz ? mhz : 1000) * us;

	for (;;) {
		if (done && done())
			return true;
		if (arch_counter_read() - t0 >= ticks)
			return false;
		__asm__ volatile("pause");
	}
}

static bool icr_idle(void)
{
	return !(smp.xapic[XAPIC_ICR_LOW / 4] & ICR_BUSY);
}

/* Send one IPI to every CPU but this one. The xAPIC reports when the
 * message has gone (delivery status); an x2APIC write is the sending. */
static bool icr_send_all_but_self(u32 low)
{
	BUG_ON(!smp.x2apic && !smp.xapic);
	if (smp.x2apic) {
		wrmsr(MSR_X2APIC_ICR, low | ICR_ALL_BUT_SELF);
		return true;
	}
	if (!wait_us(100000, icr_idle))
		return false;
	smp.xapic[XAPIC_ICR_HIGH / 4] = 0;
	smp.xapic[XAPIC_ICR_LOW / 4] = low | ICR_ALL_BUT_SELF;
	return wait_us(100000, icr_idle);
}

/* INIT, asserted then de-asserted. The de-assert only mattered to the
 * 82489DX and P6-era APICs (it resynchronises arbitration ids; later CPUs
 * ignore it, and the x2APIC does not have it); it is addressed to every
 * CPU whatever the shorthand says, which for the ones that honour it is
 * all that counts. */
static bool send_init(void)
{
	if (!icr_send_all_but_self(ICR_INIT | ICR_LEVEL | ICR_ASSERT))
		return false;
	return smp.x2apic || icr_send_all_but_self(ICR_INIT | ICR_LEVEL);
}

/* "0-3", "0,2,4-6": sorted ids as ranges, into buf. */
static void format_ids(char *buf, size_t n, const u32 *ids, unsigned count)
{
	static u32 s[SMP_MAX_CPUS];
	size_t len = 0;

	BUG_ON(count > SMP_MAX_CPUS);
	memcpy(s, ids, count * sizeof(s[0]));
	for (unsigned i = 1; i < count; i++)
		for (unsigned j = i; j > 0 && s[j - 1] > s[j]; j--) {
			u32 x = s[j];

			s[j] = s[j - 1];
			s[j - 1] = x;
		}
	buf[0] = 0;
	for (unsigned i = 0; i < count && len < n; i++) {
		unsigned j = i;

		while (j + 1 < count && s[j + 1] == s[j] + 1)
			j++;
		len += (size_t)snprintf(buf + len, n - len, j > i ? "%s%u-%u" : "%s%u",
					i ? "," : "", s[i], s[j]);
		i = j;
	}
}

void smp_park_aps(void)
{
	u64 base = rdmsr(MSR_APIC_BASE);
	unsigned shown;
	char list[128];

	if (!(base & APIC_BASE_ENABLE)) {
		pr_warn("smp: the local APIC is off (IA32_APIC_BASE 0x%llx): the other CPUs "
			"cannot be parked and are left as they are",
			(unsigned long long)base);
		return;
	}
	smp.x2apic = base & APIC_BASE_X2APIC;
	if (smp.x2apic) {
		smp.self_id = (u32)rdmsr(MSR_X2APIC_ID);
	} else {
		smp.xapic = arch_ioremap(base & APIC_BASE_ADDR, PAGE_SIZE);
		if (!smp.xapic) {
			pr_warn("smp: the local APIC at 0x%llx cannot be mapped: the other CPUs "
				"cannot be parked and are left as they are",
				(unsigned long long)(base & APIC_BASE_ADDR));
			return;
		}
		smp.self_id = smp.xapic[XAPIC_ID / 4] >> 24;
	}
	/* An INIT to the boot processor would start the firmware over on it
	 * (only APs wait for a SIPI); running elsewhere we cannot tell which
	 * CPU that is, so we leave them all alone. */
	if (!(base & APIC_BASE_BSP)) {
		pr_warn("smp: running on APIC id %u, not the boot processor: the other CPUs are "
			"left as they are",
			smp.self_id);
		return;
	}
	if (!send_init()) {
		pr_warn("smp: the INIT IPI was not sent (the ICR stayed busy): the other CPUs "
			"are left as they are");
		return;
	}
	smp.parked = true;
	smp.nr_ids = acpi_madt_apic_ids(smp.ids, SMP_MAX_CPUS);
	if (smp.nr_ids < 0) {
		pr_info("smp: no MADT; INIT sent to every CPU but this one (APIC id %u, %s)",
			smp.self_id, smp.x2apic ? "x2APIC" : "xAPIC");
		return;
	}
	shown = MIN((unsigned)smp.nr_ids, SMP_MAX_CPUS);
	format_ids(list, sizeof(list), smp.ids, shown);
	pr_info("smp: %d CPU%s in the MADT (APIC id%s %s); boot CPU %u, %d application "
		"processor%s parked with INIT (%s)",
		smp.nr_ids, smp.nr_ids == 1 ? "" : "s", shown == 1 ? "" : "s", list, smp.self_id,
		MAX(smp.nr_ids - 1, 0), smp.nr_ids == 2 ? "" : "s",
		smp.x2apic ? "x2APIC" : "xAPIC");
}

/* Where conventional memory ends, as a PC BIOS says in its data area
 * (0x400): the base memory size in KiB at 0x413, the extended BIOS data
 * area's segment at 0x40e. Some BIOSes leave the EBDA out of their e820
 * reservations, so, as Linux does, believe the lower of the two when it
 * is plausible (128 KiB..0x9f000; a UEFI machine has no BDA and zeros
 * there), and never go above 0x9f000 (a 4 KiB EBDA under 640 KiB). */
#define CONVENTIONAL_MIN KiB(128)
#define CONVENTIONAL_MAX 0x9f000
#define BDA_BASE_KIB 0x413
#define BDA_EBDA_SEGMENT 0x40e

static phys_addr_t conventional_end(void)
{
	u64 top = CONVENTIONAL_MAX, kib_end, ebda;
	u16 v;

	memcpy(&v, phys_to_virt(BDA_BASE_KIB), 2);
	kib_end = (u64)v << 10;
	memcpy(&v, phys_to_virt(BDA_EBDA_SEGMENT), 2);
	ebda = (u64)v << 4;
	if (kib_end >= CONVENTIONAL_MIN && kib_end < top)
		top = kib_end;
	if (ebda >= CONVENTIONAL_MIN && ebda < top)
		top = ebda;
	return ALIGN_DOWN(top, PAGE_SIZE);
}

/* A page of conventional memory that nothing else uses: the highest one
 * memblock has free, before the first MiB is reserved whole (cpu.c) and
 * before the kernel and the boot FDT are, so those two are stepped over
 * here. Not found is no error: only the self-test needs it. */
void smp_reserve_probe_page(const void *fdt)
{
	phys_addr_t kbase = arch_image_phys_base(), fdt_phys = virt_to_phys(fdt);
	u64 ksize = kernel_image_size(), fsize = fdt_totalsize(fdt);
	phys_addr_t max = conventional_end(), p;

	while ((p = memblock_alloc_range(PAGE_SIZE, PAGE_SIZE, PAGE_SIZE, max))) {
		if (!(p < kbase + ksize && kbase < p + PAGE_SIZE) &&
		    !(p < fdt_phys + fsize && fdt_phys < p + PAGE_SIZE)) {
			smp.probe_page = p;
			return;
		}
		max = p; /* reserved now, which the first MiB is anyway */
	}
}

static volatile u32 *probe_count(void)
{
	return (volatile u32 *)((u8 *)phys_to_virt(smp.probe_page) +
				(smp_probe_count - smp_probe_code));
}

static u32 probe_expected;

static bool probe_all_answered(void)
{
	return *probe_count() >= probe_expected;
}

/* One round: the probe code into the page, a SIPI (and a second one
 * after 10 ms, as the SDM's start-up sequence has it, for an AP that
 * missed the first: one that took the first is no longer waiting and
 * ignores it), then up to a second for every AP to answer. Returns how
 * many answered; seen gets their APIC ids' bits. */
static u32 probe_round(u8 seen[32])
{
	u8 *page = phys_to_virt(smp.probe_page);
	u32 vector = (u32)(smp.probe_page >> 12);

	BUG_ON(!smp.probe_page || smp.probe_page % PAGE_SIZE || smp.probe_page >= CONVENTIONAL_MAX);
	memcpy(page, smp_probe_code, (size_t)(smp_probe_code_end - smp_probe_code));
	__asm__ volatile("mfence" ::: "memory");
	icr_send_all_but_self(ICR_STARTUP | ICR_ASSERT | vector);
	if (!wait_us(10000, probe_all_answered)) {
		icr_send_all_but_self(ICR_STARTUP | ICR_ASSERT | vector);
		wait_us(1000000, probe_all_answered);
	}
	wait_us(10000, NULL); /* time for one more, unexpected, to show up */
	memcpy(seen, page + (smp_probe_seen - smp_probe_code), 32);
	return *probe_count();
}

/* Which of the MADT's APs (every enabled CPU but this one, ids below 256:
 * what CPUID leaf 1 reports) the round saw, and who it saw that the MADT
 * does not list. */
static void probe_check(struct ktest_ctx *t, const char *round, u32 answered, const u8 seen[32])
{
	unsigned n = MIN((unsigned)MAX(smp.nr_ids, 0), SMP_MAX_CPUS), want = 0, listed = 0;
	u8 madt[32] = { 0 };

	for (unsigned i = 0; i < n; i++)
		if (smp.ids[i] != smp.self_id && smp.ids[i] < 256)
			madt[smp.ids[i] / 8] |= (u8)(1 << (smp.ids[i] % 8));
	for (unsigned i = 0; i < 256; i++) {
		bool in_madt = madt[i / 8] >> (i % 8) & 1, answered_i = seen[i / 8] >> (i % 8) & 1;

		want += in_madt;
		listed += in_madt && answered_i;
		if (in_madt && !answered_i)
			ktest_fail(t,
				   "%s: APIC id %u did not answer the SIPI: it was not waiting "
				   "for one (not parked)",
				   round, i);
		else if (!in_madt && answered_i)
			ktest_fail(t, "%s: APIC id %u answered but the MADT does not list it",
				   round, i);
	}
	if (answered != probe_expected)
		ktest_fail(t, "%s: %u of %u application processors answered the SIPI", round,
			   answered, probe_expected);
	pr_info("smp: %s: %u of %u application processor%s woke from wait-for-SIPI "
		"(%u of the MADT's %u), probe page 0x%llx",
		round, answered, probe_expected, probe_expected == 1 ? "" : "s", listed, want,
		(unsigned long long)smp.probe_page);
}

/* The APs wait for a SIPI: wake them with one into a page of probe code,
 * count who answers, park them again with INIT, and do it once more to
 * show that INIT parks a CPU that was running (and that the test leaves
 * them parked). An AP the firmware left in its halt loop ignores a SIPI,
 * so without the boot's INIT this test fails. */
KTEST(smp, aps_parked)
{
	u8 seen[32];
	u32 answered;

	if (!smp.parked) {
		ktest_fail(t, "the APs were not parked at boot (see the smp: line)");
		return;
	}
	if (!smp.probe_page) {
		ktest_fail(t, "no free page below 640 KiB for the probe code");
		return;
	}
	probe_expected = smp.nr_ids > 0 ? (u32)smp.nr_ids - 1 : 0;
	answered = probe_round(seen);
	KT_EXPECT(t, send_init());
	probe_check(t, "after the boot's INIT", answered, seen);
	wait_us(10000, NULL); /* the SDM's 10 ms between INIT and SIPI */
	answered = probe_round(seen);
	KT_EXPECT(t, send_init());
	probe_check(t, "after the test's INIT", answered, seen);
}

/*
 * acpi.c — just enough ACPI to turn a PC off: RSDP -> XSDT/RSDT -> FADT for
 * the PM1 control ports, and the DSDT's \_S5 package for the sleep type;
 * the FADT's reset register (ACPI 2.0+), to reset it;
 * and the MADT's list of CPUs, whose application processors smp.c parks.
 *
 * The loader puts the RSDP's address in /chosen/baton,acpi-rsdp. Every table
 * is checksummed before it is used; anything missing or wrong leaves
 * poweroff unavailable (arch_poweroff then halts) with a warning.
 */
#include "x86.h"
#include "bootfdt.h"
#include "kstring.h"
#include "printk.h"
#include "arch/mmu.h"
#include "kho/handover.h"

struct acpi_header {
	char signature[4];
	u32 length;
	u8 revision, checksum;
	char oem[6], oem_table[8];
	u32 oem_revision, creator, creator_revision;
} __packed;
_Static_assert(sizeof(struct acpi_header) == 36, "ACPI SDT header is 36 bytes");

/* FADT offsets (ACPI 6.x, table 5.9). */
#define FADT_DSDT 40
#define FADT_SMI_CMD 48
#define FADT_ACPI_ENABLE 52
#define FADT_PM1A_CNT 64
#define FADT_PM1B_CNT 68
#define FADT_FLAGS 112
#define FADT_RESET_REG 116 /* a Generic Address Structure, 12 bytes */
#define FADT_RESET_VALUE 128
#define FADT_X_DSDT 140
#define FADT_RESET_REG_SUP (1u << 10)
/* Generic Address Structure: space, bit width, bit offset, access size,
 * then the 64-bit address; spaces 0 system memory, 1 system I/O. */
#define GAS_MEMORY 0
#define GAS_IO 1

#define SLP_EN (1 << 13)
#define SCI_EN 1

static u16 pm1a_cnt, pm1b_cnt, smi_cmd;
static u8 acpi_enable_value, slp_typa, slp_typb;
static bool can_poweroff;
/* The FADT's reset register, when it has a usable one (space 0 or 1). */
static u8 reset_space = 0xff, reset_value;
static u64 reset_addr;

static bool checksum_ok(const void *p, u32 len)
{
	const u8 *b = p;
	u8 sum = 0;

	while (len--)
		sum += *b++;
	return sum == 0;
}

/* A table at phys, mapped, with its length and checksum checked. */
static const struct acpi_header *table_at(u64 phys, const char *sig)
{
	const struct acpi_header *h;

	if (!arch_map_early(phys, sizeof(*h)))
		return NULL;
	h = phys_to_virt(phys);
	if (memcmp(h->signature, sig, 4) != 0 || h->length < sizeof(*h) ||
	    !arch_map_early(phys, h->length) || !checksum_ok(h, h->length))
		return NULL;
	return h;
}

static u32 read32(const void *base, u32 off)
{
	u32 v;

	memcpy(&v, (const u8 *)base + off, 4);
	return v;
}

static u64 read64(const void *base, u32 off)
{
	u64 v;

	memcpy(&v, (const u8 *)base + off, 8);
	return v;
}

/* The first table with signature sig that the RSDP's XSDT (or RSDT)
 * lists, checked; NULL if none. */
static const struct acpi_header *find_table(u64 rsdp_phys, const char *sig)
{
	const u8 *rsdp;
	const struct acpi_header *sdt;
	bool xsdt;
	u32 n;

	if (!arch_map_early(rsdp_phys, 36))
		return NULL;
	rsdp = phys_to_virt(rsdp_phys);
	if (memcmp(rsdp, "RSD PTR ", 8) != 0 || !checksum_ok(rsdp, 20))
		return NULL;
	/* ACPI 2.0+: the 36-byte extended RSDP has its own checksum. */
	xsdt = rsdp[15] >= 2 && read32(rsdp, 20) == 36 && checksum_ok(rsdp, 36);
	sdt = xsdt ? table_at(read64(rsdp, 24), "XSDT") : table_at(read32(rsdp, 16), "RSDT");
	if (!sdt)
		return NULL;
	n = (sdt->length - sizeof(*sdt)) / (xsdt ? 8 : 4);
	for (u32 i = 0; i < n; i++) {
		u32 off = sizeof(*sdt) + i * (xsdt ? 8 : 4);
		u64 p = xsdt ? read64(sdt, off) : read32(sdt, off);
		const struct acpi_header *t = table_at(p, sig);

		if (t)
			return t;
	}
	return NULL;
}

/* MADT (ACPI 6.x, 5.2.12): after a 44-byte head, entries of {type,
 * length}; processor local APIC (0) and x2APIC (9) entries name a CPU,
 * present and usable when enabled (flags bit 0). One that is only
 * online-capable (bit 1) can be hot-added later: it is not there yet. */
#define MADT_ENTRIES 44
#define MADT_LAPIC 0
#define MADT_X2APIC 9

static const struct acpi_header *madt;

int acpi_madt_apic_ids(u32 *ids, unsigned max)
{
	const u8 *p, *end;
	unsigned n = 0;

	if (!madt)
		return -1;
	p = (const u8 *)madt + MADT_ENTRIES;
	end = (const u8 *)madt + madt->length;
	for (; p + 2 <= end && p[1] >= 2 && p + p[1] <= end; p += p[1]) {
		u32 flags, id;

		if (p[0] == MADT_LAPIC && p[1] >= 8) {
			flags = read32(p, 4);
			id = p[3];
		} else if (p[0] == MADT_X2APIC && p[1] >= 16) {
			flags = read32(p, 8);
			id = read32(p, 4);
		} else {
			continue;
		}
		if (!(flags & 1))
			continue;
		if (n < max)
			ids[n] = id;
		n++;
	}
	return (int)n;
}

/* One integer of an AML package: ZeroOp, OneOp, BytePrefix n. */
static bool aml_int(const u8 **p, const u8 *end, u8 *out)
{
	if (*p >= end)
		return false;
	switch (**p) {
	case 0x00:
		*out = 0;
		*p += 1;
		return true;
	case 0x01:
		*out = 1;
		*p += 1;
		return true;
	case 0x0a:
		if (*p + 1 >= end)
			return false;
		*out = (*p)[1];
		*p += 2;
		return true;
	}
	return false;
}

/* Find Name(_S5_, Package() { SLP_TYPa, SLP_TYPb, ... }) in the DSDT. */
static bool find_s5(const struct acpi_header *dsdt)
{
	const u8 *p = (const u8 *)dsdt + sizeof(*dsdt);
	const u8 *end = (const u8 *)dsdt + dsdt->length;

	for (; p + 8 < end; p++) {
		if (memcmp(p, "_S5_", 4) != 0 || p[4] != 0x12) /* PackageOp */
			continue;
		p += 5;
		p += 1 + (*p >> 6); /* PkgLength: 1 + extra bytes */
		p += 1;             /* NumElements */
		return aml_int(&p, end, &slp_typa) && aml_int(&p, end, &slp_typb);
	}
	return false;
}

/* The reset register of an ACPI 2.0+ FADT (revision 2 or more, long
 * enough, the flag set, an address in memory or I/O space). */
static void find_reset(const struct acpi_header *fadt)
{
	const u8 *f = (const u8 *)fadt;

	if (fadt->revision < 2 || fadt->length < FADT_RESET_VALUE + 1 ||
	    !(read32(fadt, FADT_FLAGS) & FADT_RESET_REG_SUP))
		return;
	reset_addr = read64(fadt, FADT_RESET_REG + 4);
	reset_value = f[FADT_RESET_VALUE];
	if (reset_addr && (f[FADT_RESET_REG] == GAS_MEMORY || f[FADT_RESET_REG] == GAS_IO))
		reset_space = f[FADT_RESET_REG];
}

bool acpi_reset(void)
{
	if (reset_space == GAS_IO && reset_addr <= 0xffff) {
		outb((u16)reset_addr, reset_value);
	} else if (reset_space == GAS_MEMORY && arch_map_early(reset_addr, 1)) {
		*(volatile u8 *)phys_to_virt(reset_addr) = reset_value;
	} else {
		return false;
	}
	for (int i = 0; i < 10000000; i++) /* give the chipset a moment */
		__asm__ volatile("pause");
	return true;
}

void acpi_init(const void *fdt)
{
	const struct acpi_header *fadt, *dsdt;
	u64 rsdp, dsdt_phys;

	if (!bootfdt_chosen_u64(fdt, BATON_CHOSEN_ACPI_RSDP, &rsdp)) {
		pr_warn("acpi: the loader passed no RSDP (/chosen/baton,acpi-rsdp); poweroff will "
			"halt the CPU");
		return;
	}
	madt = find_table(rsdp, "APIC");
	if (madt && madt->length < MADT_ENTRIES)
		madt = NULL;
	fadt = find_table(rsdp, "FACP");
	if (!fadt) {
		pr_warn("acpi: no valid FADT from the RSDP at 0x%llx; poweroff will halt the CPU",
			(unsigned long long)rsdp);
		return;
	}
	find_reset(fadt);
	pm1a_cnt = read32(fadt, FADT_PM1A_CNT);
	pm1b_cnt = read32(fadt, FADT_PM1B_CNT);
	smi_cmd = read32(fadt, FADT_SMI_CMD);
	acpi_enable_value = ((const u8 *)fadt)[FADT_ACPI_ENABLE];
	dsdt_phys = fadt->length >= FADT_X_DSDT + 8 && read64(fadt, FADT_X_DSDT)
			    ? read64(fadt, FADT_X_DSDT)
			    : read32(fadt, FADT_DSDT);
	dsdt = table_at(dsdt_phys, "DSDT");
	if (!dsdt || !pm1a_cnt || !find_s5(dsdt)) {
		pr_warn("acpi: %s; poweroff will halt the CPU",
			!dsdt       ? "the FADT names no valid DSDT"
			: !pm1a_cnt ? "the FADT has no PM1a control port"
				    : "the DSDT has no \\_S5 package");
		return;
	}
	can_poweroff = true;
	pr_info("acpi: RSDP 0x%llx, PM1a_CNT port 0x%x, S5 sleep type %u", (unsigned long long)rsdp,
		pm1a_cnt, slp_typa);
}

bool acpi_poweroff(void)
{
	if (!can_poweroff)
		return false;
	/* Hardware still in legacy mode: ask the firmware to switch to ACPI. */
	if (!(inw(pm1a_cnt) & SCI_EN) && smi_cmd && acpi_enable_value) {
		outb(smi_cmd, acpi_enable_value);
		for (int i = 0; i < 1000000 && !(inw(pm1a_cnt) & SCI_EN); i++)
			;
	}
	outw(pm1a_cnt, (u16)(slp_typa << 10) | SLP_EN);
	if (pm1b_cnt)
		outw(pm1b_cnt, (u16)(slp_typb << 10) | SLP_EN);
	for (int i = 0; i < 10000000; i++) /* give the chipset a moment */
		__asm__ volatile("pause");
	return true;
}

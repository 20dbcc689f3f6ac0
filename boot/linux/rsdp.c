/*
 * rsdp.c — where the ACPI RSDP is, for /chosen/baton,acpi-rsdp (which
 * arch/x86_64/acpi.c reads to power the machine off). Loaders say it in
 * different ways, tried in this order, each candidate checked ("RSD PTR "
 * and the ACPI 1.0 checksum over its first 20 bytes) before it is taken:
 *
 *   1. boot_params.acpi_rsdp_addr (protocol 2.14+; Linux's kexec always
 *      fills it in);
 *   2. the EFI system table boot_params.efi_info names ("EL64": GRUB on
 *      UEFI, Linux's kexec on UEFI): its configuration table's ACPI 2.0
 *      entry, else its ACPI 1.0 entry;
 *   3. the BIOS areas ACPI names for legacy machines: the first KiB of the
 *      EBDA (its segment at 0x40e) and 0xe0000-0xfffff, on 16-byte
 *      boundaries (SeaBIOS puts it there).
 * The multiboot2 front end asks 2. and 3. itself (rsdp_from_efi with the
 * system table GRUB names, rsdp_from_bios).
 */
#include "linuxboot.h"
#include "kstring.h"

#define EFI_SYSTAB_SIGNATURE 0x5453595320494249ULL /* "IBI SYST" */
#define EFI_SYSTAB_NR_TABLES 104                   /* UINTN NumberOfTableEntries, x64 layout */
#define EFI_SYSTAB_TABLES 112                      /* EFI_CONFIGURATION_TABLE *ConfigurationTable */
#define EFI_MAX_TABLES 1024

/* EFI_GUIDs as they lie in memory: Data1..3 little-endian, Data4 bytes. */
static const u8 acpi20_guid[16] = { 0x71, 0xe8, 0x68, 0x88, 0xf1, 0xe4, 0xd3, 0x11,
				    0xbc, 0x22, 0x00, 0x80, 0xc7, 0x3c, 0x88, 0x81 };
static const u8 acpi10_guid[16] = { 0x30, 0x2d, 0x9d, 0xeb, 0x88, 0x2d, 0xd3, 0x11,
				    0x9a, 0x16, 0x00, 0x90, 0x27, 0x3f, 0xc1, 0x4d };

bool rsdp_valid(u64 pa)
{
	const u8 *p = pa ? lb_map(pa, 20) : NULL;
	u8 sum = 0;

	if (!p || memcmp(p, "RSD PTR ", 8) != 0)
		return false;
	for (int i = 0; i < 20; i++)
		sum += p[i];
	return sum == 0;
}

u64 rsdp_from_efi(u64 systab)
{
	u64 n, tables, sig, found10 = 0;
	const u8 *st, *t;

	st = systab ? lb_map(systab, EFI_SYSTAB_TABLES + 8) : NULL;
	if (!st)
		return 0;
	memcpy(&sig, st, 8);
	memcpy(&n, st + EFI_SYSTAB_NR_TABLES, 8);
	memcpy(&tables, st + EFI_SYSTAB_TABLES, 8);
	if (sig != EFI_SYSTAB_SIGNATURE || n > EFI_MAX_TABLES || !(t = lb_map(tables, n * 24))) {
		lb_note("no EFI system table at 0x%llx (bad signature or table count); looking "
			"elsewhere for the ACPI RSDP",
			(unsigned long long)systab);
		return 0;
	}
	for (u64 i = 0; i < n; i++, t += 24) {
		u64 p;

		memcpy(&p, t + 16, 8);
		if (memcmp(t, acpi20_guid, 16) == 0 && rsdp_valid(p))
			return p;
		if (memcmp(t, acpi10_guid, 16) == 0 && rsdp_valid(p))
			found10 = p;
	}
	return found10;
}

static u64 from_efi(const struct efi_info *ei)
{
	if (ei->efi_loader_signature == EFI32_LOADER_SIGNATURE) {
		lb_note("efi_info: a 32-bit UEFI (\"EL32\"): its tables are not read");
		return 0;
	}
	if (ei->efi_loader_signature != EFI64_LOADER_SIGNATURE)
		return 0;
	return rsdp_from_efi(ei->efi_systab | (u64)ei->efi_systab_hi << 32);
}

static u64 scan(u64 base, u64 len)
{
	for (u64 pa = base; pa + 20 <= base + len; pa += 16)
		if (rsdp_valid(pa))
			return pa;
	return 0;
}

u64 rsdp_from_bios(void)
{
	const u16 *ebda_seg = lb_map(0x40e, 2);
	u64 ebda = ebda_seg ? (u64)*ebda_seg << 4 : 0, found = 0;

	if (ebda >= 0x80000 && ebda < 0xa0000)
		found = scan(ebda, 1024);
	if (!found && lb_map(0xe0000, 0x20000))
		found = scan(0xe0000, 0x20000);
	return found;
}

u64 rsdp_find(const struct boot_params *bp, bool trust_bp)
{
	u64 p;

	if (trust_bp && bp->acpi_rsdp_addr) {
		if (rsdp_valid(bp->acpi_rsdp_addr))
			return bp->acpi_rsdp_addr;
		lb_note("boot_params: acpi_rsdp_addr 0x%llx holds no valid RSDP; looking elsewhere",
			(unsigned long long)bp->acpi_rsdp_addr);
	}
	p = from_efi(&bp->efi_info);
	return p ? p : rsdp_from_bios();
}

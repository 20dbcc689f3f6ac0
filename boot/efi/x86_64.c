/*
 * x86_64.c — the x86-64 half of the EFI loader (BOOTX64.EFI), called by
 * main.c through loader.h's arch_* functions. It assumes OVMF's long mode
 * with the identity map, which the x86-64 boot protocol (docs/design.md
 * section 3) keeps for the kernel's entry:
 *
 *   - the canary: %fs:0x28, where amd64 libfdt reads it;
 *   - the kernel: baton.elf, its PT_LOAD segments copied to a 2 MiB-aligned
 *     address below 4 GiB (the checks and the copy are lib/elf_load.c's,
 *     which kexec uses too);
 *   - the boot FDT, built from scratch: a PC has no device tree of its own
 *
 *       / { #address-cells = <2>; #size-cells = <2>; compatible = "baton,pc";
 *           chosen { bootargs; stdout-path = "serial0:115200n8";
 *                    baton,acpi-rsdp = <u64>; baton,image = <addr size>;
 *                    baton,loader = "efi-x86_64"; };
 *           aliases { serial0 = "/isa/serial@3f8"; };
 *           memory@0 { ... fdt.c ... };
 *           isa { serial@3f8 { compatible = "ns16550a"; reg = <1 0x3f8 8>; }; };
 *       };
 *
 *     baton,image is the ELF file as read, which kexec reuses;
 *   - the jump: cli, rdi = FDT, rsi = 0.
 *
 * A bzImage instead of baton.elf (bzimage.c) is placed by its own header
 * and entered through its 64-bit entry with a boot_params made from the
 * same FDT.
 */
#include "loader.h"
#include "bzimage.h"
#include "boot/pc_fdt.h"
#include "elf64.h"
#include "elf_load.h"
#include "kho/handover.h"
#include <libfdt.h>

#define FDT_SIZE (64 * 1024)
#define COM1 0x3f8

/* %fs:0x28 is where amd64 code compiled with -fstack-protector reads its
 * canary; point FS_BASE at this block. */
static u64 canary_block[8];

void arch_canary_init(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	canary_block[5] = (((u64)hi << 32 | lo) * 0x9e3779b97f4a7c15ULL) & ~0xffULL;
	__asm__ volatile("wrmsr"
			 :
			 : "c"(0xc0000100), "a"((u32)(UINTN)canary_block),
			   "d"((u32)((UINTN)canary_block >> 32)));
}

EFI_STATUS arch_kernel_place(struct kernel *k, u64 load_addr)
{
	struct elf_layout l;
	char why[ERR_WHY_MAX];
	EFI_STATUS st;

	if (bzimage_is(k->file, k->file_size))
		return bzimage_place(k, load_addr);
	if (elf_layout(k->file, k->file_size, EM_X86_64, &l, why, sizeof(why))) {
		Print(L"loader: %s: %a\n", KERNEL_FILE, why);
		return EFI_LOAD_ERROR;
	}
	st = place_2m(load_addr, l.span, false, &k->base);
	if (EFI_ERROR(st))
		return st;
	elf_copy(k->file, (void *)(UINTN)k->base, &l);
	k->span = l.span;
	k->entry = k->base + l.entry_off;
	return EFI_SUCCESS;
}

static u64 find_rsdp(void)
{
	EFI_GUID acpi20 = ACPI_20_TABLE_GUID, acpi10 = ACPI_TABLE_GUID;
	u64 rsdp1 = 0;

	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];

		if (CompareGuid(&t->VendorGuid, &acpi20) == 0)
			return (u64)(UINTN)t->VendorTable;
		if (CompareGuid(&t->VendorGuid, &acpi10) == 0)
			rsdp1 = (u64)(UINTN)t->VendorTable;
	}
	return rsdp1;
}

static EFI_STATUS pc_tree(void *fdt, UINTN size, u64 rsdp, const struct kernel *k)
{
	int chosen;
	fdt64_t img[2] = { cpu_to_fdt64((u64)(UINTN)k->file), cpu_to_fdt64(k->file_size) };

	FDT_TRY(fdt_create_empty_tree(fdt, (int)size));
	FDT_TRY(pc_fdt_nodes(fdt, "PC (UEFI, Baton EFI loader)"));

	FDT_TRY(chosen = fdt_add_subnode(fdt, 0, "chosen"));
	FDT_TRY(fdt_setprop_string(fdt, chosen, "stdout-path", "serial0:115200n8"));
	if (rsdp)
		FDT_TRY(fdt_setprop_u64(fdt, chosen, BATON_CHOSEN_ACPI_RSDP, rsdp));
	FDT_TRY(fdt_setprop(fdt, chosen, BATON_CHOSEN_IMAGE, img, sizeof(img)));
	return EFI_SUCCESS;
}

EFI_STATUS arch_fdt_build(const struct kernel *k, const char *bootargs, void **fdt)
{
	EFI_PHYSICAL_ADDRESS pa = LOADER_MAX_ADDR;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
			       EFI_SIZE_TO_PAGES(FDT_SIZE), &pa);
	if (EFI_ERROR(st))
		return st;
	*fdt = (void *)(UINTN)pa;
	st = pc_tree(*fdt, FDT_SIZE, find_rsdp(), k);
	if (EFI_ERROR(st))
		return st;
	/* A bzImage is handed a boot_params, made from this FDT at the end. */
	if (k->bzimage) {
		st = bzimage_params(k, bootargs);
		if (EFI_ERROR(st))
			return st;
	}
	return fdt_set_chosen(*fdt, bootargs);
}

static void com1_putc(char c)
{
	while (1) {
		u8 lsr;

		__asm__ volatile("inb %1, %0" : "=a"(lsr) : "Nd"((u16)(COM1 + 5)));
		if (lsr & 0x20) /* transmit holding register empty */
			break;
	}
	__asm__ volatile("outb %0, %1" : : "a"((u8)c), "Nd"((u16)COM1));
}

void arch_fail_late(const char *why)
{
	for (const char *p = "loader: after ExitBootServices: "; *p; p++)
		com1_putc(*p);
	for (; *why; why++)
		com1_putc(*why);
	for (const char *p = "; the CPU halts"; *p; p++)
		com1_putc(*p);
	com1_putc('\r');
	com1_putc('\n');
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_enter(const struct kernel *k, void *fdt)
{
	if (k->bzimage)
		bzimage_enter(k, fdt);
	__asm__ volatile("cli\n\t"
			 "xor %%esi, %%esi\n\t"
			 "jmp *%1"
			 :
			 : "D"(fdt), "r"(k->entry)
			 : "memory");
	__builtin_unreachable();
}

/*
 * main.c — the EFI loader's steps, in order (efi_main):
 *
 *   1. the stack-protector canary (Debian's libfdt is built with it),
 *   2. the command line: load options, else cmdline.txt beside the loader,
 *   3. the kernel: baton.elf beside the loader, placed 2 MiB-aligned
 *      (efi.load_addr=ADDR on the command line chooses where),
 *   4. the ACPI RSDP from the configuration table,
 *   5. the boot FDT, then the memory map into it, then ExitBootServices,
 *      again with a fresh map if the map key went stale,
 *   6. the jump: interrupts off, rdi = FDT, rsi = 0.
 */
#include "loader.h"
#include "compiler.h"
#include <libfdt.h>

#define FDT_SIZE (64 * 1024)

/* %fs:0x28 is where amd64 code compiled with -fstack-protector reads its
 * canary; point FS_BASE at this block. */
static u64 canary_block[8];
static EFI_HANDLE self;

static void canary_init(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	canary_block[5] = (((u64)hi << 32 | lo) * 0x9e3779b97f4a7c15ULL) & ~0xffULL;
	__asm__ volatile("wrmsr" : : "c"(0xc0000100), "a"((u32)(UINTN)canary_block),
			 "d"((u32)((UINTN)canary_block >> 32)));
}

__attribute__((noreturn)) void __stack_chk_fail(void);
__attribute__((noreturn)) void __stack_chk_fail(void)
{
	loader_fail(L"stack protector", EFI_ABORTED);
}

void loader_fail(const CHAR16 *what, EFI_STATUS st)
{
	Print(L"loader: %s failed: %r\n", what, st);
	uefi_call_wrapper(BS->Stall, 1, 5 * 1000 * 1000);
	uefi_call_wrapper(BS->Exit, 4, self, st, 0, NULL);
	for (;;)
		__asm__ volatile("hlt");
}

/* Load options as ASCII; the shell passes our own path as the first word,
 * which is dropped. Returns the length, 0 if there are none. */
static UINTN options_to_ascii(EFI_LOADED_IMAGE *li, char *out, UINTN max)
{
	const CHAR16 *o = li->LoadOptions;
	UINTN n = li->LoadOptionsSize / sizeof(CHAR16), len = 0, i = 0;

	if (!o || n == 0)
		return 0;
	while (i < n && o[i] == L' ')
		i++;
	for (UINTN j = i; j + 3 < n && o[j] && o[j] != L' '; j++) {
		if ((o[j] == L'.') && (o[j + 1] | 0x20) == L'e' && (o[j + 2] | 0x20) == L'f' &&
		    (o[j + 3] | 0x20) == L'i') {
			for (i = j + 4; i < n && o[i] && o[i] != L' '; i++)
				;
			break;
		}
	}
	for (; i < n && o[i] && len + 1 < max; i++) {
		if (o[i] < 0x20 || o[i] > 0x7e)
			return 0; /* binary data from a boot entry, not a command line */
		out[len++] = (char)o[i];
	}
	out[len] = 0;
	return len;
}

static void bootargs_get(EFI_HANDLE image, char *args, UINTN max)
{
	EFI_LOADED_IMAGE *li;
	void *text;
	UINTN size, len = 0;

	if (!EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
					 (void **)&li)))
		len = options_to_ascii(li, args, max);
	if (len == 0 && !EFI_ERROR(file_read(image, CMDLINE_FILE, &text, &size))) {
		const char *t = text;

		for (UINTN i = 0; i < size && t[i] && len + 1 < max; i++)
			args[len++] = (t[i] == '\n' || t[i] == '\r' || t[i] == '\t') ? ' ' : t[i];
	}
	while (len && args[len - 1] == ' ')
		len--;
	args[len] = 0;
}

/* efi.load_addr=ADDR (hex with 0x, or decimal), 0 when absent. */
static u64 load_addr_from(const char *args)
{
	static const char key[] = "efi.load_addr=";
	u64 v = 0;

	for (const char *p = args; *p; p++) {
		if ((p == args || p[-1] == ' ') && strncmpa((const CHAR8 *)p, (const CHAR8 *)key,
							    sizeof(key) - 1) == 0)
			return strtoul(p + sizeof(key) - 1, NULL, 0);
	}
	return v;
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

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static char bootargs[BOOTARGS_MAX];
	EFI_PHYSICAL_ADDRESS fdt_pa = LOADER_MAX_ADDR, map_pa;
	EFI_MEMORY_DESCRIPTOR *map;
	UINTN elf_size, map_size = 0, map_cap, key, desc_size;
	u64 base, entry, rsdp;
	UINT32 desc_ver;
	EFI_STATUS st;
	void *elf, *fdt;

	InitializeLib(image, systab);
	self = image;
	canary_init();
	Print(L"Baton EFI loader\n");

	bootargs_get(image, bootargs, sizeof(bootargs));
	Print(L"loader: command line: %a\n", bootargs);

	st = file_read(image, KERNEL_FILE, &elf, &elf_size);
	if (EFI_ERROR(st))
		loader_fail(L"reading " KERNEL_FILE, st);
	st = kernel_place(elf, elf_size, load_addr_from(bootargs), &base, &entry);
	if (EFI_ERROR(st))
		loader_fail(L"placing the kernel", st);
	Print(L"loader: kernel at 0x%lx, entry 0x%lx\n", base, entry);

	rsdp = find_rsdp();
	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
			       EFI_SIZE_TO_PAGES(FDT_SIZE), &fdt_pa);
	if (EFI_ERROR(st))
		loader_fail(L"allocating the FDT", st);
	fdt = (void *)(UINTN)fdt_pa;
	st = fdt_start(fdt, FDT_SIZE, bootargs, rsdp, (u64)(UINTN)elf, elf_size);
	if (EFI_ERROR(st))
		loader_fail(L"building the FDT", st);

	/* The map buffer: today's size plus room for the descriptors our own
	 * allocations and the firmware's last moves may add. */
	uefi_call_wrapper(BS->GetMemoryMap, 5, &map_size, NULL, &key, &desc_size, &desc_ver);
	map_cap = map_size + 32 * desc_size;
	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAnyPages, EfiLoaderData,
			       EFI_SIZE_TO_PAGES(map_cap), &map_pa);
	if (EFI_ERROR(st))
		loader_fail(L"allocating the memory map", st);
	map = (void *)(UINTN)map_pa;

	Print(L"loader: exiting boot services, jumping to the kernel\n");
	for (int tries = 0;; tries++) {
		map_size = map_cap;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &map_size, map, &key, &desc_size,
				       &desc_ver);
		if (EFI_ERROR(st))
			loader_fail(L"GetMemoryMap", st);
		st = fdt_set_memory(fdt, map, map_size, desc_size);
		if (EFI_ERROR(st))
			loader_fail(L"writing the memory map into the FDT", st);
		st = uefi_call_wrapper(BS->ExitBootServices, 2, image, key);
		if (!EFI_ERROR(st))
			break;
		/* EFI_INVALID_PARAMETER: the map changed under us; only
		 * GetMemoryMap and ExitBootServices may be called now. */
		if (st != EFI_INVALID_PARAMETER || tries == 8)
			for (;;)
				__asm__ volatile("hlt");
	}
	fdt_pack(fdt);

	__asm__ volatile("cli\n\t"
			 "xor %%esi, %%esi\n\t"
			 "jmp *%1"
			 : : "D"(fdt), "r"(entry) : "memory");
	__builtin_unreachable();
}

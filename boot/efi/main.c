/*
 * main.c — the EFI loader's steps, in order (efi_main), the same on x86-64
 * and arm64; what differs is behind the arch_* calls of loader.h:
 *
 *   1. the stack-protector canary (Debian's libfdt is built with it),
 *   2. where the kernel and the command line come from: a unified image
 *      (make image SIGN=...) carries both in its own .kernel and .cmdline
 *      sections (bundle.c), and then nothing else is read; under Secure
 *      Boot (secureboot.c) only such an image boots, because files on the
 *      disk are verified by no one,
 *   3. the command line: the .cmdline section, else the load options, else
 *      cmdline.txt beside the loader,
 *   4. the kernel: the .kernel section, else KERNEL_FILE beside the loader
 *      (baton.elf, Image; on x86-64 a bzImage when there is no baton.elf),
 *      checked and placed 2 MiB-aligned (efi.load_addr=ADDR on the command
 *      line chooses where),
 *   5. the boot FDT (built from scratch on x86-64, the firmware's own on
 *      arm64), then the memory map into it, then ExitBootServices, again
 *      with a fresh map if the map key went stale,
 *   6. the jump, with the FDT in the first argument register.
 */
#include "loader.h"
#include "bootargs.h"
#include "cmdline.h"
#include "compiler.h"
#include <libfdt.h>

static EFI_HANDLE self;
/* Set before the first ExitBootServices call: from then on boot services
 * may be gone, and failures go straight to the UART (arch_fail_late). */
static bool services_gone;

__attribute__((noreturn)) void __stack_chk_fail(void);
__attribute__((noreturn)) void __stack_chk_fail(void)
{
	if (services_gone)
		arch_fail_late("stack protector: a stack frame was overwritten");
	loader_fail(L"stack protector", EFI_ABORTED);
}

void loader_fail(const CHAR16 *what, EFI_STATUS st)
{
	Print(L"loader: %s failed: %r; back to the firmware in 5 s\n", what, st);
	uefi_call_wrapper(BS->Stall, 1, 5 * 1000 * 1000);
	uefi_call_wrapper(BS->Exit, 4, self, st, 0, NULL);
	for (;;) /* Exit does not return */
		uefi_call_wrapper(BS->Stall, 1, 1000 * 1000);
}

/* The command line: a unified image's .cmdline section, else the load
 * options, else cmdline.txt, as one ASCII line in args (CMDLINE_MAX bytes). A longer line is cut
 * between words and marked (bootargs.c), and the firmware console says so before the kernel runs.
 * A unified image's command line is its .cmdline section alone (empty when
 * it has none): load options come from a boot entry anyone with the
 * firmware's setup or shell can write, and the signer did not sign them. */
static void bootargs_get(EFI_HANDLE image, const struct bundle *b, char *args)
{
	EFI_LOADED_IMAGE *li;
	char *line = NULL;
	void *text;
	UINTN size;
	long len = -1;
	size_t given, kept;

	if (b->kernel) {
		if (!(line = AllocatePool(b->cmdline_size + 1)))
			loader_fail(L"allocating the command line", EFI_OUT_OF_RESOURCES);
		len = (long)bootargs_from_text(b->cmdline ? b->cmdline : "", b->cmdline_size, line);
	} else if (!EFI_ERROR(uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol,
						(void **)&li)) &&
		   li->LoadOptions && li->LoadOptionsSize >= sizeof(CHAR16)) {
		size = li->LoadOptionsSize / sizeof(CHAR16);
		if (!(line = AllocatePool(size + 1)))
			loader_fail(L"allocating the command line", EFI_OUT_OF_RESOURCES);
		len = bootargs_from_options(li->LoadOptions, size, line);
	}
	if (len <= 0 && !b->kernel && !EFI_ERROR(file_read(image, CMDLINE_FILE, &text, &size))) {
		if (line)
			FreePool(line);
		if (!(line = AllocatePool(size + 1)))
			loader_fail(L"allocating the command line", EFI_OUT_OF_RESOURCES);
		len = (long)bootargs_from_text(text, size, line);
	}
	args[0] = '\0';
	if (len > 0) {
		len = (long)bootargs_fit(line, (size_t)len, &given, &kept);
		if ((size_t)len != given)
			Print(L"loader: the command line is %ld bytes, more than the kernel's %d: "
			      "the first %ld (whole words) are passed on, the rest is DROPPED; "
			      "the kernel is told with %a=%ld\n",
			      (INT64)given, CMDLINE_MAX - 1, (INT64)kept, CMDLINE_CUT,
			      (INT64)given);
		CopyMem(args, line, (UINTN)len + 1);
	}
	if (line)
		FreePool(line);
}

/* efi.load_addr=ADDR (hex with 0x, or decimal), 0 when absent. */
static u64 load_addr_from(const char *args)
{
	static const char key[] = "efi.load_addr=";
	u64 v = 0;

	for (const char *p = args; *p; p++) {
		if ((p == args || p[-1] == ' ') &&
		    strncmpa((const CHAR8 *)p, (const CHAR8 *)key, sizeof(key) - 1) == 0)
			return strtoul(p + sizeof(key) - 1, NULL, 0);
	}
	return v;
}

EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab);
EFI_STATUS efi_main(EFI_HANDLE image, EFI_SYSTEM_TABLE *systab)
{
	static char bootargs[CMDLINE_MAX];
	static struct kernel k;
	struct bundle b;
	EFI_PHYSICAL_ADDRESS map_pa;
	EFI_MEMORY_DESCRIPTOR *map;
	UINTN map_size = 0, map_cap, key, desc_size;
	UINT32 desc_ver;
	EFI_STATUS st;
	void *file, *fdt;

	InitializeLib(image, systab);
	self = image;
	arch_canary_init();
	Print(L"Baton EFI loader (" LOADER_NAME ")\n");

	st = bundle_find(image, &b);
	if (EFI_ERROR(st))
		loader_fail(L"reading this image's .kernel and .cmdline sections", st);
	if (secureboot_on()) {
		if (!b.kernel) {
			Print(L"loader: Secure Boot is on, but this image carries no kernel: " KERNEL_FILE L" and " CMDLINE_FILE L" on the disk cannot be verified, "
			      L"so they are not used (boot a signed unified image: make image "
			      L"SIGN=...)\n");
			loader_fail(L"booting under Secure Boot", EFI_SECURITY_VIOLATION);
		}
		Print(L"loader: Secure Boot is on; kernel and command line from the signed image\n");
		k.verified = true;
	} else if (b.kernel) {
		Print(L"loader: Secure Boot is off; kernel and command line from this image's "
		      L".kernel and .cmdline sections\n");
	}
	bootargs_get(image, &b, bootargs);
	Print(L"loader: command line: %a\n", bootargs);

	if (b.kernel) {
		file = (void *)b.kernel;
		k.file_size = b.kernel_size;
	} else {
		st = file_read(image, KERNEL_FILE, &file, &k.file_size);
#ifdef KERNEL_FILE_ALT
		if (st == EFI_NOT_FOUND)
			st = file_read(image, KERNEL_FILE_ALT, &file, &k.file_size);
#endif
		if (EFI_ERROR(st))
			loader_fail(L"reading " KERNEL_FILE, st);
	}
	k.file = file;
	st = arch_kernel_place(&k, load_addr_from(bootargs));
	if (EFI_ERROR(st))
		loader_fail(L"placing the kernel", st);
	Print(L"loader: kernel at 0x%lx, entry 0x%lx\n", k.base, k.entry);

	st = arch_fdt_build(&k, bootargs, &fdt);
	if (!EFI_ERROR(st) && k.verified)
		st = fdt_set_secure_boot(fdt);
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

	Print(L"loader: FDT at 0x%lx, exiting boot services, jumping to the kernel\n",
	      (u64)(UINTN)fdt);
	for (int tries = 0;; tries++) {
		map_size = map_cap;
		st = uefi_call_wrapper(BS->GetMemoryMap, 5, &map_size, map, &key, &desc_size,
				       &desc_ver);
		if (EFI_ERROR(st)) {
			if (tries == 0)
				loader_fail(L"GetMemoryMap", st);
			arch_fail_late("GetMemoryMap failed after ExitBootServices did");
		}
		st = fdt_set_memory(fdt, map, map_size, desc_size);
		if (EFI_ERROR(st)) {
			if (tries == 0)
				loader_fail(L"writing the memory map into the FDT", st);
			arch_fail_late("the memory map no longer fits the FDT");
		}
		services_gone = true;
		st = uefi_call_wrapper(BS->ExitBootServices, 2, image, key);
		if (!EFI_ERROR(st))
			break;
		/* EFI_INVALID_PARAMETER: the map changed under us; only
		 * GetMemoryMap and ExitBootServices may be called now. */
		if (st != EFI_INVALID_PARAMETER || tries == 8)
			arch_fail_late("ExitBootServices keeps failing");
	}
	fdt_pack(fdt);
	arch_enter(&k, fdt);
}

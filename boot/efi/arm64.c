/*
 * arm64.c — the arm64 half of the EFI loader (BOOTAA64.EFI), called by
 * main.c through loader.h's arch_* functions. It assumes what the UEFI
 * spec promises an AArch64 application: EL2 or EL1, MMU on with an
 * identity map, caches on, FP/SIMD usable. It ends in the Linux arm64 boot
 * protocol (Documentation/arch/arm64/booting.rst, docs/design.md section 3):
 *
 *   - the canary: the global __stack_chk_guard, where arm64 libfdt reads it;
 *   - the kernel: an Image, its 64-byte header checked by
 *     lib/arm64_image.c (which kexec uses too), copied to a 2 MiB-aligned
 *     base + text_offset with the rest of image_size zeroed;
 *   - the boot FDT: the firmware's own (the EFI configuration table's
 *     DEVICE_TREE_GUID entry) copied with room to grow, into 2 MiB-aligned
 *     pages so it never crosses a 2 MiB boundary. No /chosen/baton,image:
 *     the arm64 kernel keeps its own pristine copy of the Image;
 *   - the jump (arm64_enter.S): caches cleaned, MMU and D-cache off at the
 *     current exception level, x0 = FDT, x1 = x2 = x3 = 0.
 */
#include "loader.h"
#include "arm64_image.h"
#include "compiler.h"
#include "kho/handover.h"
#include <libfdt.h>

#define IMAGE_FLAG_ANYWHERE (1ULL << 3) /* else: as low in RAM as possible */
#define FDT_ROOM (64 * 1024)            /* for /chosen and the memory map */
#define FDT_MAX (2 * 1024 * 1024)       /* booting.rst: a DTB is at most 2 MiB */

/* Debian's arm64 libfdt is built with -fstack-protector and reads its
 * canary here. */
extern u64 __stack_chk_guard;
u64 __stack_chk_guard;

/* A PL011 for the last words after ExitBootServices, 0 when unknown. */
static volatile u32 *late_uart;

void arch_canary_init(void)
{
	u64 t;

	__asm__ volatile("mrs %0, cntpct_el0" : "=r"(t));
	__stack_chk_guard = (t * 0x9e3779b97f4a7c15ULL) & ~0xffULL;
}

EFI_STATUS arch_kernel_place(struct kernel *k, u64 load_addr)
{
	const struct arm64_image_header *h = k->file;
	u64 entry_off;
	char why[ERR_WHY_MAX];
	EFI_STATUS st;

	if (arm64_image_check(k->file, k->file_size, &k->span, &entry_off, why, sizeof(why))) {
		Print(L"loader: %s: %a\n", KERNEL_FILE, why);
		return EFI_LOAD_ERROR;
	}
	st = place_2m(load_addr, k->span, !(h->flags & IMAGE_FLAG_ANYWHERE), &k->base);
	if (EFI_ERROR(st))
		return st;
	k->entry = k->base + entry_off;
	CopyMem((void *)(UINTN)k->entry, k->file, k->file_size);
	ZeroMem((void *)(UINTN)(k->entry + k->file_size), k->span - entry_off - k->file_size);
	return EFI_SUCCESS;
}

static const void *firmware_dtb(void)
{
	EFI_GUID dtb = {
		0xb1b621d5, 0xf19c, 0x41a5, { 0x83, 0x0b, 0xd9, 0x15, 0x2c, 0x69, 0xaa, 0xe0 }
	};

	for (UINTN i = 0; i < ST->NumberOfTableEntries; i++) {
		EFI_CONFIGURATION_TABLE *t = &ST->ConfigurationTable[i];

		if (CompareGuid(&t->VendorGuid, &dtb) == 0)
			return t->VendorTable;
	}
	return NULL;
}

/* The bytes of an FDT in use: its blocks' ends, whatever their order. */
static u64 fdt_used(const void *fdt)
{
	u64 end = fdt_off_dt_struct(fdt) + (u64)fdt_size_dt_struct(fdt);

	end = MAX(end, fdt_off_dt_strings(fdt) + (u64)fdt_size_dt_strings(fdt));
	return MAX(end, (u64)fdt_off_mem_rsvmap(fdt)); /* the map ends before struct */
}

/* The console the kernel will use, if it is a PL011 at the root: kept for
 * arch_fail_late. */
static void find_late_uart(const void *fdt)
{
	int chosen = fdt_path_offset(fdt, "/chosen"), len, node;
	const char *path = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;
	const fdt32_t *reg;
	int n = 0;

	if (!path)
		return;
	while (n < len && path[n] && path[n] != ':')
		n++;
	node = fdt_path_offset_namelen(fdt, path, n);
	if (node < 0 || fdt_node_check_compatible(fdt, node, "arm,pl011") != 0 ||
	    fdt_parent_offset(fdt, node) != 0 || fdt_address_cells(fdt, 0) != 2)
		return;
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (reg && len >= 8)
		late_uart = (volatile u32 *)(UINTN)((u64)fdt32_to_cpu(reg[0]) << 32 |
						    fdt32_to_cpu(reg[1]));
}

EFI_STATUS arch_fdt_build(const struct kernel *k, const char *bootargs, void **fdt)
{
	const void *src = firmware_dtb();
	u64 size, pa, el;
	int chosen, err;
	EFI_STATUS st;

	(void)k;
	__asm__("mrs %0, CurrentEL" : "=r"(el));
	Print(L"loader: running at EL%lu, the firmware's device tree at 0x%lx\n", el >> 2 & 3,
	      (u64)(UINTN)src);
	if (!src) {
		Print(L"loader: the firmware gave no device tree (no DTB in the EFI "
		      L"configuration table; QEMU gives one with -M virt,acpi=off)\n");
		return EFI_NOT_FOUND;
	}
	/* Debian's libfdt 1.6.1 crashes on versions before 17: check first. */
	if (fdt_magic(src) != FDT_MAGIC || fdt_version(src) < 17 ||
	    fdt_totalsize(src) > 64 * FDT_MAX) {
		Print(L"loader: the firmware's device tree at 0x%lx is unusable: magic 0x%x, "
		      L"version %u, size %u\n",
		      (u64)(UINTN)src, fdt_magic(src), fdt_version(src), fdt_totalsize(src));
		return EFI_LOAD_ERROR;
	}
	err = fdt_check_full(src, fdt_totalsize(src));
	if (err < 0)
		return fdt_error("the firmware's device tree", err);
	size = ALIGN_UP(fdt_used(src) + FDT_ROOM, EFI_PAGE_SIZE);
	if (size > FDT_MAX) {
		Print(L"loader: the firmware's device tree needs %lu bytes, more than 2 MiB\n",
		      size);
		return EFI_BAD_BUFFER_SIZE;
	}
	st = place_2m(0, size, false, &pa);
	if (EFI_ERROR(st))
		return st;
	*fdt = (void *)(UINTN)pa;
	err = fdt_open_into(src, *fdt, (int)size);
	if (err == -FDT_ERR_NOSPACE) {
		/* libfdt copies a tree whose blocks are in order only into a
		 * buffer at least its totalsize (QEMU pads its DTB to 1 MiB):
		 * pack a full-size copy first. */
		void *tmp = AllocatePool(fdt_totalsize(src));

		if (!tmp)
			return EFI_OUT_OF_RESOURCES;
		err = fdt_open_into(src, tmp, (int)fdt_totalsize(src));
		if (err == 0)
			err = fdt_pack(tmp);
		if (err == 0)
			err = fdt_open_into(tmp, *fdt, (int)size);
		FreePool(tmp);
	}
	if (err < 0)
		return fdt_error("copying the firmware's device tree", err);
	st = fdt_set_chosen(*fdt, bootargs);
	if (EFI_ERROR(st))
		return st;
	/* The kernel copies its own Image at entry: never point it at ours. */
	FDT_TRY(chosen = fdt_path_offset(*fdt, "/chosen"));
	err = fdt_delprop(*fdt, chosen, BATON_CHOSEN_IMAGE);
	if (err < 0 && err != -FDT_ERR_NOTFOUND)
		return fdt_error("removing /chosen/baton,image", err);
	find_late_uart(*fdt);
	return EFI_SUCCESS;
}

void arch_fail_late(const char *why)
{
	static const char prefix[] = "loader: after ExitBootServices: ";

	for (int part = 0; late_uart && part < 3; part++) {
		const char *p = part == 0 ? prefix : part == 1 ? why : "; the CPU halts\r\n";

		for (; *p; p++) {
			while (late_uart[0x18 / 4] & (1 << 5)) /* FR.TXFF */
				;
			late_uart[0] = (u8)*p; /* DR */
		}
	}
	for (;;)
		__asm__ volatile("msr daifset, #0xf; wfi");
}

/* arm64_enter.S: x0 = FDT, x1 = entry, then the ranges to clean. */
__attribute__((noreturn)) void arm64_enter(u64 fdt, u64 entry, u64 image, u64 image_end,
					   u64 fdt_end);

void arch_enter(const struct kernel *k, void *fdt)
{
	u64 f = (u64)(UINTN)fdt;

	arm64_enter(f, k->entry, k->base, k->base + k->span, f + fdt_totalsize(fdt));
}

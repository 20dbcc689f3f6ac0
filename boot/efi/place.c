/*
 * place.c — finds the 2 MiB-aligned pages a kernel image (or the arm64
 * boot FDT, which must not cross a 2 MiB boundary) lives in. Called by the
 * architecture's kernel placement (x86_64.c, arm64.c) through boot
 * services, so only before ExitBootServices.
 */
#include "loader.h"
#include "compiler.h"

/* Lowest 2 MiB-aligned start of conventional memory, 0 if none is found. */
static u64 lowest_ram(void)
{
	UINTN n, key, desc_size;
	UINT32 desc_ver;
	EFI_MEMORY_DESCRIPTOR *map = LibMemoryMap(&n, &key, &desc_size, &desc_ver);
	u64 low = ~0ULL;

	if (!map)
		return 0;
	for (UINTN i = 0; i < n; i++) {
		const EFI_MEMORY_DESCRIPTOR *d = (const void *)((const u8 *)map + i * desc_size);

		if (d->Type == EfiConventionalMemory && d->PhysicalStart < low)
			low = d->PhysicalStart;
	}
	FreePool(map);
	return low == ~0ULL ? 0 : ALIGN_UP(low, ALIGN_2M);
}

EFI_STATUS place_2m(u64 want, u64 span, bool low, u64 *addr)
{
	EFI_PHYSICAL_ADDRESS a;
	EFI_STATUS st = EFI_OUT_OF_RESOURCES;

	if (want) {
		if (!IS_ALIGNED(want, ALIGN_2M) || want + span - 1 > LOADER_MAX_ADDR ||
		    want + span < want) {
			Print(L"loader: 0x%lx must be 2 MiB aligned and the image below 0x%lx\n",
			      want, LOADER_MAX_ADDR);
			return EFI_INVALID_PARAMETER;
		}
		a = want;
		st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress, EfiLoaderData,
				       EFI_SIZE_TO_PAGES(span), &a);
	} else if (low) {
		/* The first 2 MiB-aligned address from the bottom of RAM that
		 * has room (the Image header's flags ask for this). */
		u64 base = lowest_ram();

		for (int i = 0; base && i < 512 && EFI_ERROR(st); i++, base += ALIGN_2M) {
			a = base;
			st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateAddress, EfiLoaderData,
					       EFI_SIZE_TO_PAGES(span), &a);
		}
	} else {
		/* Anywhere: over-allocate by 2 MiB, keep the aligned middle and
		 * give the head and tail back. */
		u64 pages = EFI_SIZE_TO_PAGES(span + ALIGN_2M), head, tail;

		a = LOADER_MAX_ADDR;
		st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
				       pages, &a);
		if (!EFI_ERROR(st)) {
			head = ALIGN_UP(a, ALIGN_2M) - a;
			tail = pages * EFI_PAGE_SIZE - head -
			       EFI_SIZE_TO_PAGES(span) * EFI_PAGE_SIZE;
			if (head)
				uefi_call_wrapper(BS->FreePages, 2, a, head / EFI_PAGE_SIZE);
			a += head;
			if (tail)
				uefi_call_wrapper(BS->FreePages, 2,
						  a + EFI_SIZE_TO_PAGES(span) * EFI_PAGE_SIZE,
						  tail / EFI_PAGE_SIZE);
		}
	}
	if (EFI_ERROR(st)) {
		Print(L"loader: no room for %lu bytes at 0x%lx: %r\n", span, want, st);
		return st;
	}
	*addr = a;
	return EFI_SUCCESS;
}

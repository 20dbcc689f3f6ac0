/*
 * file.c — reads files that sit beside the loader on the ESP (baton.elf or
 * Image, cmdline.txt), for main.c, into pages it allocates the same way for
 * a kernel the loader's own image carries (bundle.c). The folder comes from
 * the loaded image's file path, e.g. \EFI\BOOT\BOOTAA64.EFI -> \EFI\BOOT\.
 */
#include "loader.h"

/* "\EFI\BOOT\" + name, in path (at most len characters). */
static EFI_STATUS sibling_path(EFI_LOADED_IMAGE *li, const CHAR16 *name, CHAR16 *path, UINTN len)
{
	CHAR16 *self = DevicePathToStr(li->FilePath);
	UINTN n = 0, cut = 0;

	if (!self)
		return EFI_OUT_OF_RESOURCES;
	for (UINTN i = 0; self[i] && i + 1 < len; i++) {
		path[n++] = self[i] == L'/' ? L'\\' : self[i];
		if (path[n - 1] == L'\\')
			cut = n;
	}
	FreePool(self);
	for (n = cut; *name && n + 1 < len; name++)
		path[n++] = *name;
	path[n] = 0;
	return EFI_SUCCESS;
}

EFI_STATUS file_buffer(UINTN n, void **data)
{
	EFI_PHYSICAL_ADDRESS buf = LOADER_MAX_ADDR;
	EFI_STATUS st;

	st = uefi_call_wrapper(BS->AllocatePages, 4, AllocateMaxAddress, EfiLoaderData,
			       EFI_SIZE_TO_PAGES(n + 1), &buf);
	if (EFI_ERROR(st))
		return st;
	((char *)(UINTN)buf)[n] = 0; /* text files come back terminated */
	*data = (void *)(UINTN)buf;
	return EFI_SUCCESS;
}

EFI_STATUS file_read(EFI_HANDLE image, const CHAR16 *name, void **data, UINTN *size)
{
	EFI_LOADED_IMAGE *li;
	EFI_FILE_HANDLE root, file;
	EFI_FILE_INFO *info;
	CHAR16 path[256];
	EFI_STATUS st;
	UINTN n;

	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st))
		return st;
	st = sibling_path(li, name, path, sizeof(path) / sizeof(path[0]));
	if (EFI_ERROR(st))
		return st;
	root = LibOpenRoot(li->DeviceHandle);
	if (!root)
		return EFI_NOT_FOUND;
	st = uefi_call_wrapper(root->Open, 5, root, &file, path, EFI_FILE_MODE_READ, 0);
	uefi_call_wrapper(root->Close, 1, root);
	if (EFI_ERROR(st))
		return st;
	info = LibFileInfo(file);
	if (!info) {
		uefi_call_wrapper(file->Close, 1, file);
		return EFI_DEVICE_ERROR;
	}
	n = info->FileSize;
	FreePool(info);
	st = file_buffer(n, data);
	if (!EFI_ERROR(st)) {
		*size = n;
		st = uefi_call_wrapper(file->Read, 3, file, size, *data);
		if (!EFI_ERROR(st) && *size != n)
			st = EFI_END_OF_FILE;
	}
	uefi_call_wrapper(file->Close, 1, file);
	return st;
}

/*
 * bundle.c — the kernel and the command line the loader's own image
 * carries (loader.h), as a unified kernel image carries them: `make image
 * SIGN=...` adds the kernel file as the PE section .kernel and the command
 * line as .cmdline (tools/unified-image), then signs the whole file. The
 * firmware verified all of it before it started the loader when Secure
 * Boot is on, so these bytes, unlike baton.elf and cmdline.txt on the
 * disk, are the signer's.
 *
 * The sections are found in the image as the firmware loaded it
 * (EFI_LOADED_IMAGE_PROTOCOL's ImageBase and ImageSize, pe.c). The kernel
 * is copied into pages below LOADER_MAX_ADDR, as file_read leaves a file:
 * the copy is what the kernel is placed from and what it keeps for kexec
 * (/chosen/baton,image).
 */
#include "loader.h"
#include "pe.h"
#include "kstring.h"

#define SECTION_KERNEL ".kernel"
#define SECTION_CMDLINE ".cmdline"

/* The section name in base's size bytes into *s: 1 found, 0 absent, or
 * EFI_LOAD_ERROR with the reason printed. */
static EFI_STATUS find(const void *base, u64 size, const char *name, struct pe_span *s, bool *found)
{
	char why[ERR_WHY_MAX];
	int r = pe_section(base, size, name, s, why, sizeof(why));

	if (r < 0) {
		Print(L"loader: this image's sections cannot be read: %a\n", why);
		return EFI_LOAD_ERROR;
	}
	*found = r == 1;
	return EFI_SUCCESS;
}

EFI_STATUS bundle_find(EFI_HANDLE image, struct bundle *b)
{
	EFI_LOADED_IMAGE *li;
	struct pe_span ks, cs;
	bool has_kernel, has_cmdline;
	const u8 *base;
	void *copy;
	EFI_STATUS st;

	b->kernel = NULL;
	b->kernel_size = 0;
	b->cmdline = NULL;
	b->cmdline_size = 0;
	st = uefi_call_wrapper(BS->HandleProtocol, 3, image, &LoadedImageProtocol, (void **)&li);
	if (EFI_ERROR(st))
		return st;
	base = li->ImageBase;
	st = find(base, li->ImageSize, SECTION_KERNEL, &ks, &has_kernel);
	if (!EFI_ERROR(st))
		st = find(base, li->ImageSize, SECTION_CMDLINE, &cs, &has_cmdline);
	if (EFI_ERROR(st))
		return st;
	if (!has_kernel && has_cmdline) {
		Print(L"loader: this image has a " SECTION_CMDLINE " section but no " SECTION_KERNEL
		      " section\n");
		return EFI_LOAD_ERROR;
	}
	if (!has_kernel)
		return EFI_SUCCESS;
	if (ks.size == 0) {
		Print(L"loader: this image's " SECTION_KERNEL " section is empty\n");
		return EFI_LOAD_ERROR;
	}
	st = file_buffer(ks.size, &copy);
	if (EFI_ERROR(st))
		return st;
	memcpy(copy, base + ks.offset, ks.size);
	b->kernel = copy;
	b->kernel_size = ks.size;
	if (has_cmdline) {
		b->cmdline = (const char *)base + cs.offset;
		b->cmdline_size = cs.size;
	}
	return EFI_SUCCESS;
}

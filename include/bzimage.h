/*
 * bzimage.h — checking a bzImage, the Linux x86 boot protocol's kernel
 * file (include/bootparam.h), before booting it through its 64-bit entry:
 * the EFI loader's bzImage mode does (boot/efi/bzimage.c), the host tests
 * check Baton's own build/x86_64/bzImage with it, and kexec into a Linux
 * bzImage can.
 */
#ifndef BATON_BZIMAGE_H
#define BATON_BZIMAGE_H

#include "types.h"

/* Where things are, from the setup header. */
struct bzimage_layout {
	u64 setup_size; /* (setup_sects + 1) * 512: the protected-mode part's offset */
	u64 pm_size;    /* the protected-mode part's bytes in the file */
	u64 init_size;  /* bytes it needs from where it is put (>= pm_size) */
	u64 align;      /* kernel_alignment */
	u64 pref_address;
	u32 cmdline_size; /* longest command line, without its NUL */
	u32 hdr_end;      /* the setup header ends here: 0x202 + the byte at 0x201 */
	u16 version;
	u16 xloadflags;
};

/* Whether the file says it is one ("HdrS" at 0x202): what to check it as. */
bool bzimage_is(const void *file, u64 size);

/*
 * Check the size-byte file as Linux 7.3's kexec_file_load (bzImage64_probe
 * and _load) and GRUB 2.06's `linux` check it, for a 64-bit loader that may
 * put it above 4 GiB: "HdrS", boot_flag 0xaa55, protocol 2.12 or later,
 * LOADED_HIGH, XLF_KERNEL_64 and XLF_CAN_BE_LOADED_ABOVE_4G, relocatable,
 * at most 64 setup sectors, a setup header that fits boot_params, a
 * power-of-two kernel_alignment of at least 4 KiB, and an init_size that
 * holds the file's protected-mode part. Returns 0 and fills *l, or a
 * negative code (include/kerrno.h) with what is wrong in why (n bytes;
 * NULL when only the code is wanted).
 */
int bzimage_check(const void *file, u64 size, struct bzimage_layout *l, char *why, size_t n);

#endif

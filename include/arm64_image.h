/*
 * arm64_image.h — the header of an arm64 Linux-format Image, Baton's arm64
 * kernel file (Documentation/arch/arm64/booting.rst): checked by kexec
 * before it starts the next generation from an image copy.
 */
#ifndef BATON_ARM64_IMAGE_H
#define BATON_ARM64_IMAGE_H

#include "types.h"
#include "kerrno.h"

/* The first 64 bytes of the file, little-endian. */
struct arm64_image_header {
	u32 code0, code1;
	u64 text_offset; /* load at a 2 MiB-aligned base + text_offset */
	u64 image_size;  /* bytes the image occupies, bss included */
	u64 flags;       /* bit 0: big-endian; bits 1-2: page size; bit 3: anywhere */
	u64 res2, res3, res4;
	u32 magic; /* ARM64_IMAGE_MAGIC */
	u32 res5;
};
_Static_assert(sizeof(struct arm64_image_header) == 64, "the Image header is 64 bytes");

#define ARM64_IMAGE_MAGIC 0x644d5241 /* "ARM\x64" */

/* Check the header of the size-byte file at image. Returns NULL and sets
 * *span (text_offset + image_size: the bytes from the 2 MiB-aligned base)
 * and *entry_off (text_offset), or returns -ENOEXEC with what is wrong in
 * why (n bytes). */
int arm64_image_check(const void *image, u64 size, u64 *span, u64 *entry_off, char *why, size_t n);

#endif

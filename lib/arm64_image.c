/*
 * arm64_image.c — checks an arm64 Image header (include/arm64_image.h)
 * against the file it heads. Trusts nothing: every field that leads to
 * memory is bounded.
 */
#include "arm64_image.h"
#include "compiler.h"
#include "kerrno.h"
#include "kstring.h"

#define IMAGE_FLAG_BE (1ULL << 0)
#define IMAGE_FLAG_PAGE_SHIFT 1
#define IMAGE_FLAG_PAGE_MASK (3ULL << IMAGE_FLAG_PAGE_SHIFT)
#define IMAGE_PAGE_4K 1
#define IMAGE_MAX_SPAN (1ULL << 30)

int arm64_image_check(const void *image, u64 size, u64 *span, u64 *entry_off, char *why, size_t n)
{
	struct arm64_image_header h;
	u64 page;

	if (size < sizeof(h))
		return err_why(why, n, -ENOEXEC, "shorter than an Image header");
	memcpy(&h, image, sizeof(h));
	if (h.magic != ARM64_IMAGE_MAGIC)
		return err_why(why, n, -ENOEXEC, "no arm64 Image magic");
	if (h.flags & IMAGE_FLAG_BE)
		return err_why(why, n, -ENOEXEC, "a big-endian Image");
	page = (h.flags & IMAGE_FLAG_PAGE_MASK) >> IMAGE_FLAG_PAGE_SHIFT;
	if (page != 0 && page != IMAGE_PAGE_4K)
		return err_why(why, n, -ENOEXEC, "an Image for a page size other than 4 KiB");
	if (h.image_size == 0 || h.image_size < size)
		return err_why(why, n, -ENOEXEC, "image_size is 0 or smaller than the file");
	if (!IS_ALIGNED(h.text_offset, 4096) || h.text_offset > IMAGE_MAX_SPAN ||
	    h.image_size > IMAGE_MAX_SPAN)
		return err_why(why, n, -ENOEXEC, "text_offset or image_size out of bounds");
	*span = h.text_offset + h.image_size;
	*entry_off = h.text_offset;
	return 0;
}

/*
 * test_arm64_image.c — lib/arm64_image.c, the check kexec runs on the
 * arm64 Image copy before it starts the next generation from it: a sound
 * header passes with its layout, and each rule, broken alone, is refused.
 */
#include <string.h>

#include "harness.h"
#include "arm64_image.h"

static u8 file[8192];

/* A sound header for a 8 KiB file that occupies 64 KiB once loaded. */
static struct arm64_image_header *sound(void)
{
	struct arm64_image_header *h = (void *)file;

	memset(file, 0, sizeof(file));
	h->text_offset = 0;
	h->image_size = 64 * 1024;
	h->flags = 0xa; /* little-endian, 4 KiB pages, anywhere */
	h->magic = ARM64_IMAGE_MAGIC;
	return h;
}

/* The check's sentence, or NULL when it accepts; a refusal is -ENOEXEC. */
static const char *check(u64 size, u64 *span, u64 *entry)
{
	static char why[ERR_WHY_MAX];
	int err = arm64_image_check(file, size, span, entry, why, sizeof(why));

	EXPECT(err == 0 || err == -ENOEXEC);
	return err ? why : NULL;
}

TEST(arm64_image, sound_header_gives_layout)
{
	struct arm64_image_header *h = sound();
	u64 span = 0, entry = 1;

	EXPECT_STR(check(sizeof(file), &span, &entry), NULL);
	EXPECT_EQ(span, 64 * 1024);
	EXPECT_EQ(entry, 0);
	h->text_offset = 0x80000; /* Linux's old default: placed at base + 512 KiB */
	h->flags = 0;             /* page size unspecified: 4 KiB is fine */
	EXPECT_STR(check(sizeof(file), &span, &entry), NULL);
	EXPECT_EQ(span, 0x80000 + 64 * 1024);
	EXPECT_EQ(entry, 0x80000);
}

TEST(arm64_image, each_broken_rule_is_refused)
{
	u64 span, entry;

	sound();
	EXPECT_STR(check(63, &span, &entry), "shorter than an Image header");
	sound()->magic ^= 1;
	EXPECT_STR(check(sizeof(file), &span, &entry), "no arm64 Image magic");
	sound()->flags |= 1;
	EXPECT_STR(check(sizeof(file), &span, &entry), "a big-endian Image");
	sound()->flags = 2 << 1; /* 16 KiB pages */
	EXPECT_STR(check(sizeof(file), &span, &entry), "an Image for a page size other than 4 KiB");
	sound()->image_size = 0; /* pre-3.17 Linux: size unknown */
	EXPECT_STR(check(sizeof(file), &span, &entry), "image_size is 0 or smaller than the file");
	sound()->image_size = sizeof(file) - 1;
	EXPECT_STR(check(sizeof(file), &span, &entry), "image_size is 0 or smaller than the file");
	sound()->text_offset = 0x1234;
	EXPECT_STR(check(sizeof(file), &span, &entry), "text_offset or image_size out of bounds");
	sound()->text_offset = (1ULL << 30) + 4096;
	EXPECT_STR(check(sizeof(file), &span, &entry), "text_offset or image_size out of bounds");
	sound()->image_size = ~0ULL; /* would wrap text_offset + image_size */
	EXPECT_STR(check(sizeof(file), &span, &entry), "text_offset or image_size out of bounds");
}

/*
 * test_pe.c — boot/efi/pe.c, a named section of a PE image as the
 * firmware loaded it: what the EFI loader reads its own .kernel and
 * .cmdline sections with (boot/efi/bundle.c). The images are built here,
 * field by field, in the loaded layout (a section's bytes at its
 * VirtualAddress).
 */
#include <string.h>

#include "harness.h"
#include "kerrno.h"
#include "boot/efi/pe.h"

#define IMAGE_SIZE 0x4000
#define PE_AT 0x80
#define OPT_SIZE 0xf0
#define TABLE_AT (PE_AT + 4 + 20 + OPT_SIZE)

static u8 image[IMAGE_SIZE];

static void put16(u64 at, u32 v)
{
	image[at] = (u8)v;
	image[at + 1] = (u8)(v >> 8);
}

static void put32(u64 at, u32 v)
{
	put16(at, v & 0xffff);
	put16(at + 2, v >> 16);
}

/* Section i: name (up to 8 bytes, not NUL-ended at 8), size bytes at vaddr. */
static void section(unsigned i, const char *name, u32 size, u32 vaddr)
{
	u64 s = TABLE_AT + i * 40u;

	memset(image + s, 0, 40);
	memcpy(image + s, name, strlen(name));
	put32(s + 8, size);
	put32(s + 12, vaddr);
}

/* An image with n sections: .text, .cmdline and .kernel, in that order. */
static void build(unsigned n)
{
	memset(image, 0, sizeof(image));
	image[0] = 'M';
	image[1] = 'Z';
	put32(0x3c, PE_AT);
	memcpy(image + PE_AT, "PE\0\0", 4);
	put16(PE_AT + 4, 0x8664);
	put16(PE_AT + 4 + 2, n);
	put16(PE_AT + 4 + 16, OPT_SIZE);
	section(0, ".text", 0x800, 0x1000);
	section(1, ".cmdline", 10, 0x2000);
	section(2, ".kernel", 0x1800, 0x2800);
}

TEST(pe, finds_each_section)
{
	struct pe_span s;
	char why[ERR_WHY_MAX];

	build(3);
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kernel", &s, why, sizeof(why)), 1);
	EXPECT_EQ(s.offset, 0x2800);
	EXPECT_EQ(s.size, 0x1800);
	/* Eight bytes, no NUL in the header's name field. */
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".cmdline", &s, why, sizeof(why)), 1);
	EXPECT_EQ(s.offset, 0x2000);
	EXPECT_EQ(s.size, 10);
	/* A section that ends exactly where the image does is inside it. */
	EXPECT_EQ(pe_section(image, 0x4000, ".kernel", &s, why, sizeof(why)), 1);
}

TEST(pe, absent_and_near_names)
{
	struct pe_span s;
	char why[ERR_WHY_MAX];

	build(3);
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".initrd", &s, why, sizeof(why)), 0);
	/* A prefix of a name is not the name, nor is a longer name. */
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kern", &s, why, sizeof(why)), 0);
	section(2, ".kernel2", 0x1800, 0x2800);
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kernel", &s, why, sizeof(why)), 0);
	/* Sections past NumberOfSections are not looked at. */
	build(2);
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kernel", &s, why, sizeof(why)), 0);
}

TEST(pe, bad_names_refused)
{
	struct pe_span s;
	char why[ERR_WHY_MAX];

	build(3);
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, "", &s, why, sizeof(why)), -EINVAL);
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kernel12", &s, why, sizeof(why)), -EINVAL);
	EXPECT_STR(why, "a section name is 1 to 8 bytes, not 9");
}

TEST(pe, headers_checked)
{
	struct pe_span s;
	char why[ERR_WHY_MAX];

	build(3);
	image[0] = 'Z';
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kernel", &s, why, sizeof(why)), -ENOEXEC);
	EXPECT_STR(why, "no MZ header");
	EXPECT_EQ(pe_section(image, 0x3f, ".kernel", &s, why, sizeof(why)), -ENOEXEC);

	build(3);
	put32(0x3c, IMAGE_SIZE - 8); /* the COFF header would run past the end */
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kernel", &s, why, sizeof(why)), -ENOEXEC);
	EXPECT_STR(why, "no PE signature within the image");
	put32(0x3c, 0xffffffff);
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kernel", &s, why, sizeof(why)), -ENOEXEC);

	build(3);
	image[PE_AT + 1] = 'X';
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kernel", &s, why, sizeof(why)), -ENOEXEC);
}

TEST(pe, section_table_past_the_image)
{
	struct pe_span s;
	char why[ERR_WHY_MAX];

	build(3);
	put16(PE_AT + 4 + 2, 0xffff);
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kernel", &s, why, sizeof(why)), -ENOEXEC);
	EXPECT_STR(why, "65535 section headers run past the image");
	build(3);
	put16(PE_AT + 4 + 16, 0xffff); /* the optional header's size */
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kernel", &s, why, sizeof(why)), -ENOEXEC);
	/* The table ends one byte past a truncated image. */
	build(3);
	EXPECT_EQ(pe_section(image, TABLE_AT + 3 * 40 - 1, ".kernel", &s, why, sizeof(why)),
		  -ENOEXEC);
}

TEST(pe, section_past_the_image)
{
	struct pe_span s;
	char why[ERR_WHY_MAX];

	build(3);
	EXPECT_EQ(pe_section(image, 0x3fff, ".kernel", &s, why, sizeof(why)), -ENOEXEC);
	EXPECT_STR(why, "section .kernel (0x1800 bytes at 0x2800) runs past the image's 0x3fff");
	/* An address and size whose sum wraps in 32 bits. */
	section(2, ".kernel", 0xffffffff, 0x2800);
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kernel", &s, why, sizeof(why)), -ENOEXEC);
	section(2, ".kernel", 0x10, 0xfffffff8);
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kernel", &s, why, sizeof(why)), -ENOEXEC);
	/* A bad section that is not the one asked for is not looked at. */
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".cmdline", &s, why, sizeof(why)), 1);
}

TEST(pe, two_sections_of_one_name_refused)
{
	struct pe_span s;
	char why[ERR_WHY_MAX];

	build(3);
	section(0, ".kernel", 0x800, 0x1000);
	EXPECT_EQ(pe_section(image, IMAGE_SIZE, ".kernel", &s, why, sizeof(why)), -EINVAL);
	EXPECT_STR(why, "two .kernel sections");
}

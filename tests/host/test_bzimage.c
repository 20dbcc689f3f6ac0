/*
 * test_bzimage.c — lib/bzimage.c, the bzImage check (Linux 7.3's
 * kexec_file_load and GRUB 2.06's rules), on the bzImage the x86-64 build
 * makes (build/x86_64/bzImage; host.mk builds it first) and on copies of it
 * with one field broken at a time. Also what loaders read in Baton's setup
 * header beyond those rules: the values boot/linux/header.S promises, an
 * init_size that holds what the front end needs, the payload ELF and
 * kernel_info.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "bootparam.h"
#include "bzimage.h"
#include "cmdline.h"
#include "elf64.h"
#include "elf_load.h"
#include "kerrno.h"
#include "boot/linux/linuxboot.h"

#define BZIMAGE "build/x86_64/bzImage"

static u8 *file;
static long size;

static void load(void)
{
	FILE *f = fopen(BZIMAGE, "rb");

	if (!f)
		host_fail(__FILE__, __LINE__, "cannot open %s (make ARCH=x86_64 bzimage)", BZIMAGE);
	REQUIRE(f);
	REQUIRE(fseek(f, 0, SEEK_END) == 0 && (size = ftell(f)) > 0);
	rewind(f);
	REQUIRE((file = malloc((size_t)size)) != NULL);
	REQUIRE(fread(file, 1, (size_t)size, f) == (size_t)size);
	fclose(f);
}

static struct setup_header *hdr(void)
{
	return (struct setup_header *)(file + BP_HDR_OFFSET);
}

TEST(bzimage, baton_passes_linux_and_grub_rules)
{
	struct bzimage_layout l;

	load();
	REQUIRE(bzimage_check(file, (u64)size, &l, NULL, 0) == 0);
	EXPECT_EQ(l.setup_size, (hdr()->setup_sects + 1) * 512);
	EXPECT_EQ(l.pm_size, (u64)size - l.setup_size);
	EXPECT_EQ(l.version, 0x020f);
	EXPECT_EQ(l.xloadflags, XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G);
	EXPECT_EQ(l.align, 0x200000);
	EXPECT_EQ(l.pref_address, 0x1000000);
	EXPECT_EQ(l.cmdline_size, CMDLINE_MAX - 1);
	EXPECT_EQ(l.hdr_end, 0x26c);
}

/* The rest of what header.S writes, as loaders read it. */
TEST(bzimage, baton_setup_header)
{
	const struct setup_header *h;

	load();
	h = hdr();
	EXPECT_EQ(file[0x1ef], 0xff); /* the sentinel */
	EXPECT_EQ(file[0x200], 0xeb); /* a short jump over the header */
	EXPECT_EQ(h->loadflags, LOADED_HIGH);
	EXPECT_EQ(h->code32_start, BP_HIGH_LOAD);
	EXPECT_EQ(h->relocatable_kernel, 1);
	EXPECT_EQ(h->min_alignment, 12);
	EXPECT_EQ(h->handover_offset, 0);
	EXPECT_EQ(h->initrd_addr_max, 0x7fffffff);
	EXPECT_EQ((u64)h->syssize * 16, (u64)size - (h->setup_sects + 1) * 512);
	/* kernel_version points at a string in the setup sectors. */
	EXPECT(h->kernel_version + 0x200 < (h->setup_sects + 1) * 512);
	EXPECT(strncmp((const char *)file + h->kernel_version + 0x200, "Baton ", 6) == 0);
}

/* The payload is the kernel ELF (elf_load.c takes it, as kexec will), and
 * init_size holds the front end's window: the file, the worst 2 MiB
 * alignment gap, the kernel with its bss, its FDT, and the work area. */
TEST(bzimage, baton_payload_and_init_size)
{
	const struct setup_header *h;
	const struct kernel_info *ki;
	struct elf_layout el;
	u64 pm;

	load();
	h = hdr();
	pm = (h->setup_sects + 1) * 512;
	REQUIRE(h->payload_offset && (u64)h->payload_offset + h->payload_length <= (u64)size - pm);
	REQUIRE(elf_layout(file + pm + h->payload_offset, h->payload_length, EM_X86_64, &el, NULL,
			   0) == 0);
	EXPECT(IS_ALIGNED(h->payload_offset, 4096));
	EXPECT(h->init_size >= ALIGN_UP((u64)size - pm, 4096) + 0x200000 - 0x1000 +
				       ALIGN_UP(el.span, 4096) + LB_FDT_SIZE + 0x10000);
	REQUIRE(h->kernel_info_offset + sizeof(*ki) <= (u64)size - pm);
	ki = (const struct kernel_info *)(file + pm + h->kernel_info_offset);
	EXPECT_EQ(ki->header, KERNEL_INFO_MAGIC);
	EXPECT_EQ(ki->size, sizeof(*ki));
	EXPECT_EQ(ki->size_total, sizeof(*ki));
	EXPECT_EQ(ki->setup_type_max, SETUP_TYPE_MAX);
}

/* Each rule refuses a copy with its field broken, with its own code and
 * words. */
TEST(bzimage, refusals)
{
	static const struct {
		u32 off, len;
		u64 value;
		int err;
		const char *why;
	} cases[] = {
		{ 0x202, 4, 0x53726449, -ENOEXEC, "no \"HdrS\" at 0x202: not a bzImage" },
		{ 0x1fe, 2, 0x55aa, -ENOEXEC, "no 0xaa55 at 0x1fe: not a bzImage" },
		{ 0x206, 2, 0x020b, -EPROTO, "boot protocol older than 2.12 (no xloadflags)" },
		{ 0x211, 1, 0, -ENOEXEC, "a zImage, not a bzImage (LOADED_HIGH clear)" },
		{ 0x236, 2, XLF_CAN_BE_LOADED_ABOVE_4G, -ENOEXEC,
		  "no 64-bit entry (XLF_KERNEL_64 clear)" },
		{ 0x236, 2, XLF_KERNEL_64, -ENOEXEC,
		  "cannot be loaded above 4 GiB (XLF_CAN_BE_LOADED_ABOVE_4G clear)" },
		{ 0x234, 1, 0, -ENOEXEC, "not relocatable" },
		{ 0x1f1, 1, 65, -EINVAL, "more than 64 setup sectors" },
		{ 0x201, 1, 0x90, -E2BIG, "a setup header longer than boot_params has room for" },
		{ 0x230, 4, 0x200001, -EINVAL,
		  "kernel_alignment is not a power of two of at least 4 KiB" },
		{ 0x230, 4, 0x800, -EINVAL,
		  "kernel_alignment is not a power of two of at least 4 KiB" },
		{ 0x260, 4, 0x1000, -EINVAL,
		  "init_size does not hold the protected-mode part (or is over 1 GiB)" },
		{ 0x260, 4, 0x40001000, -EINVAL,
		  "init_size does not hold the protected-mode part (or is over 1 GiB)" },
	};
	struct bzimage_layout l;
	char why[ERR_WHY_MAX];
	u8 *copy;

	load();
	REQUIRE((copy = malloc((size_t)size)) != NULL);
	for (size_t i = 0; i < ARRAY_SIZE(cases); i++) {
		memcpy(copy, file, (size_t)size);
		memcpy(copy + cases[i].off, &cases[i].value, cases[i].len);
		why[0] = '\0';
		EXPECT_EQ(bzimage_check(copy, (u64)size, &l, why, sizeof(why)), cases[i].err);
		EXPECT_STR(why, cases[i].why);
	}
	EXPECT_EQ(bzimage_check(file, 1023, &l, why, sizeof(why)), -ENOEXEC);
	EXPECT_STR(why, "shorter than two sectors: not a bzImage");
	EXPECT_EQ(bzimage_check(file, (hdr()->setup_sects + 1) * 512, &l, why, sizeof(why)),
		  -EBADMSG);
	EXPECT_STR(why, "no protected-mode part after the setup sectors");
	/* Without a buffer, only the code. */
	EXPECT_EQ(bzimage_check(file, 1023, &l, NULL, 0), -ENOEXEC);
	free(copy);
}

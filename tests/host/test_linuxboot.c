/*
 * test_linuxboot.c — the bzImage front end's boot_params conversion
 * (boot/linux/: bootparams.c, e820.c, rsdp.c, place.c, fdt.c) on a fake
 * physical memory, with boot_params shaped as GRUB, QEMU and Linux's
 * kexec fill them in, and hostile ones: setup_data chains that loop, run
 * past 2^64 or never end, e820 maps that overlap, wrap or overflow; and
 * one made from a boot FDT by lib/zeropage.c, as Baton's EFI loader makes
 * it.
 *
 * The fake memory and lb_note are fake_phys.c's: 32 MiB at physical 0 (so
 * the BIOS areas exist), 1 MiB at 4 GiB, and the last page below 2^64; the
 * front end's lines are collected for the tests to read. Each FDT the front end
 * writes is then read back by the kernel's own reader (kernel/bootfdt.c),
 * which must accept it and see the same memory.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "harness.h"
#include "host.h"
#include "bootfdt.h"
#include "kerrno.h"
#include "zeropage.h"
#include "boot/pc_fdt.h"
#include "boot/linux/linuxboot.h"
#include "fake_phys.h"

#define BP 0x10000ULL  /* where the tests put the boot_params */
#define CMD 0x20000ULL /* and the command line */
#define SD 0x30000ULL  /* and setup_data nodes, 0x100 apart */

/* A zeroed boot_params at BP with the setup header a loader copies from
 * the bzImage (only what the front end reads) and GRUB's loader type. */
static struct boot_params *bp_new(void)
{
	struct boot_params *bp = fake_at(BP);

	memset(bp, 0, sizeof(*bp));
	bp->hdr.header = BP_HDR_MAGIC;
	bp->hdr.version = 0x020f;
	bp->hdr.type_of_loader = 0x72;
	return bp;
}

static void e820(struct boot_params *bp, u64 addr, u64 size, u32 type)
{
	bp->e820_table[bp->e820_entries++] = (struct boot_e820_entry){ addr, size, type };
}

/* A QEMU-like PC with 512 MiB: the usual holes, ACPI tables at the top,
 * the RSDP where SeaBIOS puts it. */
static struct boot_params *bp_pc(const char *cmdline)
{
	struct boot_params *bp = bp_new();

	e820(bp, 0, 0x9fc00, E820_TYPE_RAM);
	e820(bp, 0x9fc00, 0x400, E820_TYPE_RESERVED);
	e820(bp, 0xf0000, 0x10000, E820_TYPE_RESERVED);
	e820(bp, 0x100000, 0x1fee0000, E820_TYPE_RAM);
	e820(bp, 0x1ffe0000, 0x20000, E820_TYPE_ACPI);
	e820(bp, 0xfeffc000, 0x4000, E820_TYPE_RESERVED);
	fake_rsdp(0xf59e0);
	if (cmdline) {
		strcpy(fake_at(CMD), cmdline);
		bp->hdr.cmd_line_ptr = CMD;
	}
	return bp;
}

/* A setup_data node at pa. */
static void sd(u64 pa, u64 next, u32 type, u32 len, const void *data)
{
	struct setup_data *s = lb_map(pa, sizeof(*s) + (data ? len : 0));

	REQUIRE(s);
	s->next = next;
	s->type = type;
	s->len = len;
	if (data) /* else the data are whatever is there */
		memcpy(s->data, data, len);
}

static struct lb_info info;
static u64 fdt_buf[LB_FDT_SIZE / 8];

/* The boot FDT for info, which the kernel's reader must accept. */
static void *fdt_of(const char *why)
{
	struct lb_range image = { 0x1009000, 0x1d000 };
	char bad[ERR_WHY_MAX];

	REQUIRE(lb_fdt_build(fdt_buf, sizeof(fdt_buf), &info, image, why) == 0);
	if (bootfdt_check(fdt_buf, fdt_totalsize(fdt_buf), bad, sizeof(bad)))
		host_fail(__FILE__, __LINE__, "the kernel refuses the FDT: %s", bad);
	return fdt_buf;
}

static bool chosen_range(const void *fdt, const char *name, u64 base, u64 size)
{
	struct mem_range r;

	return bootfdt_chosen_range(fdt, name, &r) && r.base == base && r.size == size;
}

/* ---- the whole conversion, as a loader fills a boot_params ---- */

TEST(linuxboot, grub_like_boot)
{
	struct boot_params *bp = bp_pc("BOOT_IMAGE=/bzImage ktest=all kexec.chain=3");
	struct mem_range ram[8];
	struct bootfdt_resv resv[8];
	const void *fdt;
	u64 v;

	bp->hdr.ramdisk_image = 0x1f000000;
	bp->hdr.ramdisk_size = 0x12345;
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_STR(info.cmdline, "BOOT_IMAGE=/bzImage ktest=all kexec.chain=3");
	EXPECT_EQ(info.loader_type, 0x72);
	EXPECT_EQ(info.initrd_base, 0x1f000000);
	EXPECT_EQ(info.initrd_size, 0x12345);
	EXPECT(!info.kho);

	fdt = fdt_of(NULL);
	EXPECT_STR(bootfdt_bootargs(fdt), "BOOT_IMAGE=/bzImage ktest=all kexec.chain=3");
	EXPECT_STR(bootfdt_chosen_string(fdt, "baton,loader"), "bzimage-x86_64");
	EXPECT_STR(bootfdt_chosen_string(fdt, "stdout-path"), "serial0:115200n8");
	EXPECT(bootfdt_chosen_string(fdt, "baton,loader-error") == NULL);
	EXPECT(chosen_range(fdt, "baton,image", 0x1009000, 0x1d000));
	EXPECT(bootfdt_chosen_u64(fdt, "linux,initrd-start", &v) && v == 0x1f000000);
	EXPECT(bootfdt_chosen_u64(fdt, "linux,initrd-end", &v) && v == 0x1f012345);
	EXPECT(bootfdt_chosen_u64(fdt, "baton,acpi-rsdp", &v) && v == 0xf59e0);
	/* RAM: the low 640 KiB less its partial last page, and 1 MiB up to
	 * the end, ACPI included; the ACPI tables are also reserved. */
	REQUIRE(bootfdt_memory(fdt, ram, 8) == 2);
	EXPECT_EQ(ram[0].base, 0);
	EXPECT_EQ(ram[0].size, 0x9f000);
	EXPECT_EQ(ram[1].base, 0x100000);
	EXPECT_EQ(ram[1].size, 0x1ff00000);
	REQUIRE(bootfdt_reserved(fdt, resv, 8) == 1);
	EXPECT_EQ(resv[0].base, 0x1ffe0000);
	EXPECT_EQ(resv[0].size, 0x20000);
	EXPECT(fdt_path_offset(fdt, "/isa/serial@3f8") >= 0);
	EXPECT(fdt_path_offset(fdt, "/memory@0") >= 0);
	/* Nothing to say about a boot_params like this one. */
	EXPECT_STR(host_log(), "");
}

TEST(linuxboot, no_boot_params)
{
	EXPECT_STR(bootparams_read(0, &info), "no boot_params (rsi/esi is 0 or out of reach)");
	EXPECT_STR(bootparams_read(FAKE_LOW_SIZE - 0x800, &info),
		   "no boot_params (rsi/esi is 0 or out of reach)");
	EXPECT_STR(bootparams_read(0x123456789000ULL, &info),
		   "no boot_params (rsi/esi is 0 or out of reach)");
}

TEST(linuxboot, no_setup_header)
{
	struct boot_params *bp = bp_pc("a=1");

	bp->hdr.header = 0x53726449;
	EXPECT_STR(bootparams_read(BP, &info),
		   "the boot_params has no setup header (no \"HdrS\" at 0x202): not a boot_params");
}

/* GRUB 2.06 clears the bytes of boot_flag in its copy: not a reason to stop. */
TEST(linuxboot, boot_flag_not_required)
{
	struct boot_params *bp = bp_pc("a=1");

	bp->hdr.boot_flag = 0;
	EXPECT(bootparams_read(BP, &info) == NULL);
}

/* A fatal boot_params still gives the kernel an FDT with the reason. */
TEST(linuxboot, no_e820_is_fatal_with_reason)
{
	const char *why;

	bp_new();
	why = bootparams_read(BP, &info);
	EXPECT_STR(why,
		   "the loader passed no e820 memory map (e820_entries is 0, no SETUP_E820_EXT)");
	EXPECT_STR(bootfdt_chosen_string(fdt_of(why), "baton,loader-error"), why);
}

TEST(linuxboot, e820_without_ram_is_fatal)
{
	struct boot_params *bp = bp_new();

	e820(bp, 0, 0x100000, E820_TYPE_RESERVED);
	e820(bp, 0x100000, 0x1000000, E820_TYPE_UNUSABLE);
	e820(bp, 0x2000000, 0x800, E820_TYPE_RAM); /* less than a page */
	EXPECT_STR(bootparams_read(BP, &info), "the memory map has no RAM in it");
}

/* ---- e820 ---- */

static bool e820_sorted(const struct boot_e820_entry *e, int n)
{
	memset(&info, 0, sizeof(info));
	return e820_sort_out(e, n, &info);
}

#define RAM(i, b, s)                              \
	do {                                      \
		EXPECT_EQ(info.ram[i].base, (b)); \
		EXPECT_EQ(info.ram[i].size, (s)); \
	} while (0)
#define RESV(i, b, s)                              \
	do {                                       \
		EXPECT_EQ(info.resv[i].base, (b)); \
		EXPECT_EQ(info.resv[i].size, (s)); \
	} while (0)

/* A reserved hole inside RAM wins, in any order, and splits it. */
TEST(e820, hole_inside_ram_wins)
{
	struct boot_e820_entry e[] = {
		{ 0x1000000, 0x100000, E820_TYPE_RESERVED },
		{ 0, 0x4000000, E820_TYPE_RAM },
	};

	REQUIRE(e820_sorted(e, 2));
	EXPECT_EQ(info.nr_ram, 2);
	RAM(0, 0, 0x1000000);
	RAM(1, 0x1100000, 0x2f00000);
	EXPECT_EQ(info.nr_resv, 0);
}

/* Touching and overlapping RAM entries, repeats and ACPI in between: one
 * range of RAM; ACPI and NVS are RAM the firmware keeps. */
TEST(e820, merges_touching_and_repeated)
{
	struct boot_e820_entry e[] = {
		{ 0x200000, 0x100000, E820_TYPE_RAM }, { 0x100000, 0x100000, E820_TYPE_RAM },
		{ 0x100000, 0x100000, E820_TYPE_RAM }, { 0x300000, 0x10000, E820_TYPE_ACPI },
		{ 0x310000, 0x10000, E820_TYPE_NVS },  { 0x320000, 0xe0000, E820_TYPE_RAM },
		{ 0x380000, 0x100000, E820_TYPE_RAM }, /* overlaps the one before */
	};

	REQUIRE(e820_sorted(e, 7));
	EXPECT_EQ(info.nr_ram, 1);
	RAM(0, 0x100000, 0x380000);
	EXPECT_EQ(info.nr_resv, 1);
	RESV(0, 0x300000, 0x20000);
}

/* RAM is trimmed inward to whole pages; reservations widened outward; a
 * zero-sized entry is nothing. */
TEST(e820, pages)
{
	struct boot_e820_entry e[] = {
		{ 0x800, 0x9f400, E820_TYPE_RAM }, /* 0x800-0x9fc00 */
		{ 0x100000, 0, E820_TYPE_RESERVED },
		{ 0x100000, 0x1000000, E820_TYPE_RAM },
		{ 0x1100010, 0x20, E820_TYPE_NVS },
		{ 0x2000000, 0xfff, E820_TYPE_RAM }, /* no whole page */
	};

	REQUIRE(e820_sorted(e, 5));
	EXPECT_EQ(info.nr_ram, 2); /* the NVS bytes and the last entry hold no whole page */
	RAM(0, 0x1000, 0x9e000);
	RAM(1, 0x100000, 0x1000000);
	EXPECT_EQ(info.nr_resv, 1);
	RESV(0, 0x1100000, 0x1000);
}

/* Types: 7 (persistent memory) is RAM as UEFI's map counts it for the EFI
 * loader; unknown and soft-reserved types are holes. */
TEST(e820, types)
{
	struct boot_e820_entry e[] = {
		{ 0x100000, 0x100000, E820_TYPE_PMEM },
		{ 0x200000, 0x100000, 20 },         /* GRUB's EFI runtime code */
		{ 0x300000, 0x100000, 0xefffffff }, /* soft reserved */
		{ 0x400000, 0x100000, E820_TYPE_PRAM },
		{ 0x500000, 0x100000, E820_TYPE_UNUSABLE },
	};

	REQUIRE(e820_sorted(e, 5));
	EXPECT_EQ(info.nr_ram, 1);
	RAM(0, 0x100000, 0x100000);
}

/* An entry that runs past 2^64, or past 2^52 where x86 physical
 * addresses end, is skipped with a line; memory up to 2^52 is taken. */
TEST(e820, wrapping_entry_skipped)
{
	struct boot_e820_entry e[] = {
		{ 0x100000, 0x100000, E820_TYPE_RAM },
		{ 0xfffffffffff00000ULL, 0x200000, E820_TYPE_RAM },
		{ 0xffffffffffff0000ULL, 0x10000, E820_TYPE_NVS },  /* ends at exactly 2^64 */
		{ 0xffffff0000000ULL, 0x10000000, E820_TYPE_RAM },  /* ends at 2^52 */
		{ 0xffffff0000000ULL, 0x10000001, E820_TYPE_ACPI }, /* one byte more */
	};

	REQUIRE(e820_sorted(e, 5));
	EXPECT_NOTE("e820: entry 1 (type 1, 0xfffffffffff00000 + 0x200000) runs past 2^52, where "
		    "no x86 memory is: ignored");
	EXPECT_NOTE("e820: entry 2 (type 4, 0xffffffffffff0000 + 0x10000) runs past 2^52");
	EXPECT_NOTE("e820: entry 4 (type 3, 0xffffff0000000 + 0x10000001) runs past 2^52");
	EXPECT_EQ(info.nr_ram, 2);
	RAM(0, 0x100000, 0x100000);
	RAM(1, 0xffffff0000000ULL, 0x10000000);
	EXPECT_EQ(info.nr_resv, 0);
}

/* More separate ranges than the kernel takes: refused, with a line. */
TEST(e820, too_many_ranges)
{
	static struct boot_e820_entry e[LB_MAX_RANGES + 1];

	for (int i = 0; i <= LB_MAX_RANGES; i++)
		e[i] = (struct boot_e820_entry){ (u64)i * 0x200000, 0x100000, E820_TYPE_RAM };
	EXPECT(!e820_sorted(e, LB_MAX_RANGES + 1));
	EXPECT_NOTE("e820: the map has more than 128 separate ranges");
	EXPECT(e820_sorted(e, LB_MAX_RANGES));
	EXPECT_EQ(info.nr_ram, LB_MAX_RANGES);
}

/* e820_entries claims more than the zero page holds: the 128 are read. */
TEST(e820, zero_page_count_capped)
{
	struct boot_params *bp = bp_new();

	for (int i = 0; i < E820_MAX_ENTRIES_ZEROPAGE; i++)
		e820(bp, 0x100000 + (u64)i * 0x100000, 0x100000, E820_TYPE_RAM);
	bp->e820_entries = 200;
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("e820_entries is 200, the zero page holds 128");
	EXPECT_EQ(info.nr_ram, 1);
	RAM(0, 0x100000, 128 * 0x100000);
}

/* ---- setup_data ---- */

/* SETUP_E820_EXT: more entries after the zero page's (a map with no zero
 * page entries at all is fine); a length that is not whole entries is
 * read down to whole ones. */
TEST(setup_data, e820_ext)
{
	struct boot_params *bp = bp_new();
	struct boot_e820_entry ext[3] = {
		{ 0x100000, 0x1000000, E820_TYPE_RAM },
		{ 0x2000000, 0x1000000, E820_TYPE_RAM },
		{ 0x4000000, 0x1000000, E820_TYPE_RAM },
	};

	u8 odd[sizeof(ext[0]) + 7] = { 0 };

	memcpy(odd, &ext[2], sizeof(ext[0]));
	bp->hdr.setup_data = SD;
	sd(SD, SD + 0x100, SETUP_E820_EXT, 2 * sizeof(ext[0]), ext);
	sd(SD + 0x100, SD + 0x200, SETUP_E820_EXT, sizeof(odd), odd);
	sd(SD + 0x200, 0, SETUP_E820_EXT, 0, NULL); /* no data at all (the fuzzer's find) */
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("setup_data 1: SETUP_E820_EXT of 27 bytes is not whole entries; 1 read");
	EXPECT_EQ(info.nr_ram, 3);
	RAM(2, 0x4000000, 0x1000000);
}

/* A chain that comes back to an earlier node: what came before is taken,
 * the loop is said and ends the walk. */
TEST(setup_data, loop)
{
	struct boot_params *bp = bp_pc("a=1");
	struct kho_data k = { 0x1000000, 0x1000, 0x1001000, 16 };
	u64 scratch[2] = { 0x2000000, 0x1000000 };

	memcpy(fake_at(0x1001000), scratch, sizeof(scratch));
	bp->hdr.setup_data = SD;
	sd(SD, SD + 0x100, SETUP_RNG_SEED, 32, NULL);
	sd(SD + 0x100, SD + 0x200, SETUP_KEXEC_KHO, sizeof(k), &k);
	sd(SD + 0x200, SD + 0x100, SETUP_EFI, 16, NULL);
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE(
		"setup_data 3 at 0x30100 is entry 1 again: the chain loops; the rest is ignored");
	EXPECT(info.kho);
	EXPECT_NOTE("setup_data 2: type 4 (SETUP_EFI: the EFI runtime map;");
	EXPECT_NOTE("setup_data 0: type 9 (SETUP_RNG_SEED");
}

TEST(setup_data, self_loop)
{
	struct boot_params *bp = bp_pc("a=1");

	bp->hdr.setup_data = SD;
	sd(SD, SD, SETUP_PCI, 0, NULL);
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("setup_data 1 at 0x30000 is entry 0 again: the chain loops");
}

/* A chain longer than LB_MAX_SETUP (a loop too long to see, or junk) is
 * cut there. */
TEST(setup_data, too_many_entries)
{
	struct boot_params *bp = bp_pc("a=1");
	struct boot_e820_entry ext = { 0x40000000ULL, 0x1000, E820_TYPE_RAM };

	bp->hdr.setup_data = SD;
	for (u64 i = 0; i < 100; i++)
		sd(SD + i * 0x100, SD + (i + 1) * 0x100, SETUP_E820_EXT, sizeof(ext), &ext);
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("setup_data: more than 64 entries; the rest is ignored");
}

/* Lengths that run past 2^64, heads and data out of reach: each ends the
 * walk with a line, and nothing is read out of bounds (ASan). */
TEST(setup_data, wrapping_length)
{
	struct boot_params *bp = bp_pc("a=1");

	bp->hdr.setup_data = SD;
	sd(SD, FAKE_TOP_BASE + 0x100, SETUP_PCI, 0, NULL);
	sd(FAKE_TOP_BASE + 0x100, 0, SETUP_E820_EXT, 0xffffffffu, NULL);
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE(
		"setup_data 1 at 0xfffffffffffff100: its 4294967295 bytes of data cannot be read "
		"(they run past 2^64 or out of reach)");
	EXPECT_EQ(info.nr_ram, 2);
}

TEST(setup_data, head_at_the_top)
{
	struct boot_params *bp = bp_pc("a=1");

	bp->hdr.setup_data = 0xfffffffffffffff8ULL; /* the 16-byte head wraps */
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("setup_data 0 at 0xfffffffffffffff8 cannot be read: the rest is ignored");
}

TEST(setup_data, out_of_reach)
{
	struct boot_params *bp = bp_pc("a=1");

	bp->hdr.setup_data = SD;
	sd(SD, FAKE_LOW_SIZE - 8, SETUP_PCI, 0, NULL);
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("setup_data 1 at 0x1fffff8 cannot be read: the rest is ignored");

	host_log_clear();
	sd(SD, 0, SETUP_E820_EXT, 0x2000000, NULL); /* data past the memory's end */
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("setup_data 0 at 0x30000: its 33554432 bytes of data cannot be read");
}

/* Types the front end does not take are each said and skipped; indirect
 * entries are not followed. */
TEST(setup_data, skipped_types)
{
	struct boot_params *bp = bp_pc("a=1");
	struct setup_indirect ind = { SETUP_INDIRECT | SETUP_E820_EXT, 0, 0x1000, 0x100000 };

	bp->hdr.setup_data = SD;
	sd(SD, SD + 0x100, SETUP_DTB, 8, NULL);
	sd(SD + 0x100, SD + 0x200, SETUP_INDIRECT, sizeof(ind), &ind);
	sd(SD + 0x200, 0, 77, 4, NULL);
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("setup_data 0: type 2 (SETUP_DTB: a device tree; the front end writes its own) "
		    "skipped");
	EXPECT_NOTE("setup_data 1: an indirect entry (type 0x80000000) is not followed: skipped");
	EXPECT_NOTE("setup_data 2: type 77 (unknown) skipped");
	EXPECT_EQ(info.nr_busy, 5); /* boot_params, command line, three nodes */
}

/* ---- SETUP_KEXEC_KHO ---- */

/* As Linux 7.3's kexec writes it: the root FDT and the scratch array go to
 * /chosen as <addr size>, the same properties arm64 and Baton's kexec use. */
TEST(kho, handover_to_chosen)
{
	struct boot_params *bp = bp_pc("a=1");
	struct kho_data k = { 0x1100000, 0x1000, 0x1101000, 3 * 16 };
	u64 scratch[6] = { 0x1200000, 0x1000000, 0, 0, 0x140000000ULL, 0x2000000 };
	const void *fdt;

	memcpy(fake_at(0x1101000), scratch, sizeof(scratch));
	bp->hdr.setup_data = SD;
	sd(SD, 0, SETUP_KEXEC_KHO, sizeof(k), &k);
	REQUIRE(bootparams_read(BP, &info) == NULL);
	REQUIRE(info.kho);
	EXPECT_EQ(info.nr_scratch, 2); /* the empty area is not a place */
	EXPECT_EQ(info.scratch[1].base, 0x140000000ULL);
	fdt = fdt_of(NULL);
	EXPECT(chosen_range(fdt, "linux,kho-fdt", 0x1100000, 0x1000));
	EXPECT(chosen_range(fdt, "linux,kho-scratch", 0x1101000, 48));
	/* The kernel file is the loader's, not a preserved copy. */
	EXPECT(chosen_range(fdt, "baton,loader-image", 0x1009000, 0x1d000));
	EXPECT(!fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "baton,image", NULL));
	EXPECT_STR(host_log(), "");
}

TEST(kho, malformed_ignored)
{
	struct boot_params *bp = bp_pc("a=1");
	struct kho_data wraps = { 0xfffffffffffff000ULL, 0x2000, 0x1101000, 16 };
	struct kho_data zero = { 0, 0x1000, 0x1101000, 16 };
	struct kho_data odd = { 0x1100000, 0x1000, 0x1101000, 17 };

	bp->hdr.setup_data = SD;
	sd(SD, SD + 0x100, SETUP_KEXEC_KHO, 16, &wraps); /* short */
	sd(SD + 0x100, SD + 0x200, SETUP_KEXEC_KHO, sizeof(wraps), &wraps);
	sd(SD + 0x200, SD + 0x300, SETUP_KEXEC_KHO, sizeof(zero), &zero);
	sd(SD + 0x300, 0, SETUP_KEXEC_KHO, sizeof(odd), &odd);
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT(!info.kho);
	EXPECT_NOTE("setup_data 0: SETUP_KEXEC_KHO of 16 bytes, not 32: ignored");
	EXPECT_NOTE("setup_data 1: SETUP_KEXEC_KHO with FDT 0xfffffffffffff000+0x2000");
	EXPECT_NOTE("setup_data 2: SETUP_KEXEC_KHO with FDT 0x0+0x1000");
	EXPECT_NOTE(
		"setup_data 3: SETUP_KEXEC_KHO with FDT 0x1100000+0x1000, scratch 0x1101000+0x11 "
		"is not a handover: ignored (a cold boot)");
	EXPECT(!chosen_range(fdt_of(NULL), "linux,kho-fdt", 0x1100000, 0x1000));
}

TEST(kho, second_one_ignored)
{
	struct boot_params *bp = bp_pc("a=1");
	struct kho_data a = { 0x1100000, 0x1000, 0x1101000, 16 };
	struct kho_data b = { 0x1300000, 0x1000, 0x1301000, 16 };

	bp->hdr.setup_data = SD;
	sd(SD, SD + 0x100, SETUP_KEXEC_KHO, sizeof(a), &a);
	sd(SD + 0x100, 0, SETUP_KEXEC_KHO, sizeof(b), &b);
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("setup_data 1: a second SETUP_KEXEC_KHO: ignored");
	EXPECT_EQ(info.kho_data.fdt_addr, 0x1100000);
}

/* ---- the command line, the initrd, the sentinel ---- */

/* Longer than the kernel takes: cut between words, and the kernel told. */
TEST(linuxboot, long_command_line_cut)
{
	char *line = fake_at(CMD);
	const void *fdt;

	bp_pc(NULL)->hdr.cmd_line_ptr = CMD;
	for (int i = 0; i < 600; i++)
		memcpy(line + 5 * i, "word ", 5);
	line[2999] = '\0';
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("the command line is 2999 bytes, more than the kernel's 2047");
	EXPECT(strlen(info.cmdline) < CMDLINE_MAX);
	EXPECT(strstr(info.cmdline, " cmdline.cut=2999") != NULL);
	fdt = fdt_of(NULL);
	EXPECT(strstr(bootfdt_bootargs(fdt), "word word cmdline.cut=2999") != NULL);
}

/* No NUL for a MiB: the first MiB is the line (and cut), without reading
 * past what is mapped. */
TEST(linuxboot, command_line_without_end)
{
	memset(fake_at(0x100000), 'x', 0x200000);
	bp_pc(NULL)->hdr.cmd_line_ptr = 0x100000;
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("command line at 0x100000: no end in its first 1048576 bytes");
	EXPECT_STR(info.cmdline, "cmdline.cut=1048576");

	host_log_clear();
	memset(fake_at(FAKE_LOW_SIZE - 0x1800), 'y', 0x1800);
	bp_pc(NULL)->hdr.cmd_line_ptr = FAKE_LOW_SIZE - 0x1800;
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("command line at 0x1ffe800: unreadable after 6144 bytes");
}

/* The ext_* fields give bits 32..63; with the sentinel set (a loader that
 * copied a whole sector into boot_params) they and acpi_rsdp_addr are
 * junk and ignored, as Linux ignores them. */
TEST(linuxboot, ext_fields_and_sentinel)
{
	struct boot_params *bp = bp_pc(NULL);

	strcpy(fake_at(FAKE_HIGH_BASE + 0x100), "from above 4 GiB");
	strcpy(fake_at(0x100), "from below");
	bp->hdr.cmd_line_ptr = 0x100;
	bp->ext_cmd_line_ptr = 1;
	bp->hdr.ramdisk_image = 0x200000;
	bp->ext_ramdisk_image = 2;
	bp->hdr.ramdisk_size = 0x1000;
	bp->ext_ramdisk_size = 1;
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_STR(info.cmdline, "from above 4 GiB");
	EXPECT_EQ(info.initrd_base, 0x200200000ULL);
	EXPECT_EQ(info.initrd_size, 0x100001000ULL);

	bp->sentinel = 0xff;
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("boot_params: the sentinel at 0x1ef is set");
	EXPECT_STR(info.cmdline, "from below");
	EXPECT_EQ(info.initrd_base, 0x200000);
	EXPECT_EQ(info.initrd_size, 0x1000);
}

TEST(linuxboot, initrd_wrapping_ignored)
{
	struct boot_params *bp = bp_pc("a=1");

	bp->hdr.ramdisk_image = 0xfffff000;
	bp->ext_ramdisk_image = 0xffffffff;
	bp->hdr.ramdisk_size = 0x2000;
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("the initrd 0xfffffffffffff000 + 0x2000 runs past 2^64: ignored");
	EXPECT_EQ(info.initrd_size, 0);
}

/* ---- the ACPI RSDP ---- */

TEST(rsdp, from_boot_params_else_efi_else_bios)
{
	struct boot_params *bp = bp_pc("a=1");
	u8 *tab = fake_at(0x501000);
	u64 v;

	fake_rsdp(0xe1230);  /* legacy BIOS area */
	fake_rsdp(0x600000); /* EFI's ACPI 1.0 entry */
	fake_rsdp(0x600100); /* EFI's ACPI 2.0 entry */
	fake_rsdp(0x700000); /* boot_params.acpi_rsdp_addr */
	fake_efi_systab(0x500000, 0x501000, 0x600000, 0x600100);

	bp->acpi_rsdp_addr = 0x700000;
	bp->efi_info.efi_loader_signature = EFI64_LOADER_SIGNATURE;
	bp->efi_info.efi_systab = 0x500000;
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_EQ(info.rsdp, 0x700000);
	EXPECT(bootfdt_chosen_u64(fdt_of(NULL), "baton,acpi-rsdp", &v) && v == 0x700000);

	((u8 *)fake_at(0x700000))[8] ^= 1; /* its checksum broken */
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("boot_params: acpi_rsdp_addr 0x700000 holds no valid RSDP; looking elsewhere");
	EXPECT_EQ(info.rsdp, 0x600100);

	bp->acpi_rsdp_addr = 0;
	memset(tab + 24, 0, 16); /* no ACPI 2.0 entry: the 1.0 one */
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_EQ(info.rsdp, 0x600000);

	bp->efi_info.efi_loader_signature = EFI32_LOADER_SIGNATURE;
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_NOTE("efi_info: a 32-bit UEFI (\"EL32\"): its tables are not read");
	EXPECT_EQ(info.rsdp, 0xe1230);

	/* The EBDA's first KiB comes before the BIOS area. */
	*(u16 *)fake_at(0x40e) = 0x9fc0;
	fake_rsdp(0x9fc40);
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_EQ(info.rsdp, 0x9fc40);
}

TEST(rsdp, none)
{
	struct boot_params *bp = bp_pc("a=1");

	bp->efi_info.efi_loader_signature = EFI64_LOADER_SIGNATURE;
	bp->efi_info.efi_systab = 0x500000; /* no system table there */
	memset(fake_at(0xf59e0), 0, 36);
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_EQ(info.rsdp, 0);
	EXPECT_NOTE("no EFI system table at 0x500000");
	EXPECT_NOTE("no ACPI RSDP (not in boot_params, EFI or the BIOS area)");
}

/* ---- where the kernel goes ---- */

#define SPAN 0x6a000ULL
#define NEED (SPAN + LB_FDT_SIZE)

static void ram(u64 base, u64 size)
{
	info.ram[info.nr_ram++] = (struct lb_range){ base, size };
}

static void busy(u64 base, u64 size)
{
	info.busy[info.nr_busy++] = (struct lb_range){ base, size };
}

/* GRUB's case: a 2 MiB-aligned window; the kernel 2 MiB in. */
TEST(place, in_the_window)
{
	memset(&info, 0, sizeof(info));
	ram(0x100000, 0x1ff00000);
	busy(0x89000, 0x1000);
	EXPECT_EQ(place_kernel(&info, 0x1600000, 0x27000, 0x2a0000, 0x2c6000, SPAN), 0x1800000);
	/* A loader that aligned to 4 KiB only: the next 2 MiB boundary. */
	EXPECT_EQ(place_kernel(&info, 0x1723000, 0x27000, 0x2a0000, 0x2c6000, SPAN), 0x1800000);
	EXPECT_EQ(place_kernel(&info, 0x17e0000, 0x27000, 0x2a0000, 0x2c6000, SPAN), 0x1a00000);
}

/* Something the loader put in the slot (QEMU appends setup_data to the
 * file; a loader may put the initrd anywhere): the lowest clear slot of
 * RAM outside the window. */
TEST(place, slot_taken)
{
	memset(&info, 0, sizeof(info));
	ram(0, 0x9f000);
	ram(0x100000, 0x1ff00000);
	busy(0x1810000, 0x100); /* in the window's slot */
	busy(0x200000, 0x1000); /* in the lowest slot */
	EXPECT_EQ(place_kernel(&info, 0x1600000, 0x27000, 0x2a0000, 0x2c6000, SPAN), 0x400000);
	busy(0x400000 + NEED - 1, 1); /* its last byte */
	EXPECT_EQ(place_kernel(&info, 0x1600000, 0x27000, 0x2a0000, 0x2c6000, SPAN), 0x600000);
}

/* A 64-bit loader above 4 GiB (Linux's kexec places top-down): below 4 GiB,
 * clear of the window. */
TEST(place, window_above_4g)
{
	memset(&info, 0, sizeof(info));
	ram(0x100000, 0x7ff00000);
	ram(0x100000000ULL, 0x100000000ULL);
	EXPECT_EQ(place_kernel(&info, 0x1ff000000ULL, 0x27000, 0x2a0000, 0x2c6000, SPAN), 0x200000);
	/* Straddling 4 GiB: its slot is not below 4 GiB either. */
	EXPECT_EQ(place_kernel(&info, 0xffe00000ULL, 0x27000, 0x2a0000, 0x2c6000, SPAN), 0x200000);
}

/* A KHO boot: only scratch will do, and below 4 GiB. */
TEST(place, kho_scratch_only)
{
	memset(&info, 0, sizeof(info));
	ram(0x100000, 0x7ff00000);
	ram(0x100000000ULL, 0x100000000ULL);
	info.kho = true;
	info.scratch[info.nr_scratch++] = (struct lb_range){ 0x180000000ULL, 0x4000000 };
	EXPECT_EQ(place_kernel(&info, 0x180000000ULL, 0x27000, 0x2a0000, 0x2c6000, SPAN), 0);
	info.scratch[info.nr_scratch++] = (struct lb_range){ 0x3f00000, 0x1000000 };
	info.scratch[info.nr_scratch++] = (struct lb_range){ 0x2200000, 0x40000 }; /* too small */
	EXPECT_EQ(place_kernel(&info, 0x180000000ULL, 0x27000, 0x2a0000, 0x2c6000, SPAN),
		  0x4000000);
	/* Scratch that is not RAM is no place either. */
	info.ram[0].size = 0x3f00000;
	EXPECT_EQ(place_kernel(&info, 0x180000000ULL, 0x27000, 0x2a0000, 0x2c6000, SPAN), 0);
}

TEST(place, no_room)
{
	memset(&info, 0, sizeof(info));
	ram(0x100000, 0x100000);
	EXPECT_EQ(place_kernel(&info, 0x100000000ULL, 0x27000, 0x2a0000, 0x2c6000, SPAN), 0);
}

/* ---- the FDT ---- */

/* An FDT buffer too small is an error the caller sees (and retries). */
TEST(linuxboot, fdt_too_small)
{
	static u64 small[64];
	struct lb_range image = { 0x1009000, 0x1d000 };

	bp_pc("a=1");
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT(lb_fdt_build(small, sizeof(small), &info, image, NULL) < 0);
}

/* ---- the other way: a zero page made from a boot FDT (lib/zeropage.c) ---- */

/* The EFI loader's boot FDT (one /memory, what the firmware keeps in the
 * memory reservation block) made into a zero page as boot/efi/bzimage.c
 * makes it, read back by the front end: the command line, the RSDP, and
 * the RAM less what the firmware keeps, which an e820 type 2 makes a hole
 * here, as in any BIOS map. */
TEST(linuxboot, zero_page_from_a_boot_fdt)
{
	static u64 tree[1024];
	struct boot_params *bp = bp_new();
	const struct zeropage_cmdline cl = { fake_at(CMD), CMD, CMDLINE_MAX - 1 };
	fdt64_t rsdp = cpu_to_fdt64(0xf59e0);
	char why[ERR_WHY_MAX];
	int node, chosen;

	REQUIRE(fdt_create_empty_tree(tree, sizeof(tree)) == 0);
	REQUIRE(pc_fdt_nodes(tree, "PC (UEFI, Baton EFI loader)") == 0);
	REQUIRE((node = fdt_add_subnode(tree, 0, "memory@0")) >= 0);
	REQUIRE(fdt_setprop_string(tree, node, "device_type", "memory") == 0);
	REQUIRE(fdt_appendprop_addrrange(tree, 0, node, "reg", 0, 0x9f000) == 0);
	REQUIRE(fdt_appendprop_addrrange(tree, 0, node, "reg", 0x100000, 0x1ff00000) == 0);
	REQUIRE(fdt_add_mem_rsv(tree, 0x1ffe0000, 0x20000) == 0);
	REQUIRE((chosen = fdt_add_subnode(tree, 0, "chosen")) >= 0);
	REQUIRE(fdt_setprop_string(tree, chosen, "bootargs", "ktest=all kexec.chain=3") == 0);
	REQUIRE(fdt_setprop(tree, chosen, "baton,acpi-rsdp", &rsdp, sizeof(rsdp)) == 0);
	fake_rsdp(0xf59e0);
	host_log_clear();

	REQUIRE(zeropage_from_fdt(bp, tree, &cl, why, sizeof(why)) == 0);
	EXPECT_EQ(bp->e820_entries, 3);
	REQUIRE(bootparams_read(BP, &info) == NULL);
	EXPECT_STR(info.cmdline, "ktest=all kexec.chain=3");
	EXPECT_EQ(info.rsdp, 0xf59e0);
	REQUIRE(info.nr_ram == 2);
	EXPECT_EQ(info.ram[0].base, 0);
	EXPECT_EQ(info.ram[0].size, 0x9f000);
	EXPECT_EQ(info.ram[1].base, 0x100000);
	EXPECT_EQ(info.ram[1].size, 0x1fee0000);
	EXPECT_EQ(info.nr_resv, 0);
	EXPECT_STR(host_log(), ""); /* the front end had nothing to say */
}

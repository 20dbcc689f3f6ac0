/*
 * test_zeropage.c — lib/zeropage.c, the zero page from a boot FDT, on
 * small trees built here with libfdt the way the x86-64 loaders build
 * theirs (boot/pc_fdt.c's nodes, /memory with fdt_appendprop_addrrange):
 * the e820 map from /memory and every kind of reservation, the command
 * line and its pointer, the RSDP, and each refusal with its code and words.
 */
#include <string.h>
#include <libfdt.h>

#include "harness.h"
#include "kerrno.h"
#include "zeropage.h"
#include "boot/pc_fdt.h"

#define TREE_SIZE 32768
#define CMD_PA 0x123456000ULL /* above 4 GiB: ext_cmd_line_ptr is used */

static fdt64_t tree_buf[TREE_SIZE / 8];
static struct boot_params bp;
static char line[64], why[ERR_WHY_MAX];
static const struct zeropage_cmdline cl = { line, CMD_PA, sizeof(line) - 1 };

/* A PC's tree, root cells 2 and 2, with /chosen and nothing in it. */
static void *pc_tree(void)
{
	void *fdt = tree_buf;

	REQUIRE(fdt_create_empty_tree(fdt, TREE_SIZE) == 0);
	REQUIRE(pc_fdt_nodes(fdt, "test") == 0);
	REQUIRE(fdt_add_subnode(fdt, 0, "chosen") >= 0);
	memset(&bp, 0, sizeof(bp));
	memset(why, 0, sizeof(why));
	return fdt;
}

/* A /memory node named name under the root, with one range (none if size
 * is 0: the caller appends more). */
static int memory(void *fdt, const char *name, u64 base, u64 size)
{
	int node = fdt_add_subnode(fdt, 0, name);

	REQUIRE(node >= 0);
	REQUIRE(fdt_setprop_string(fdt, node, "device_type", "memory") == 0);
	REQUIRE(fdt_setprop(fdt, node, "reg", NULL, 0) == 0);
	if (size)
		REQUIRE(fdt_appendprop_addrrange(fdt, 0, node, "reg", base, size) == 0);
	return node;
}

/* A PC's tree with 512 MiB of RAM from 0. */
static void *ram_tree(void)
{
	void *fdt = pc_tree();

	memory(fdt, "memory@0", 0, 0x20000000);
	return fdt;
}

static void chosen_prop(void *fdt, const char *name, const void *val, int len)
{
	REQUIRE(fdt_setprop(fdt, fdt_path_offset(fdt, "/chosen"), name, val, len) == 0);
}

static void expect_entry(int i, u64 addr, u64 size, u32 type)
{
	EXPECT_EQ(bp.e820_table[i].addr, addr);
	EXPECT_EQ(bp.e820_table[i].size, size);
	EXPECT_EQ(bp.e820_table[i].type, type);
}

static int build(const void *fdt)
{
	return zeropage_from_fdt(&bp, fdt, &cl, why, sizeof(why));
}

/* RAM from every enabled /memory node in address order, ranges of size 0
 * left out; then the memory reservation block; then /reserved-memory's
 * children, in their parent's cells, those disabled or with no reg left
 * out. */
TEST(zeropage, e820_from_memory_and_reservations)
{
	void *fdt = pc_tree();
	int node, rmem, child;
	fdt32_t reg[2] = { cpu_to_fdt32(0x3000000), cpu_to_fdt32(0x100000) };

	node = memory(fdt, "memory@0", 0, 0x9f000);
	REQUIRE(fdt_appendprop_addrrange(fdt, 0, node, "reg", 0x100000, 0) == 0);
	REQUIRE(fdt_appendprop_addrrange(fdt, 0, node, "reg", 0x100000, 0x1ff00000) == 0);
	memory(fdt, "memory@100000000", 0x100000000ULL, 0x40000000);
	node = memory(fdt, "memory@200000000", 0x200000000ULL, 0x1000);
	REQUIRE(fdt_setprop_string(fdt, node, "status", "disabled") == 0);
	REQUIRE(fdt_add_mem_rsv(fdt, 0x1ffe0000, 0x20000) == 0);
	REQUIRE(fdt_add_mem_rsv(fdt, 0xfeffc000, 0x4000) == 0);
	REQUIRE((rmem = fdt_add_subnode(fdt, 0, "reserved-memory")) >= 0);
	REQUIRE(fdt_setprop_u32(fdt, rmem, "#address-cells", 1) == 0);
	REQUIRE(fdt_setprop_u32(fdt, rmem, "#size-cells", 1) == 0);
	REQUIRE(fdt_setprop(fdt, rmem, "ranges", NULL, 0) == 0);
	REQUIRE((child = fdt_add_subnode(fdt, rmem, "fw@3000000")) >= 0);
	REQUIRE(fdt_setprop(fdt, child, "reg", reg, sizeof(reg)) == 0);
	REQUIRE(fdt_setprop(fdt, child, "no-map", NULL, 0) == 0);
	REQUIRE((child = fdt_add_subnode(fdt, rmem, "off@4000000")) >= 0);
	reg[0] = cpu_to_fdt32(0x4000000);
	REQUIRE(fdt_setprop(fdt, child, "reg", reg, sizeof(reg)) == 0);
	REQUIRE(fdt_setprop_string(fdt, child, "status", "disabled") == 0);
	REQUIRE((child = fdt_add_subnode(fdt, rmem, "pool")) >= 0);
	REQUIRE(fdt_setprop_u32(fdt, child, "size", 0x100000) == 0);

	REQUIRE(build(fdt) == 0);
	EXPECT_STR(why, "");
	REQUIRE(bp.e820_entries == 6);
	expect_entry(0, 0, 0x9f000, E820_TYPE_RAM);
	expect_entry(1, 0x100000, 0x1ff00000, E820_TYPE_RAM);
	expect_entry(2, 0x100000000ULL, 0x40000000, E820_TYPE_RAM);
	expect_entry(3, 0x1ffe0000, 0x20000, E820_TYPE_RESERVED);
	expect_entry(4, 0xfeffc000, 0x4000, E820_TYPE_RESERVED);
	expect_entry(5, 0x3000000, 0x100000, E820_TYPE_RESERVED);
}

/* The root's cells rule /memory's reg: a Raspberry Pi-like 1 and 1 (set
 * by hand: Debian's libfdt 1.6.1 refuses any 1-cell range in
 * fdt_appendprop_addrrange). */
TEST(zeropage, e820_in_one_cell)
{
	void *fdt = pc_tree();
	const fdt32_t reg[2] = { 0, cpu_to_fdt32(0x3b400000) };
	int node;

	REQUIRE(fdt_setprop_u32(fdt, 0, "#address-cells", 1) == 0);
	REQUIRE(fdt_setprop_u32(fdt, 0, "#size-cells", 1) == 0);
	node = memory(fdt, "memory@0", 0, 0);
	REQUIRE(fdt_setprop(fdt, node, "reg", reg, sizeof(reg)) == 0);
	REQUIRE(build(fdt) == 0);
	REQUIRE(bp.e820_entries == 1);
	expect_entry(0, 0, 0x3b400000, E820_TYPE_RAM);
}

/* 128 entries fit; the 129th is refused with what it was, and the
 * refusal comes without a buffer too. */
TEST(zeropage, e820_overflow_refused)
{
	void *fdt = pc_tree();
	int node = memory(fdt, "memory@0", 0, 0);

	for (u64 i = 0; i < 100; i++)
		REQUIRE(fdt_appendprop_addrrange(fdt, 0, node, "reg", i << 21, 0x100000) == 0);
	for (u64 i = 0; i < 28; i++)
		REQUIRE(fdt_add_mem_rsv(fdt, (i << 21) + 0x100000, 0x1000) == 0);
	REQUIRE(build(fdt) == 0);
	EXPECT_EQ(bp.e820_entries, E820_MAX_ENTRIES_ZEROPAGE);
	expect_entry(127, (27ULL << 21) + 0x100000, 0x1000, E820_TYPE_RESERVED);

	REQUIRE(fdt_add_mem_rsv(fdt, 0x7000000, 0x2000) == 0);
	EXPECT_EQ(build(fdt), -E2BIG);
	EXPECT_STR(why, "more than 128 e820 entries: memreserve 0x7000000+0x2000 is one too many");
	EXPECT_EQ(bp.e820_entries, E820_MAX_ENTRIES_ZEROPAGE);
	EXPECT_EQ(zeropage_from_fdt(&bp, fdt, &cl, NULL, 0), -E2BIG);
}

/* /chosen/bootargs is copied into the caller's buffer, and the pointer
 * says where the booted kernel finds it, split at 4 GiB. */
TEST(zeropage, command_line)
{
	void *fdt = ram_tree();
	static const char args[] = "console=ttyS0 kho=on panic=-1";

	chosen_prop(fdt, "bootargs", args, sizeof(args));
	memset(line, 'x', sizeof(line));
	REQUIRE(build(fdt) == 0);
	EXPECT_STR(line, args);
	EXPECT_EQ(bp.hdr.cmd_line_ptr, 0x23456000);
	EXPECT_EQ(bp.ext_cmd_line_ptr, 1);

	/* None at all: an empty line, still pointed at. */
	REQUIRE(fdt_delprop(fdt, fdt_path_offset(fdt, "/chosen"), "bootargs") == 0);
	REQUIRE(build(fdt) == 0);
	EXPECT_STR(line, "");
	EXPECT_EQ(bp.hdr.cmd_line_ptr, 0x23456000);

	/* Exactly cl.max bytes fit; one more is refused. */
	memset(line, 'a', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	chosen_prop(fdt, "bootargs", line, sizeof(line));
	REQUIRE(build(fdt) == 0);
	EXPECT_EQ(strlen(line), sizeof(line) - 1);
	{
		char longer[sizeof(line) + 1];

		memset(longer, 'a', sizeof(longer) - 1);
		longer[sizeof(longer) - 1] = '\0';
		chosen_prop(fdt, "bootargs", longer, sizeof(longer));
	}
	EXPECT_EQ(build(fdt), -E2BIG);
	EXPECT_STR(why, "/chosen/bootargs is 64 bytes, more than the 63 taken");
}

/* baton,acpi-rsdp in two cells (as the loaders write it) or one; 0 when
 * there is none, whatever bp held. */
TEST(zeropage, rsdp)
{
	void *fdt = ram_tree();
	fdt64_t rsdp64 = cpu_to_fdt64(0x7fbfe014);
	fdt32_t rsdp32 = cpu_to_fdt32(0xf59e0);

	chosen_prop(fdt, "baton,acpi-rsdp", &rsdp64, sizeof(rsdp64));
	REQUIRE(build(fdt) == 0);
	EXPECT_EQ(bp.acpi_rsdp_addr, 0x7fbfe014);
	chosen_prop(fdt, "baton,acpi-rsdp", &rsdp32, sizeof(rsdp32));
	REQUIRE(build(fdt) == 0);
	EXPECT_EQ(bp.acpi_rsdp_addr, 0xf59e0);
	REQUIRE(fdt_delprop(fdt, fdt_path_offset(fdt, "/chosen"), "baton,acpi-rsdp") == 0);
	REQUIRE(build(fdt) == 0);
	EXPECT_EQ(bp.acpi_rsdp_addr, 0);
}

/* Only the e820 map, the command line pointer and the RSDP are written:
 * the caller's setup header, efi_info and setup_data stay as they were. */
TEST(zeropage, touches_only_its_fields)
{
	static struct boot_params before;
	void *fdt = pc_tree();
	fdt64_t rsdp = cpu_to_fdt64(0xe0000);

	memory(fdt, "memory@0", 0x100000, 0x1000000);
	chosen_prop(fdt, "baton,acpi-rsdp", &rsdp, sizeof(rsdp));
	memset(&bp, 0xa5, sizeof(bp));
	before = bp;
	REQUIRE(build(fdt) == 0);
	EXPECT_EQ(bp.e820_entries, 1);
	expect_entry(0, 0x100000, 0x1000000, E820_TYPE_RAM);
	bp.e820_entries = before.e820_entries;
	bp.e820_table[0] = before.e820_table[0];
	bp.hdr.cmd_line_ptr = before.hdr.cmd_line_ptr;
	bp.ext_cmd_line_ptr = before.ext_cmd_line_ptr;
	bp.acpi_rsdp_addr = before.acpi_rsdp_addr;
	EXPECT(memcmp(&bp, &before, sizeof(bp)) == 0);
}

/* A PC's tree whose one /memory node has this reg, as raw bytes. */
static void *memory_reg_tree(const void *reg, int len)
{
	void *fdt = pc_tree();

	REQUIRE(fdt_setprop(fdt, memory(fdt, "memory@0", 0, 0), "reg", reg, len) == 0);
	return fdt;
}

#define EXPECT_REFUSED(fdt, code, text)        \
	do {                                   \
		EXPECT_EQ(build(fdt), (code)); \
		EXPECT_STR(why, (text));       \
	} while (0)

/* Each refusal, with its code and its words. */
TEST(zeropage, refusals)
{
	static const fdt32_t three[3] = { 0, 0, 0 }, six[6] = { 0 };
	const fdt32_t wraps[4] = { cpu_to_fdt32(0xffffffff), cpu_to_fdt32(0xfffff000), 0,
				   cpu_to_fdt32(0x2000) };
	void *fdt;
	int node;

	EXPECT_REFUSED(pc_tree(), -ENOENT, "no RAM: no /memory node with a range in its reg");
	EXPECT_REFUSED(memory_reg_tree(three, sizeof(three)), -EBADMSG,
		       "/memory@0: reg is 12 bytes, not a multiple of 16");
	fdt = memory_reg_tree(six, sizeof(six));
	REQUIRE(fdt_setprop_u32(fdt, 0, "#address-cells", 3) == 0);
	EXPECT_REFUSED(fdt, -EINVAL,
		       "/memory@0: #address-cells 3, #size-cells 2: only 1 or 2 of each are read");
	EXPECT_REFUSED(memory_reg_tree(wraps, sizeof(wraps)), -EOVERFLOW,
		       "/memory@0: 0xfffffffffffff000+0x2000 wraps past 2^64");

	fdt = ram_tree();
	REQUIRE(fdt_add_mem_rsv(fdt, 0xfffffffffffff000ULL, 0x2000) == 0);
	EXPECT_REFUSED(fdt, -EOVERFLOW, "memreserve: 0xfffffffffffff000+0x2000 wraps past 2^64");

	fdt = ram_tree();
	REQUIRE((node = fdt_add_subnode(fdt, 0, "reserved-memory")) >= 0);
	REQUIRE(fdt_setprop(fdt, node, "ranges", three, sizeof(three)) == 0);
	EXPECT_REFUSED(fdt, -EINVAL,
		       "/reserved-memory has a non-empty ranges (12 bytes): its "
		       "children's addresses would need translating");

	fdt = ram_tree();
	chosen_prop(fdt, "bootargs", "unterminated", 12);
	EXPECT_REFUSED(fdt, -EBADMSG, "/chosen/bootargs is not a string");

	fdt = ram_tree();
	chosen_prop(fdt, "baton,acpi-rsdp", six, 6);
	EXPECT_REFUSED(fdt, -EBADMSG, "/chosen/baton,acpi-rsdp is 6 bytes, not 4 or 8");

	memset(tree_buf, 0, 64);
	EXPECT_REFUSED(tree_buf, -EBADMSG, "not an FDT: FDT_ERR_BADMAGIC");
}

/*
 * test_bootfdt.c — kernel/bootfdt.c against blobs built here with libfdt's
 * read-write API: sound ones, damaged ones, and sound ones holding silly
 * values.
 *
 * Every test builds its tree in one static buffer with tree(), then adds
 * nodes and properties by path (offsets move as the tree grows). Blobs given
 * to bootfdt_check are copied into heap blocks of exactly the size claimed
 * available, so ASan catches any read past it.
 */
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "harness.h"
#include "host.h"
#include "bootfdt.h"
#include "printk.h"

#define TREE_SIZE 16384

static fdt64_t tree_buf[TREE_SIZE / 8];

/* An empty tree with the root's #address-cells/#size-cells (none if < 0),
 * and the log captured from here on. */
static void *tree(int ac, int sc)
{
	void *fdt = tree_buf;

	REQUIRE(fdt_create_empty_tree(fdt, TREE_SIZE) == 0);
	if (ac >= 0)
		REQUIRE(fdt_setprop_u32(fdt, 0, "#address-cells", ac) == 0);
	if (sc >= 0)
		REQUIRE(fdt_setprop_u32(fdt, 0, "#size-cells", sc) == 0);
	host_console_register();
	host_log_clear();
	return fdt;
}

static int at(void *fdt, const char *path)
{
	int node = fdt_path_offset(fdt, path);

	REQUIRE(node >= 0);
	return node;
}

static void add(void *fdt, const char *parent, const char *name)
{
	REQUIRE(fdt_add_subnode(fdt, at(fdt, parent), name) >= 0);
}

static void str(void *fdt, const char *path, const char *prop, const char *val)
{
	REQUIRE(fdt_setprop_string(fdt, at(fdt, path), prop, val) == 0);
}

static void raw(void *fdt, const char *path, const char *prop, const void *val, int len)
{
	REQUIRE(fdt_setprop(fdt, at(fdt, path), prop, val, len) == 0);
}

static void cells_n(void *fdt, const char *path, const char *prop, const u32 *v, int n)
{
	fdt32_t be[16];

	REQUIRE(n <= 16);
	for (int i = 0; i < n; i++)
		be[i] = cpu_to_fdt32(v[i]);
	raw(fdt, path, prop, be, n * 4);
}

/* CELLS(fdt, "/memory@0", "reg", 0, 0, 0, 0x1000): a property of u32 cells. */
#define CELLS(fdt, path, prop, ...)                            \
	cells_n(fdt, path, prop, (const u32[]){ __VA_ARGS__ }, \
		sizeof((const u32[]){ __VA_ARGS__ }) / 4)

/* A /memory node (device_type "memory") with reg cells. */
#define MEMORY(fdt, name, ...)                               \
	do {                                                 \
		add(fdt, "/", name);                         \
		str(fdt, "/" name, "device_type", "memory"); \
		CELLS(fdt, "/" name, "reg", __VA_ARGS__);    \
	} while (0)

/* A heap copy of the first n bytes of fdt, in a block of exactly n bytes.
 * The caller frees it. */
static void *copy(const void *fdt, size_t n)
{
	void *p = malloc(n);

	REQUIRE(p);
	memcpy(p, fdt, n);
	return p;
}

static void *packed_sample(void)
{
	void *fdt = tree(2, 2);

	MEMORY(fdt, "memory@80000000", 0, 0x80000000, 0, 0x10000000);
	add(fdt, "/", "chosen");
	str(fdt, "/chosen", "bootargs", "console=ttyS0");
	REQUIRE(fdt_pack(fdt) == 0);
	return fdt;
}

/* bootfdt_check */

/* bootfdt_check's sentence, or NULL when it accepts; its code must agree. */
static const char *check(const void *fdt, u64 avail)
{
	static char why[ERR_WHY_MAX];
	int err = bootfdt_check(fdt, avail, why, sizeof(why));

	EXPECT(err <= 0);
	return err ? why : NULL;
}

TEST(bootfdt, check_accepts_sound_blob)
{
	void *fdt = packed_sample();
	u32 total = fdt_totalsize(fdt);
	void *blob = copy(fdt, total);

	EXPECT_STR(check(blob, total), NULL);
	free(blob);
	/* Room after the blob is fine; so is free space inside it. */
	EXPECT_STR(check(tree(2, 2), TREE_SIZE), NULL);
	EXPECT_STR(check(tree_buf, 2 * BOOTFDT_MAX_SIZE), NULL);
}

TEST(bootfdt, check_null)
{
	EXPECT_STR(check(NULL, 4096), "there is none (address 0)");
}

TEST(bootfdt, check_smaller_than_header)
{
	void *fdt = packed_sample();
	void *blob = copy(fdt, sizeof(struct fdt_header) - 1);

	EXPECT_STR(check(blob, sizeof(struct fdt_header) - 1), "it is smaller than an FDT header");
	EXPECT_STR(check(blob, 0), "it is smaller than an FDT header");
	free(blob);
}

TEST(bootfdt, check_bad_magic)
{
	void *fdt = packed_sample();
	u32 total = fdt_totalsize(fdt);
	void *blob = copy(fdt, total);

	fdt_set_magic(blob, 0x12345678);
	EXPECT_STR(check(blob, total), "bad magic 0x12345678 (expected 0xd00dfeed)");
	fdt_set_magic(blob, 0xedfe0dd0); /* a byte-swapped blob */
	EXPECT_STR(check(blob, total), "bad magic 0xedfe0dd0 (expected 0xd00dfeed)");
	free(blob);
}

TEST(bootfdt, check_truncated)
{
	void *fdt = tree(2, 2); /* totalsize is TREE_SIZE, 16384 */
	void *blob = copy(fdt, 4000);

	EXPECT_STR(check(blob, 4000), "totalsize 16384 is larger than the 4000 bytes allowed");
	free(blob);
}

TEST(bootfdt, check_too_large)
{
	void *fdt = packed_sample();
	char *big = calloc(1, 2 * BOOTFDT_MAX_SIZE);

	REQUIRE(big);
	memcpy(big, fdt, fdt_totalsize(fdt));
	fdt_set_totalsize(big, BOOTFDT_MAX_SIZE + 4);
	EXPECT_STR(check(big, 2 * BOOTFDT_MAX_SIZE),
		   "totalsize 2097156 is larger than the 2097152 bytes allowed");
	free(big);
}

TEST(bootfdt, check_damaged_structure)
{
	void *fdt = packed_sample();
	u32 total = fdt_totalsize(fdt);
	void *blob = copy(fdt, total);
	int chosen = at(blob, "/chosen");
	fdt32_t bad = cpu_to_fdt32(0x77); /* no such tag */

	/* The FDT_BEGIN_NODE tag of /chosen becomes garbage. */
	memcpy((char *)blob + fdt_off_dt_struct(blob) + chosen, &bad, sizeof(bad));
	EXPECT_STR(check(blob, total), "damaged: FDT_ERR_BADSTRUCTURE");
	free(blob);
}

TEST(bootfdt, check_damaged_header_and_names)
{
	void *fdt = packed_sample();
	u32 total = fdt_totalsize(fdt);
	void *blob = copy(fdt, total);
	struct fdt_property *prop;
	const char *why;
	int len;

	/* The strings block said to lie beyond the end of the blob. */
	fdt_set_off_dt_strings(blob, total + 64);
	why = check(blob, total);
	EXPECT(why && strncmp(why, "damaged: FDT_ERR_", 17) == 0);
	free(blob);

	/* A property whose name offset points past the strings block. */
	blob = copy(fdt, total);
	prop = fdt_get_property_w(blob, at(blob, "/chosen"), "bootargs", &len);
	REQUIRE(prop);
	prop->nameoff = cpu_to_fdt32(fdt_size_dt_strings(blob) + 100);
	why = check(blob, total);
	EXPECT(why && strncmp(why, "damaged: FDT_ERR_", 17) == 0);
	free(blob);
}

/* bootfdt_memory */

TEST(bootfdt, memory_sorted)
{
	void *fdt = tree(2, 2);
	struct mem_range r[8];

	MEMORY(fdt, "memory@80000000", 0, 0x80000000, 0, 0x10000000);
	MEMORY(fdt, "memory@100000000", 1, 0, 0, 0x1000);
	MEMORY(fdt, "memory@0", 0, 0, 0, 0x1000000);
	add(fdt, "/", "soc"); /* a reg without device_type "memory": not RAM */
	CELLS(fdt, "/soc", "reg", 0, 0x40000000, 0, 0x1000);

	REQUIRE(bootfdt_memory(fdt, r, 8) == 3);
	EXPECT_EQ(r[0].base, 0);
	EXPECT_EQ(r[0].size, 0x1000000);
	EXPECT_EQ(r[1].base, 0x80000000);
	EXPECT_EQ(r[1].size, 0x10000000);
	EXPECT_EQ(r[2].base, 0x100000000);
	EXPECT_EQ(r[2].size, 0x1000);
	EXPECT_NO_LOG("bootfdt: more"); /* nothing is wrong */
	/* Each range is a debug line: shown with loglevel=8 and up only. */
	EXPECT_NO_LOG("bootfdt: memory 0x");
	printk_set_console_level(LOG_DEBUG);
	REQUIRE(bootfdt_memory(fdt, r, 8) == 3);
	EXPECT_LOG("bootfdt: memory 0x100000000-0x100000fff (memory@100000000)");
}

TEST(bootfdt, memory_one_cell)
{
	void *fdt = tree(1, 1);
	struct mem_range r[4];

	MEMORY(fdt, "memory", 0x1000, 0x1000, 0x0, 0x1000);
	REQUIRE(bootfdt_memory(fdt, r, 4) == 1); /* touching: merged */
	EXPECT_EQ(r[0].base, 0);
	EXPECT_EQ(r[0].size, 0x2000);
}

TEST(bootfdt, memory_adjacent_merged)
{
	void *fdt = tree(2, 2);
	struct mem_range r[8];

	MEMORY(fdt, "memory@2000", 0, 0x2000, 0, 0x2000);
	MEMORY(fdt, "memory@0", 0, 0, 0, 0x1000, 0, 0x1000, 0, 0x1000);
	MEMORY(fdt, "memory@10000", 0, 0x10000, 0, 0x1000);

	REQUIRE(bootfdt_memory(fdt, r, 8) == 2);
	EXPECT_EQ(r[0].base, 0);
	EXPECT_EQ(r[0].size, 0x4000);
	EXPECT_EQ(r[1].base, 0x10000);
	EXPECT_EQ(r[1].size, 0x1000);
}

TEST(bootfdt, memory_overlap_rejected)
{
	void *fdt = tree(2, 2);
	struct mem_range r[8];

	MEMORY(fdt, "memory@1000", 0, 0x1000, 0, 0x1000);
	MEMORY(fdt, "memory@0", 0, 0, 0, 0x2000);
	EXPECT_EQ(bootfdt_memory(fdt, r, 8), -EINVAL);
	EXPECT_LOG("bootfdt: memory ranges 0x0 and 0x1000 overlap\r\n");
}

TEST(bootfdt, memory_duplicate_rejected)
{
	void *fdt = tree(2, 2);
	struct mem_range r[8];

	MEMORY(fdt, "memory@1000", 0, 0x1000, 0, 0x1000, 0, 0x1000, 0, 0x1000);
	EXPECT_EQ(bootfdt_memory(fdt, r, 8), -EINVAL);
	EXPECT_LOG("overlap");
}

TEST(bootfdt, memory_bad_reg_length)
{
	void *fdt = tree(2, 2);
	struct mem_range r[8];

	MEMORY(fdt, "memory@0", 0, 0, 0);
	EXPECT_EQ(bootfdt_memory(fdt, r, 8), -EINVAL);
	EXPECT_LOG("bootfdt: memory memory@0: reg is 12 bytes, not a multiple of 16\r\n");
}

TEST(bootfdt, memory_three_address_cells)
{
	void *fdt = tree(3, 2);
	struct mem_range r[8];

	MEMORY(fdt, "memory@0", 0, 0, 0, 0, 0x1000);
	EXPECT_EQ(bootfdt_memory(fdt, r, 8), -EINVAL);
	EXPECT_LOG("bootfdt: memory memory@0: #address-cells 3 / #size-cells 2 not supported\r\n");
}

TEST(bootfdt, memory_too_many)
{
	void *fdt = tree(2, 2);
	struct mem_range r[3];

	MEMORY(fdt, "memory@0", 0, 0, 0, 0x1000, 0, 0x10000, 0, 0x1000, 0, 0x20000, 0, 0x1000);
	EXPECT_EQ(bootfdt_memory(fdt, r, 2), -E2BIG);
	EXPECT_LOG("bootfdt: more than 2 memory ranges\r\n");
	host_log_clear();
	EXPECT_EQ(bootfdt_memory(fdt, r, 3), 3); /* exactly max is fine */
	EXPECT_NO_LOG("bootfdt: more");
}

TEST(bootfdt, memory_zero_size_skipped)
{
	void *fdt = tree(2, 2);
	struct mem_range r[1];

	MEMORY(fdt, "memory@0", 0, 0, 0, 0, 0, 0x1000, 0, 0x1000, 0, 0x5000, 0, 0);
	REQUIRE(bootfdt_memory(fdt, r, 1) == 1); /* the empty ones take no slot */
	EXPECT_EQ(r[0].base, 0x1000);
	EXPECT_EQ(r[0].size, 0x1000);
}

TEST(bootfdt, memory_wrap_rejected)
{
	void *fdt = tree(2, 2);
	struct mem_range r[4];

	MEMORY(fdt, "memory@fffffffffffff000", 0xffffffff, 0xfffff000, 0, 0x2000);
	EXPECT_EQ(bootfdt_memory(fdt, r, 4), -EOVERFLOW);
	EXPECT_LOG(
		"bootfdt: memory memory@fffffffffffff000: range 0xfffffffffffff000+0x2000 wraps around\r\n");
}

TEST(bootfdt, memory_none)
{
	void *fdt = tree(2, 2);
	struct mem_range r[4];

	EXPECT_EQ(bootfdt_memory(fdt, r, 4), 0);
	add(fdt, "/", "memory@0"); /* device_type "memory" but no reg */
	str(fdt, "/memory@0", "device_type", "memory");
	EXPECT_EQ(bootfdt_memory(fdt, r, 4), 0);
}

/* bootfdt_reserved */

TEST(bootfdt, reserved_block_and_nodes)
{
	void *fdt = tree(2, 2);
	struct bootfdt_resv r[8];

	REQUIRE(fdt_add_mem_rsv(fdt, 0x8000000, 0x10000) == 0);
	REQUIRE(fdt_add_mem_rsv(fdt, 0x9000000, 0) == 0); /* empty: skipped */
	add(fdt, "/", "reserved-memory");
	CELLS(fdt, "/reserved-memory", "#address-cells", 1);
	CELLS(fdt, "/reserved-memory", "#size-cells", 1);
	raw(fdt, "/reserved-memory", "ranges", NULL, 0);
	add(fdt, "/reserved-memory", "fw@90000000");
	CELLS(fdt, "/reserved-memory/fw@90000000", "reg", 0x90000000, 0x100000);
	add(fdt, "/reserved-memory", "pool"); /* dynamic: a size, no reg */
	CELLS(fdt, "/reserved-memory/pool", "size", 0x400000);
	add(fdt, "/reserved-memory", "two@a0000000");
	CELLS(fdt, "/reserved-memory/two@a0000000", "reg", 0xa0000000, 0x1000, 0x80000000, 0x2000);

	/* The reservation block first, then the children in tree order:
	 * fdt_add_subnode puts a new node before its siblings, so that is
	 * two@a0000000, pool, fw@90000000. Not sorted, not merged. */
	REQUIRE(bootfdt_reserved(fdt, r, 8) == 4);
	EXPECT_EQ(r[0].base, 0x8000000);
	EXPECT_EQ(r[0].size, 0x10000);
	EXPECT_STR(r[0].source, "memreserve");
	EXPECT_EQ(r[1].base, 0xa0000000);
	EXPECT_EQ(r[1].size, 0x1000);
	EXPECT_STR(r[1].source, "reserved-memory");
	EXPECT_STR(r[1].name, "two@a0000000");
	EXPECT_EQ(r[2].base, 0x80000000);
	EXPECT_EQ(r[2].size, 0x2000);
	EXPECT_EQ(r[3].base, 0x90000000);
	EXPECT_EQ(r[3].size, 0x100000);
	EXPECT_STR(r[3].name, "fw@90000000");
	for (int i = 0; i < 4; i++)
		EXPECT(!r[i].no_map);

	EXPECT_EQ(bootfdt_reserved(fdt, r, 3), -E2BIG);
	EXPECT_LOG(
		"bootfdt: more than 3 reserved ranges (reserved-memory fw@90000000 is one too many)\r\n");
	host_log_clear();
	EXPECT_EQ(bootfdt_reserved(fdt, r, 0), -E2BIG);
	EXPECT_LOG("bootfdt: more than 0 reserved ranges (memreserve is one too many)\r\n");
}

TEST(bootfdt, reserved_none)
{
	void *fdt = tree(2, 2);
	struct bootfdt_resv r[2];

	EXPECT_EQ(bootfdt_reserved(fdt, r, 2), 0);
}

/* no-map is told apart from a plain reservation; a disabled node reserves
 * nothing; the reserved-memory node's own cell counts govern its children. */
TEST(bootfdt, reserved_no_map_and_plain)
{
	void *fdt = tree(2, 2);
	struct bootfdt_resv r[8];

	add(fdt, "/", "reserved-memory");
	CELLS(fdt, "/reserved-memory", "#address-cells", 2);
	CELLS(fdt, "/reserved-memory", "#size-cells", 1);
	raw(fdt, "/reserved-memory", "ranges", NULL, 0);
	add(fdt, "/reserved-memory", "off@4b000000");
	CELLS(fdt, "/reserved-memory/off@4b000000", "reg", 0x0, 0x4b000000, 0x1000);
	str(fdt, "/reserved-memory/off@4b000000", "status", "disabled");
	add(fdt, "/reserved-memory", "plain@44000000");
	CELLS(fdt, "/reserved-memory/plain@44000000", "reg", 0x0, 0x44000000, 0x10000);
	add(fdt, "/reserved-memory", "secure@1c0000000");
	CELLS(fdt, "/reserved-memory/secure@1c0000000", "reg", 0x1, 0xc0000000, 0x300000);
	raw(fdt, "/reserved-memory/secure@1c0000000", "no-map", NULL, 0);

	REQUIRE(bootfdt_reserved(fdt, r, 8) == 2);
	EXPECT_EQ(r[0].base, 0x1c0000000);
	EXPECT_EQ(r[0].size, 0x300000);
	EXPECT(r[0].no_map);
	EXPECT_STR(r[0].name, "secure@1c0000000");
	EXPECT_EQ(r[1].base, 0x44000000);
	EXPECT(!r[1].no_map);
}

/* Several memreserve entries, kept apart and in order. */
TEST(bootfdt, reserved_memreserve_block)
{
	void *fdt = tree(2, 2);
	struct bootfdt_resv r[4];

	REQUIRE(fdt_add_mem_rsv(fdt, 0x0, 0x1000) == 0);
	REQUIRE(fdt_add_mem_rsv(fdt, 0x100000000, 0x200000) == 0);
	REQUIRE(bootfdt_reserved(fdt, r, 4) == 2);
	EXPECT_EQ(r[0].base, 0x0);
	EXPECT_EQ(r[0].size, 0x1000);
	EXPECT_EQ(r[1].base, 0x100000000);
	EXPECT_EQ(r[1].size, 0x200000);
	EXPECT_STR(r[1].source, "memreserve");
	EXPECT_STR(r[1].name, "");
}

TEST(bootfdt, reserved_bad_reg_refused)
{
	void *fdt = tree(2, 2);
	struct bootfdt_resv r[4];

	add(fdt, "/", "reserved-memory");
	CELLS(fdt, "/reserved-memory", "#address-cells", 2);
	CELLS(fdt, "/reserved-memory", "#size-cells", 2);
	add(fdt, "/reserved-memory", "odd");
	CELLS(fdt, "/reserved-memory/odd", "reg", 0x0, 0x1000, 0x0);
	EXPECT_EQ(bootfdt_reserved(fdt, r, 4), -EINVAL);
	EXPECT_LOG("bootfdt: reserved-memory odd: reg is 12 bytes, not a multiple of 16");
}

/* A reservation that wraps past the top of the address space is refused,
 * in the reservation block and in /reserved-memory alike. */
TEST(bootfdt, reserved_wrap_refused)
{
	void *fdt = tree(2, 2);
	struct bootfdt_resv r[4];

	REQUIRE(fdt_add_mem_rsv(fdt, 0xfffffffffffff000, 0x2000) == 0);
	EXPECT_EQ(bootfdt_reserved(fdt, r, 4), -EOVERFLOW);
	EXPECT_LOG("bootfdt: memreserve: range 0xfffffffffffff000+0x2000 wraps around\r\n");

	fdt = tree(2, 2);
	add(fdt, "/", "reserved-memory");
	CELLS(fdt, "/reserved-memory", "#address-cells", 2);
	CELLS(fdt, "/reserved-memory", "#size-cells", 2);
	add(fdt, "/reserved-memory", "top");
	CELLS(fdt, "/reserved-memory/top", "reg", 0x0, 0x1000, 0x0, 0x1000, 0xffffffff, 0xffff0000,
	      0x0, 0x10000);
	EXPECT_EQ(bootfdt_reserved(fdt, r, 4), -EOVERFLOW);
	EXPECT_LOG(
		"bootfdt: reserved-memory top: range 0xffffffffffff0000+0x10000 wraps around\r\n");
}

/* Many reg entries in one node count against the caller's table, as many
 * nodes do: 20 in one node fit a table of 20 and not one of 19. */
TEST(bootfdt, reserved_many_in_one_node)
{
	void *fdt = tree(1, 1);
	static struct bootfdt_resv r[20];
	fdt32_t reg[40];

	for (int i = 0; i < 20; i++) {
		reg[2 * i] = cpu_to_fdt32(0x80000000 + i * 0x10000);
		reg[2 * i + 1] = cpu_to_fdt32(0x1000);
	}
	add(fdt, "/", "reserved-memory");
	CELLS(fdt, "/reserved-memory", "#address-cells", 1);
	CELLS(fdt, "/reserved-memory", "#size-cells", 1);
	add(fdt, "/reserved-memory", "many");
	raw(fdt, "/reserved-memory/many", "reg", reg, sizeof(reg));
	EXPECT_EQ(bootfdt_reserved(fdt, r, 20), 20);
	EXPECT_EQ(r[19].base, 0x80130000);
	EXPECT_EQ(bootfdt_reserved(fdt, r, 19), -E2BIG);
	EXPECT_LOG("bootfdt: more than 19 reserved ranges (reserved-memory many is one too many)");
}

/* /reserved-memory's children are in the root's address space: a
 * non-empty ranges (a translation) is refused, not ignored; an empty or
 * missing one is fine. Unsupported cell counts are refused too. */
TEST(bootfdt, reserved_ranges_and_cells)
{
	void *fdt = tree(2, 2);
	struct bootfdt_resv r[4];

	add(fdt, "/", "reserved-memory");
	CELLS(fdt, "/reserved-memory", "#address-cells", 2);
	CELLS(fdt, "/reserved-memory", "#size-cells", 2);
	add(fdt, "/reserved-memory", "fw");
	CELLS(fdt, "/reserved-memory/fw", "reg", 0x0, 0x1000, 0x0, 0x1000);
	EXPECT_EQ(bootfdt_reserved(fdt, r, 4), 1); /* no ranges at all */
	raw(fdt, "/reserved-memory", "ranges", NULL, 0);
	EXPECT_EQ(bootfdt_reserved(fdt, r, 4), 1);
	CELLS(fdt, "/reserved-memory", "ranges", 0x0, 0x0, 0x0, 0x40000000, 0x0, 0x10000000);
	EXPECT_EQ(bootfdt_reserved(fdt, r, 4), -EINVAL);
	EXPECT_LOG("bootfdt: /reserved-memory has a non-empty ranges (24 bytes)");

	raw(fdt, "/reserved-memory", "ranges", NULL, 0);
	CELLS(fdt, "/reserved-memory", "#address-cells", 3);
	host_log_clear();
	EXPECT_EQ(bootfdt_reserved(fdt, r, 4), -EINVAL);
	EXPECT_LOG("bootfdt: reserved-memory fw: #address-cells 3 / #size-cells 2 not supported");
}

/* bootfdt_bootargs, bootfdt_chosen_u64, bootfdt_u32 */

TEST(bootfdt, bootargs)
{
	void *fdt = tree(2, 2);

	EXPECT_STR(bootfdt_bootargs(fdt), ""); /* no /chosen */
	add(fdt, "/", "chosen");
	EXPECT_STR(bootfdt_bootargs(fdt), ""); /* no bootargs */
	str(fdt, "/chosen", "bootargs", "console=ttyS0 loglevel=7");
	EXPECT_STR(bootfdt_bootargs(fdt), "console=ttyS0 loglevel=7");
	EXPECT_STR(host_log(), "");
}

TEST(bootfdt, bootargs_not_a_string)
{
	void *fdt = tree(2, 2);

	add(fdt, "/", "chosen");
	raw(fdt, "/chosen", "bootargs", "abc", 3); /* no NUL */
	EXPECT_STR(bootfdt_bootargs(fdt), "");
	EXPECT_LOG("bootfdt: /chosen/bootargs is not a string, ignored\r\n");
	host_log_clear();
	raw(fdt, "/chosen", "bootargs", NULL, 0);
	EXPECT_STR(bootfdt_bootargs(fdt), "");
	EXPECT_LOG("is not a string");
}

TEST(bootfdt, chosen_u64)
{
	void *fdt = tree(2, 2);
	u64 v = 0xbad;

	EXPECT(!bootfdt_chosen_u64(fdt, "linux,initrd-start", &v)); /* no /chosen */
	add(fdt, "/", "chosen");
	EXPECT(!bootfdt_chosen_u64(fdt, "linux,initrd-start", &v)); /* absent */
	CELLS(fdt, "/chosen", "linux,initrd-start", 0x12345678);
	CELLS(fdt, "/chosen", "linux,initrd-end", 0x1, 0x80000000);
	CELLS(fdt, "/chosen", "three", 1, 2, 3);
	raw(fdt, "/chosen", "two-bytes", "ab", 2);
	EXPECT_EQ(v, 0xbad);

	EXPECT(bootfdt_chosen_u64(fdt, "linux,initrd-start", &v));
	EXPECT_EQ(v, 0x12345678);
	EXPECT(bootfdt_chosen_u64(fdt, "linux,initrd-end", &v));
	EXPECT_EQ(v, 0x180000000);
	v = 0xbad;
	EXPECT(!bootfdt_chosen_u64(fdt, "three", &v));
	EXPECT(!bootfdt_chosen_u64(fdt, "two-bytes", &v));
	EXPECT_EQ(v, 0xbad);
}

TEST(bootfdt, u32)
{
	void *fdt = tree(2, 2);

	add(fdt, "/", "dev");
	CELLS(fdt, "/dev", "clock-frequency", 1843200);
	CELLS(fdt, "/dev", "wide", 1, 2);
	EXPECT_EQ(bootfdt_u32(fdt, at(fdt, "/dev"), "clock-frequency", 7), 1843200);
	EXPECT_EQ(bootfdt_u32(fdt, at(fdt, "/dev"), "absent", 7), 7);
	EXPECT_EQ(bootfdt_u32(fdt, at(fdt, "/dev"), "wide", 7), 7);
}

/* bootfdt_reg */

TEST(bootfdt, reg_plain)
{
	void *fdt = tree(2, 2);
	struct fdt_reg reg;

	add(fdt, "/", "uart@9000000");
	CELLS(fdt, "/uart@9000000", "reg", 0, 0x9000000, 0, 0x1000, 0x1, 0x0, 0, 0x20);
	REQUIRE(bootfdt_reg(fdt, at(fdt, "/uart@9000000"), 0, &reg) == 0);
	EXPECT_EQ(reg.addr, 0x9000000);
	EXPECT_EQ(reg.size, 0x1000);
	EXPECT(!reg.io_port);
	REQUIRE(bootfdt_reg(fdt, at(fdt, "/uart@9000000"), 1, &reg) == 0);
	EXPECT_EQ(reg.addr, 0x100000000);
	EXPECT_EQ(reg.size, 0x20);

	EXPECT_EQ(bootfdt_reg(fdt, at(fdt, "/uart@9000000"), 2, &reg), -EINVAL);
	EXPECT_LOG("bootfdt: uart@9000000: no usable reg entry 2\r\n");
	EXPECT_EQ(bootfdt_reg(fdt, 0, 0, &reg), -EINVAL); /* the root has no parent */
}

TEST(bootfdt, reg_through_simple_bus)
{
	void *fdt = tree(2, 2);
	struct fdt_reg reg;

	/* /soc: 1 address cell, 1 size cell; child 0x0 is CPU 0xfe000000. */
	add(fdt, "/", "soc");
	str(fdt, "/soc", "compatible", "simple-bus");
	CELLS(fdt, "/soc", "#address-cells", 1);
	CELLS(fdt, "/soc", "#size-cells", 1);
	CELLS(fdt, "/soc", "ranges", 0x7e000000, 0x0, 0xfe000000, 0x1800000, 0x0, 0x0, 0xc0000000,
	      0x1000000);
	add(fdt, "/soc", "serial@7e201000");
	CELLS(fdt, "/soc/serial@7e201000", "reg", 0x7e201000, 0x200);
	add(fdt, "/soc", "timer@3000");
	CELLS(fdt, "/soc/timer@3000", "reg", 0x3000, 0x100);
	add(fdt, "/soc", "lost@50000000");
	CELLS(fdt, "/soc/lost@50000000", "reg", 0x50000000, 0x100);

	REQUIRE(bootfdt_reg(fdt, at(fdt, "/soc/serial@7e201000"), 0, &reg) == 0);
	EXPECT_EQ(reg.addr, 0xfe201000); /* first range */
	EXPECT_EQ(reg.size, 0x200);
	REQUIRE(bootfdt_reg(fdt, at(fdt, "/soc/timer@3000"), 0, &reg) == 0);
	EXPECT_EQ(reg.addr, 0xc0003000); /* second range */

	EXPECT_EQ(bootfdt_reg(fdt, at(fdt, "/soc/lost@50000000"), 0, &reg), -ERANGE);
	EXPECT_LOG("bootfdt: soc: no range covers 0x50000000\r\n");
}

TEST(bootfdt, reg_through_nested_buses)
{
	void *fdt = tree(2, 2);
	struct fdt_reg reg;

	add(fdt, "/", "soc");
	CELLS(fdt, "/soc", "#address-cells", 1);
	CELLS(fdt, "/soc", "#size-cells", 1);
	CELLS(fdt, "/soc", "ranges", 0x0, 0x1, 0x0, 0x10000000);
	add(fdt, "/soc", "bus@200000");
	CELLS(fdt, "/soc/bus@200000", "#address-cells", 1);
	CELLS(fdt, "/soc/bus@200000", "#size-cells", 1);
	CELLS(fdt, "/soc/bus@200000", "ranges", 0x0, 0x200000, 0x10000);
	add(fdt, "/soc/bus@200000", "dev@40");
	CELLS(fdt, "/soc/bus@200000/dev@40", "reg", 0x40, 0x10);

	REQUIRE(bootfdt_reg(fdt, at(fdt, "/soc/bus@200000/dev@40"), 0, &reg) == 0);
	EXPECT_EQ(reg.addr, 0x100200040);
	EXPECT_EQ(reg.size, 0x10);
}

TEST(bootfdt, reg_empty_ranges_identity)
{
	void *fdt = tree(2, 2);
	struct fdt_reg reg;

	add(fdt, "/", "soc");
	CELLS(fdt, "/soc", "#address-cells", 2);
	CELLS(fdt, "/soc", "#size-cells", 2);
	raw(fdt, "/soc", "ranges", NULL, 0);
	add(fdt, "/soc", "uart@fe215040");
	CELLS(fdt, "/soc/uart@fe215040", "reg", 0, 0xfe215040, 0, 0x40);

	REQUIRE(bootfdt_reg(fdt, at(fdt, "/soc/uart@fe215040"), 0, &reg) == 0);
	EXPECT_EQ(reg.addr, 0xfe215040);
	EXPECT_EQ(reg.size, 0x40);
}

TEST(bootfdt, reg_bus_without_ranges)
{
	void *fdt = tree(2, 2);
	struct fdt_reg reg;

	add(fdt, "/", "i2c@1000");
	CELLS(fdt, "/i2c@1000", "#address-cells", 1);
	CELLS(fdt, "/i2c@1000", "#size-cells", 0);
	add(fdt, "/i2c@1000", "rtc@68");
	CELLS(fdt, "/i2c@1000/rtc@68", "reg", 0x68);

	EXPECT_EQ(bootfdt_reg(fdt, at(fdt, "/i2c@1000/rtc@68"), 0, &reg), -EINVAL);
	EXPECT_LOG("bootfdt: i2c@1000 has no ranges: its children are not reachable\r\n");
}

TEST(bootfdt, reg_isa_io_port)
{
	void *fdt = tree(2, 2);
	struct fdt_reg reg;

	add(fdt, "/", "isa");
	str(fdt, "/isa", "device_type", "isa");
	CELLS(fdt, "/isa", "#address-cells", 2);
	CELLS(fdt, "/isa", "#size-cells", 1);
	/* Memory space 0 of the bus is CPU memory at the same address. */
	CELLS(fdt, "/isa", "ranges", 0, 0, 0, 0, 0x100000);
	add(fdt, "/isa", "serial@i3f8");
	CELLS(fdt, "/isa/serial@i3f8", "reg", 1, 0x3f8, 8);
	add(fdt, "/isa", "vga@a0000");
	CELLS(fdt, "/isa/vga@a0000", "reg", 0, 0xa0000, 0x20000);

	REQUIRE(bootfdt_reg(fdt, at(fdt, "/isa/serial@i3f8"), 0, &reg) == 0);
	EXPECT(reg.io_port);
	EXPECT_EQ(reg.addr, 0x3f8);
	EXPECT_EQ(reg.size, 8);

	REQUIRE(bootfdt_reg(fdt, at(fdt, "/isa/vga@a0000"), 0, &reg) == 0);
	EXPECT(!reg.io_port);
	EXPECT_EQ(reg.addr, 0xa0000);
	EXPECT_EQ(reg.size, 0x20000);
}

TEST(bootfdt, reg_isa_by_compatible)
{
	void *fdt = tree(2, 2);
	struct fdt_reg reg;

	add(fdt, "/", "bus");
	str(fdt, "/bus", "compatible", "isa");
	CELLS(fdt, "/bus", "#address-cells", 2);
	CELLS(fdt, "/bus", "#size-cells", 1);
	add(fdt, "/bus", "serial@i2f8");
	CELLS(fdt, "/bus/serial@i2f8", "reg", 1, 0x2f8, 8);

	REQUIRE(bootfdt_reg(fdt, at(fdt, "/bus/serial@i2f8"), 0, &reg) == 0);
	EXPECT(reg.io_port);
	EXPECT_EQ(reg.addr, 0x2f8);
}

TEST(bootfdt, reg_isa_wrong_cells)
{
	void *fdt = tree(2, 2);
	struct fdt_reg reg;

	add(fdt, "/", "isa");
	str(fdt, "/isa", "device_type", "isa");
	CELLS(fdt, "/isa", "#address-cells", 1);
	CELLS(fdt, "/isa", "#size-cells", 1);
	add(fdt, "/isa", "serial@i3f8");
	CELLS(fdt, "/isa/serial@i3f8", "reg", 0x3f8, 8);

	EXPECT_EQ(bootfdt_reg(fdt, at(fdt, "/isa/serial@i3f8"), 0, &reg), -EINVAL);
	EXPECT_LOG("bootfdt: isa: ISA bus with #address-cells 1, not 2\r\n");
}

/* Old-format blobs are refused before libfdt reads them: Debian's libfdt
 * 1.6.1 crashes in fdt_check_full on a version-7 header (a fuzzer find). */
TEST(bootfdt, check_refuses_old_versions)
{
	void *fdt = tree(2, 2);
	struct fdt_header *h = fdt;

	REQUIRE(fdt_pack(fdt) == 0);
	h->version = cpu_to_fdt32(7);
	h->last_comp_version = cpu_to_fdt32(0);
	EXPECT_STR(check(fdt, TREE_SIZE), "version 7 (last compatible 0); only 17 is read");
	h->version = cpu_to_fdt32(17);
	h->last_comp_version = cpu_to_fdt32(16);
	EXPECT(check(fdt, TREE_SIZE) == NULL);
}

/* Paths, aliases and stdout-path */

static void *aliased_tree(void)
{
	void *fdt = tree(1, 1);

	add(fdt, "/", "soc");
	add(fdt, "/soc", "serial@7e215040");
	add(fdt, "/soc/serial@7e215040", "child");
	add(fdt, "/soc", "serial@7e201000");
	add(fdt, "/", "aliases");
	str(fdt, "/aliases", "serial0", "/soc/serial@7e201000");
	str(fdt, "/aliases", "serial1", "/soc/serial@7e215040");
	add(fdt, "/", "chosen");
	return fdt;
}

TEST(bootfdt, stdout_alias_with_options)
{
	void *fdt = aliased_tree();
	const char *opts;

	str(fdt, "/chosen", "stdout-path", "serial1:115200n8");
	EXPECT_EQ(bootfdt_stdout(fdt, &opts), at(fdt, "/soc/serial@7e215040"));
	EXPECT_STR(opts, "115200n8");
	str(fdt, "/chosen", "stdout-path", "serial0");
	EXPECT_EQ(bootfdt_stdout(fdt, &opts), at(fdt, "/soc/serial@7e201000"));
	EXPECT_STR(opts, NULL);
	/* An alias with a path below it. */
	str(fdt, "/chosen", "stdout-path", "serial1/child:9600");
	EXPECT_EQ(bootfdt_stdout(fdt, &opts), at(fdt, "/soc/serial@7e215040/child"));
	EXPECT_STR(opts, "9600");
}

TEST(bootfdt, stdout_full_path)
{
	void *fdt = aliased_tree();
	const char *opts;

	str(fdt, "/chosen", "stdout-path", "/soc/serial@7e201000:115200n8");
	EXPECT_EQ(bootfdt_stdout(fdt, &opts), at(fdt, "/soc/serial@7e201000"));
	EXPECT_STR(opts, "115200n8");
	str(fdt, "/chosen", "stdout-path", "/soc/serial@7e215040");
	EXPECT_EQ(bootfdt_stdout(fdt, &opts), at(fdt, "/soc/serial@7e215040"));
	EXPECT_STR(opts, NULL);
	/* The old name, when stdout-path is absent. */
	REQUIRE(fdt_delprop(fdt, at(fdt, "/chosen"), "stdout-path") == 0);
	str(fdt, "/chosen", "linux,stdout-path", "/soc/serial@7e201000");
	EXPECT_EQ(bootfdt_stdout(fdt, &opts), at(fdt, "/soc/serial@7e201000"));
}

TEST(bootfdt, stdout_missing_or_wrong)
{
	void *fdt = aliased_tree();
	const char *opts;

	EXPECT_EQ(bootfdt_stdout(fdt, &opts), -FDT_ERR_NOTFOUND);
	EXPECT_NO_LOG("bootfdt:"); /* missing is not an error of the tree */
	str(fdt, "/chosen", "stdout-path", "serial7:115200n8");
	EXPECT(bootfdt_stdout(fdt, &opts) < 0);
	EXPECT_LOG("bootfdt: stdout-path 'serial7:115200n8' names no node");
	str(fdt, "/chosen", "stdout-path", "/soc/nothing@0");
	EXPECT(bootfdt_stdout(fdt, &opts) < 0);
	raw(fdt, "/chosen", "stdout-path", "abc", 3); /* no NUL */
	EXPECT_EQ(bootfdt_stdout(fdt, &opts), -FDT_ERR_BADVALUE);
	EXPECT_LOG("bootfdt: /chosen/stdout-path is not a string");
}

/* An alias naming itself, or another alias: libfdt would recurse forever
 * (docs/design.md section 12). Refused with a line, never followed. */
TEST(bootfdt, alias_loops_refused)
{
	void *fdt = aliased_tree();
	const char *opts;

	str(fdt, "/aliases", "self", "self");
	str(fdt, "/aliases", "a", "b");
	str(fdt, "/aliases", "b", "a");
	str(fdt, "/aliases", "hop", "serial1");
	str(fdt, "/chosen", "stdout-path", "self:115200n8");
	EXPECT_EQ(bootfdt_stdout(fdt, &opts), -FDT_ERR_BADPATH);
	EXPECT_LOG("bootfdt: alias 'self' is not an absolute path; an alias may not name an alias");
	EXPECT_EQ(bootfdt_path(fdt, "a", 1), -FDT_ERR_BADPATH);
	EXPECT_EQ(bootfdt_path(fdt, "b/x", 3), -FDT_ERR_BADPATH);
	/* One hop through another alias is refused too: the spec says an
	 * alias's value is a full path. */
	EXPECT_EQ(bootfdt_path(fdt, "hop", 3), -FDT_ERR_BADPATH);
	/* A longer loop, a -> b -> c -> a, is refused at its first hop. */
	str(fdt, "/aliases", "c1", "c2");
	str(fdt, "/aliases", "c2", "c3");
	str(fdt, "/aliases", "c3", "c1");
	host_log_clear();
	EXPECT_EQ(bootfdt_path(fdt, "c2/serial", 9), -FDT_ERR_BADPATH);
	EXPECT_LOG("bootfdt: alias 'c2' is not an absolute path");
	/* An alias that is not a string at all. */
	raw(fdt, "/aliases", "junk", "\x01\x02", 2);
	EXPECT_EQ(bootfdt_path(fdt, "junk", 4), -FDT_ERR_BADPATH);
}

TEST(bootfdt, path_by_length)
{
	void *fdt = aliased_tree();

	/* Only len bytes count: the rest of the buffer is ignored. */
	EXPECT_EQ(bootfdt_path(fdt, "serial0XYZ", 7), at(fdt, "/soc/serial@7e201000"));
	EXPECT_EQ(bootfdt_path(fdt, "/socXYZ", 4), at(fdt, "/soc"));
	EXPECT_EQ(bootfdt_path(fdt, "serial1/", 8), at(fdt, "/soc/serial@7e215040"));
	EXPECT_EQ(bootfdt_path(fdt, "", 0), -FDT_ERR_BADPATH);
	EXPECT_EQ(bootfdt_path(fdt, "nosuch", 6), -FDT_ERR_NOTFOUND);
}

TEST(bootfdt, node_enabled)
{
	void *fdt = aliased_tree();

	EXPECT(bootfdt_node_enabled(fdt, at(fdt, "/soc")));
	str(fdt, "/soc", "status", "okay");
	EXPECT(bootfdt_node_enabled(fdt, at(fdt, "/soc")));
	str(fdt, "/soc", "status", "ok");
	EXPECT(bootfdt_node_enabled(fdt, at(fdt, "/soc")));
	str(fdt, "/soc", "status", "disabled");
	EXPECT(!bootfdt_node_enabled(fdt, at(fdt, "/soc")));
}

/* Ranges as a Raspberry Pi 3 has them: one cell each, the peripherals at
 * bus address 0x7e000000 seen by the CPU at 0x3f000000, the local
 * peripherals identity-mapped by a second entry. */
TEST(bootfdt, reg_raspberry_pi_soc)
{
	void *fdt = tree(1, 1);
	struct fdt_reg reg;

	add(fdt, "/", "soc");
	CELLS(fdt, "/soc", "#address-cells", 1);
	CELLS(fdt, "/soc", "#size-cells", 1);
	CELLS(fdt, "/soc", "ranges", 0x7e000000, 0x3f000000, 0x1000000, 0x40000000, 0x40000000,
	      0x1000);
	add(fdt, "/soc", "serial@7e215040");
	CELLS(fdt, "/soc/serial@7e215040", "reg", 0x7e215040, 0x40);
	add(fdt, "/soc", "local@40000000");
	CELLS(fdt, "/soc/local@40000000", "reg", 0x40000000, 0x100);

	REQUIRE(bootfdt_reg(fdt, at(fdt, "/soc/serial@7e215040"), 0, &reg) == 0);
	EXPECT_EQ(reg.addr, 0x3f215040);
	EXPECT_EQ(reg.size, 0x40);
	REQUIRE(bootfdt_reg(fdt, at(fdt, "/soc/local@40000000"), 0, &reg) == 0);
	EXPECT_EQ(reg.addr, 0x40000000);
	/* The last byte of the first window, and one past it. */
	CELLS(fdt, "/soc/serial@7e215040", "reg", 0x7effffff, 0x1);
	REQUIRE(bootfdt_reg(fdt, at(fdt, "/soc/serial@7e215040"), 0, &reg) == 0);
	EXPECT_EQ(reg.addr, 0x3fffffff);
	CELLS(fdt, "/soc/serial@7e215040", "reg", 0x7f000000, 0x1);
	EXPECT_EQ(bootfdt_reg(fdt, at(fdt, "/soc/serial@7e215040"), 0, &reg), -ERANGE);
}

/* Three levels with different cell counts at each: root 2/2, a bus of
 * 1/1 whose ranges map to 2-cell parent addresses, a bus of 2/1 below it
 * whose ranges map 2-cell child addresses to 1-cell parent ones. */
TEST(bootfdt, reg_three_levels_mixed_cells)
{
	void *fdt = tree(2, 2);
	struct fdt_reg reg;

	add(fdt, "/", "soc");
	CELLS(fdt, "/soc", "#address-cells", 1);
	CELLS(fdt, "/soc", "#size-cells", 1);
	/* child 0x10000000.. -> parent 0x8_00000000.. (2 address cells, 1 size) */
	CELLS(fdt, "/soc", "ranges", 0x10000000, 0x8, 0x0, 0x1000000);
	add(fdt, "/soc", "bridge@10000000");
	CELLS(fdt, "/soc/bridge@10000000", "#address-cells", 2);
	CELLS(fdt, "/soc/bridge@10000000", "#size-cells", 1);
	/* child 0x1_00000000.. -> parent 0x10400000.. */
	CELLS(fdt, "/soc/bridge@10000000", "ranges", 0x1, 0x0, 0x10400000, 0x10000);
	add(fdt, "/soc/bridge@10000000", "uart@1,100");
	CELLS(fdt, "/soc/bridge@10000000/uart@1,100", "reg", 0x1, 0x100, 0x20);

	REQUIRE(bootfdt_reg(fdt, at(fdt, "/soc/bridge@10000000/uart@1,100"), 0, &reg) == 0);
	EXPECT_EQ(reg.addr, 0x800400100);
	EXPECT_EQ(reg.size, 0x20);
	/* A ranges whose length is not whole entries is refused. */
	CELLS(fdt, "/soc/bridge@10000000", "ranges", 0x1, 0x0, 0x10400000, 0x10000, 0x0);
	EXPECT_EQ(bootfdt_reg(fdt, at(fdt, "/soc/bridge@10000000/uart@1,100"), 0, &reg), -EINVAL);
	EXPECT_LOG("bootfdt: bridge@10000000: ranges is 20 bytes, not a multiple of 16");
}

/* bootfdt_content_size: what a padded blob really uses. */
TEST(bootfdt, content_size_of_padded_blob)
{
	void *fdt = packed_sample();
	u32 used = fdt_totalsize(fdt);
	void *big = calloc(1, 3u << 20);

	REQUIRE(big);
	EXPECT_EQ(bootfdt_content_size(fdt), used);
	/* Grown the way QEMU grows a -dtb: the same blob, 3 MiB of room. */
	REQUIRE(fdt_open_into(fdt, big, 3u << 20) == 0);
	EXPECT_EQ(fdt_totalsize(big), 3u << 20);
	EXPECT(bootfdt_content_size(big) <= ALIGN_UP((u64)used, 8));
	EXPECT(bootfdt_content_size(big) >=
	       (u64)fdt_off_dt_strings(big) + fdt_size_dt_strings(big));
	/* Cut to what is used, it is still a sound tree. */
	fdt_set_totalsize(big, (u32)bootfdt_content_size(big));
	EXPECT_STR(check(big, 3u << 20), NULL);
	/* Blocks in an unusual order: no answer. */
	fdt_set_off_mem_rsvmap(big, fdt_off_dt_strings(big) + 8);
	EXPECT_EQ(bootfdt_content_size(big), 0);
	free(big);
}

/* /chosen ranges follow the root's cell counts, as kexec writes them with
 * fdt_appendprop_addrrange; two u64s are read whatever those are. A
 * Raspberry Pi's root has 1/1: the KHO handover there is 8 bytes. */
TEST(bootfdt, chosen_range_follows_root_cells)
{
	void *fdt = tree(1, 1);
	struct mem_range r;

	add(fdt, "/", "chosen");
	REQUIRE(fdt_appendprop_addrrange(fdt, 0, at(fdt, "/chosen"), "linux,kho-fdt", 0x3b077000,
					 0x1000) == 0);
	REQUIRE(bootfdt_chosen_range(fdt, "linux,kho-fdt", &r));
	EXPECT_EQ(r.base, 0x3b077000);
	EXPECT_EQ(r.size, 0x1000);
	CELLS(fdt, "/chosen", "baton,image", 0x0, 0x3ae00000, 0x0, 0x1b000);
	REQUIRE(bootfdt_chosen_range(fdt, "baton,image", &r));
	EXPECT_EQ(r.base, 0x3ae00000);
	EXPECT_EQ(r.size, 0x1b000);
	CELLS(fdt, "/chosen", "baton,image", 0x3ae00000, 0x1b000, 0x0);
	EXPECT(!bootfdt_chosen_range(fdt, "baton,image", &r));
	CELLS(fdt, "/chosen", "baton,image", 0x3ae00000, 0x0);
	EXPECT(!bootfdt_chosen_range(fdt, "baton,image", &r)); /* empty */

	fdt = tree(2, 1);
	add(fdt, "/", "chosen");
	REQUIRE(fdt_appendprop_addrrange(fdt, 0, at(fdt, "/chosen"), "linux,kho-scratch",
					 0x100000000, 0x2000) == 0);
	REQUIRE(bootfdt_chosen_range(fdt, "linux,kho-scratch", &r));
	EXPECT_EQ(r.base, 0x100000000);
	EXPECT_EQ(r.size, 0x2000);
}

/* A reservation block that runs off the end of the blob (no terminating
 * empty entry inside it) is refused, not read as "no reservations". */
TEST(bootfdt, reserved_block_unterminated)
{
	void *fdt = packed_sample();
	struct bootfdt_resv r[4];

	fdt_set_off_mem_rsvmap(fdt, fdt_totalsize(fdt) - 8);
	EXPECT_EQ(bootfdt_reserved(fdt, r, 4), -EBADMSG);
	EXPECT_LOG("bootfdt: the memory reservation block is damaged");
}

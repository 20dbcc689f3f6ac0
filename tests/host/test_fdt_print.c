/*
 * test_fdt_print.c — kernel/fdt_print.c: a tree made here with libfdt is
 * printed, and the text must be the DTS dtc would write for it: strings,
 * string lists, cells, bytes, empty properties, nesting, /memreserve/,
 * a subtree by path, and a value cut at FDT_PRINT_MAX_VALUE.
 */
#include <string.h>
#include <libfdt.h>

#include "harness.h"
#include "host.h"
#include "fdt_print.h"

#define TREE_SIZE 16384
static fdt64_t buf[TREE_SIZE / 8];

static void *tree(void)
{
	void *fdt = buf;
	fdt32_t reg[4] = { cpu_to_fdt32(0), cpu_to_fdt32(0x40000000), cpu_to_fdt32(0),
			   cpu_to_fdt32(0x1000) };
	static const char compat[] = "acme,board\0acme,soc";
	static const u8 bytes[3] = { 0x01, 0xab, 0x00 };
	int n, c;

	REQUIRE(fdt_create_empty_tree(fdt, TREE_SIZE) == 0);
	REQUIRE(fdt_add_mem_rsv(fdt, 0x48000000, 0x100000) == 0);
	/* fdt_setprop and fdt_add_subnode both put what they add in front of
	 * the node's properties or subnodes: the last added comes first. */
	REQUIRE(fdt_setprop_u32(fdt, 0, "#address-cells", 2) == 0);
	REQUIRE(fdt_setprop(fdt, 0, "compatible", compat, sizeof(compat)) == 0);
	REQUIRE((n = fdt_add_subnode(fdt, 0, "soc")) >= 0);
	REQUIRE(fdt_setprop(fdt, n, "ranges", NULL, 0) == 0);
	REQUIRE((c = fdt_add_subnode(fdt, n, "uart@9000000")) >= 0);
	REQUIRE(fdt_setprop(fdt, c, "bytes", bytes, sizeof(bytes)) == 0);
	REQUIRE(fdt_setprop(fdt, c, "reg", reg, sizeof(reg)) == 0);
	REQUIRE((n = fdt_add_subnode(fdt, 0, "chosen")) >= 0);
	REQUIRE(fdt_setprop(fdt, n, "empty-string", "", 1) == 0);
	REQUIRE(fdt_setprop_string(fdt, n, "bootargs", "shell say=\"hi\"") == 0);
	host_console_register();
	host_log_clear();
	return fdt;
}

TEST(fdt_print, whole_tree_as_dts)
{
	void *fdt = tree();

	fdt_print(fdt, 0);
	EXPECT_STR(host_log(), "/dts-v1/;\r\n\r\n"
			       "/memreserve/ 0x0000000048000000 0x0000000000100000;\r\n\r\n"
			       "/ {\r\n"
			       "\tcompatible = \"acme,board\", \"acme,soc\";\r\n"
			       "\t#address-cells = <0x2>;\r\n"
			       "\tchosen {\r\n"
			       "\t\tbootargs = \"shell say=\\\"hi\\\"\";\r\n"
			       "\t\tempty-string = [00];\r\n"
			       "\t};\r\n"
			       "\tsoc {\r\n"
			       "\t\tranges;\r\n"
			       "\t\tuart@9000000 {\r\n"
			       "\t\t\treg = <0x0 0x40000000 0x0 0x1000>;\r\n"
			       "\t\t\tbytes = [01 ab 00];\r\n"
			       "\t\t};\r\n"
			       "\t};\r\n"
			       "};\r\n");
}

TEST(fdt_print, subtree_by_path)
{
	void *fdt = tree();
	int n = fdt_path_offset(fdt, "/soc/uart@9000000");

	REQUIRE(n >= 0);
	fdt_print(fdt, n);
	EXPECT_STR(host_log(), "/soc/uart@9000000 {\r\n"
			       "\treg = <0x0 0x40000000 0x0 0x1000>;\r\n"
			       "\tbytes = [01 ab 00];\r\n"
			       "};\r\n");
	/* A node with a sibling after it prints itself only. */
	host_log_clear();
	fdt_print(fdt, fdt_path_offset(fdt, "/chosen"));
	EXPECT_NO_LOG("soc");
	EXPECT_LOG("/chosen {\r\n\tbootargs");
}

TEST(fdt_print, long_value_cut)
{
	void *fdt = tree();
	static u8 big[FDT_PRINT_MAX_VALUE + 8];
	int n = fdt_path_offset(fdt, "/chosen");

	memset(big, 0x11, sizeof(big));
	REQUIRE(fdt_setprop(fdt, n, "blob", big, sizeof(big)) == 0);
	fdt_print(fdt, n);
	EXPECT_LOG("blob = <0x11111111 0x11111111");
	EXPECT_LOG("0x11111111> /* 8 more bytes not shown */;\r\n");
}

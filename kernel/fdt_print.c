/*
 * fdt_print.c — a flattened device tree as text that reads like the DTS
 * dtc would write back (dtc -I dtb -O dts), for people at the shell's
 * `fdt` command (kernel/shell.c). Walks the tree with libfdt; changes
 * nothing.
 *
 * A property's value is shown, as dtc guesses it, as
 *   strings  "a", "b"       every byte printable or NUL, NUL-ended, no
 *                           empty string in the list;
 *   cells    <0x1 0x2>      else, when its length is a multiple of 4;
 *   bytes    [01 02 03]     else;
 * an empty property as "name;". A value longer than FDT_PRINT_MAX_VALUE
 * bytes is cut there, with a comment saying how much was left out.
 */
#include "fdt_print.h"
#include "console.h"
#include "types.h"
#include <libfdt.h>

static void indent(int depth)
{
	for (int i = 0; i < depth; i++)
		console_printf("\t");
}

static bool is_string_list(const u8 *v, int len)
{
	if (len <= 0 || v[len - 1] != 0 || v[0] == 0)
		return false;
	for (int i = 0; i < len; i++) {
		if (v[i] == 0 && i + 1 < len && v[i + 1] == 0)
			return false; /* an empty string inside */
		if (v[i] != 0 && (v[i] < 0x20 || v[i] > 0x7e))
			return false;
	}
	return true;
}

static void print_strings(const u8 *v, int len)
{
	console_printf("\"");
	for (int i = 0; i < len - 1; i++) {
		if (v[i] == 0)
			console_printf("\", \"");
		else if (v[i] == '"' || v[i] == '\\')
			console_printf("\\%c", v[i]);
		else
			console_printf("%c", v[i]);
	}
	console_printf("\"");
}

static void print_value(const u8 *v, int len)
{
	int more = len > FDT_PRINT_MAX_VALUE ? len - FDT_PRINT_MAX_VALUE : 0;
	int shown = len - more;

	if (len <= FDT_PRINT_MAX_VALUE && is_string_list(v, len)) {
		print_strings(v, len);
	} else if (len % 4 == 0) {
		console_printf("<");
		for (int i = 0; i < shown; i += 4)
			console_printf(i ? " 0x%x" : "0x%x", (u32)v[i] << 24 | (u32)v[i + 1] << 16 |
								     (u32)v[i + 2] << 8 | v[i + 3]);
		console_printf(">");
	} else {
		console_printf("[");
		for (int i = 0; i < shown; i++)
			console_printf(i ? " %02x" : "%02x", v[i]);
		console_printf("]");
	}
	if (more)
		console_printf(" /* %d more bytes not shown */", more);
}

static void print_node_open(const void *fdt, int node, int depth, bool top)
{
	char path[256];
	const char *name = fdt_get_name(fdt, node, NULL);
	int prop;

	if (top && node == 0)
		name = "/";
	else if (top && fdt_get_path(fdt, node, path, sizeof(path)) == 0)
		name = path;
	indent(depth);
	console_printf("%s {\n", name && *name ? name : "/");
	fdt_for_each_property_offset(prop, fdt, node) {
		const char *pname;
		int len;
		const void *v = fdt_getprop_by_offset(fdt, prop, &pname, &len);

		if (!v)
			continue;
		indent(depth + 1);
		if (len == 0) {
			console_printf("%s;\n", pname);
			continue;
		}
		console_printf("%s = ", pname);
		print_value(v, len);
		console_printf(";\n");
	}
}

static void print_close(int from, int to)
{
	for (int d = from; d >= to; d--) {
		indent(d);
		console_printf("};\n");
	}
}

void fdt_print(const void *fdt, int node)
{
	int depth = 0, cur = 0;

	if (node == 0) {
		console_printf("/dts-v1/;\n\n");
		for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
			u64 base, size;

			if (fdt_get_mem_rsv(fdt, i, &base, &size) == 0)
				console_printf("/memreserve/ 0x%016llx 0x%016llx;\n",
					       (unsigned long long)base, (unsigned long long)size);
		}
		if (fdt_num_mem_rsv(fdt) > 0)
			console_printf("\n");
	}
	print_node_open(fdt, node, 0, true);
	for (;;) {
		int next = fdt_next_node(fdt, node, &depth);

		if (next < 0 || depth <= 0) {
			print_close(cur, 0); /* out of the subtree: close it all */
			return;
		}
		print_close(cur, depth); /* a child closes nothing, a sibling itself */
		print_node_open(fdt, next, depth, false);
		node = next;
		cur = depth;
	}
}

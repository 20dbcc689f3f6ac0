/*
 * uart.c — brings up the console UART: the node /chosen/stdout-path names
 * (an alias or a path, with an optional ":115200n8" suffix), matched to a
 * driver by its compatible strings. Called from kernel_main.
 */
#include "uart.h"
#include "console.h"
#include "kstring.h"
#include "printk.h"
#include <libfdt.h>

static const struct uart_driver *const drivers[] = {
	&ns16550_driver,
	&pl011_driver,
};

static bool uart_probe(const void *fdt, int node)
{
	for (size_t i = 0; i < sizeof(drivers) / sizeof(drivers[0]); i++) {
		for (const char *const *c = drivers[i]->compatible; *c; c++) {
			if (fdt_node_check_compatible(fdt, node, *c) == 0)
				return drivers[i]->probe(fdt, node);
		}
	}
	return false;
}

bool uart_console_init(const void *fdt)
{
	const char *path, *colon;
	int chosen, node, len;

	chosen = fdt_path_offset(fdt, "/chosen");
	path = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;
	if (!path || len < 2 || path[len - 1] != '\0') {
		pr_err("console: no /chosen/stdout-path in the boot FDT");
		return false;
	}
	colon = strchr(path, ':');
	node = fdt_path_offset_namelen(fdt, path, colon ? (int)(colon - path) : (int)strlen(path));
	if (node < 0) {
		pr_err("console: stdout-path '%s' names no node (%s)", path, fdt_strerror(node));
		return false;
	}
	if (!uart_probe(fdt, node)) {
		pr_err("console: no driver for stdout-path '%s'", path);
		return false;
	}
	pr_info("console: %s (%s)", console_current()->name, path);
	return true;
}

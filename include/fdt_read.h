/*
 * fdt_read.h — two small readings of a device tree that the kernel's
 * bootfdt.c and the loaders' code (lib/zeropage.c) both make: a number
 * spread over #address-cells or #size-cells cells, and whether a node is
 * enabled. Needs libfdt.h before it.
 */
#ifndef BATON_FDT_READ_H
#define BATON_FDT_READ_H

#include "kstring.h"
#include "types.h"

/* The big-endian number in cells 32-bit cells at p (1 or 2 for a u64). */
static inline u64 fdt_read_cells(const fdt32_t *p, int cells)
{
	u64 v = 0;

	while (cells--)
		v = (v << 32) | fdt32_to_cpu(*p++);
	return v;
}

/* A node is enabled when its status is absent, "okay" or "ok". The
 * property's bytes are compared whole, NUL included: a value need not end
 * in one, and a hostile tree's does not. */
static inline bool fdt_node_okay(const void *fdt, int node)
{
	int len;
	const char *s = fdt_getprop(fdt, node, "status", &len);

	return !s || (len == 5 && memcmp(s, "okay", 5) == 0) ||
	       (len == 3 && memcmp(s, "ok", 3) == 0);
}

#endif

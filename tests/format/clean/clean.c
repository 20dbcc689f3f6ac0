/*
 * clean.c — formatted as .clang-format says, with what the style keeps:
 * includes in the order written, a table the formatter is told to leave
 * alone, libfdt's iterator written as a loop, kernel-style braces.
 */
#include "types.h"
#include "compiler.h"
#include <libfdt.h>

/* A table with several entries a line: not formatted by clang-format. */
/* clang-format off */
static const char *const colours[] = {
	"red",    "green", "blue",
	"yellow", "black", "white",
};
/* clang-format on */

struct pair {
	int key;   /* looked up by */
	int value; /* what it maps to */
};

static int count_children(const void *fdt, int parent)
{
	int node, n = 0;

	fdt_for_each_subnode(node, fdt, parent) {
		if (n > 100)
			break;
		n++;
	}
	return n;
}

int clean_lookup(const struct pair *p, int nr, int key, int *out)
{
	for (int i = 0; i < nr; i++) {
		if (p[i].key == key) {
			*out = p[i].value;
			return 0;
		}
	}
	switch (key) {
	case 0:
		return -1;
	default:
		return count_children(NULL, key) ? -2 : -3;
	}
}

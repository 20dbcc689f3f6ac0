/*
 * fdt_name.h — a device-tree node name with its unit address, as the
 * devicetree specification writes it: "<name>@<hex address>", lower-case
 * hex without leading zeros. For the loaders that build a boot FDT (the
 * EFI loader, the bzImage front end), which have no snprintf of their own.
 */
#ifndef BATON_FDT_NAME_H
#define BATON_FDT_NAME_H

#include "types.h"

/* Into out (at least strlen(name) + 18 bytes). */
static inline void fdt_unit_name(char *out, const char *name, u64 addr)
{
	static const char hex[] = "0123456789abcdef";
	int n = 0, shift = 60;

	while (*name)
		out[n++] = *name++;
	out[n++] = '@';
	while (shift > 0 && !(addr >> shift & 0xf))
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		out[n++] = hex[addr >> shift & 0xf];
	out[n] = 0;
}

#endif

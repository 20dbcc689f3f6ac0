/*
 * pc_fdt.c — a PC's nodes in a boot FDT (boot/pc_fdt.h). The kernel finds
 * its console from them (stdout-path "serial0" -> /aliases -> the ISA
 * 16550 at I/O port 0x3f8, reg = <1 0x3f8 8>: I/O space, port, length).
 */
#include "pc_fdt.h"
#include <libfdt.h>

#define COM1 0x3f8

#define TRY(x)                       \
	do {                         \
		int err_ = (x);      \
		if (err_ < 0)        \
			return err_; \
	} while (0)

int pc_fdt_nodes(void *fdt, const char *model)
{
	fdt32_t serial_reg[3] = { cpu_to_fdt32(1), cpu_to_fdt32(COM1), cpu_to_fdt32(8) };
	int aliases, isa, serial;

	TRY(fdt_setprop_u32(fdt, 0, "#address-cells", 2));
	TRY(fdt_setprop_u32(fdt, 0, "#size-cells", 2));
	TRY(fdt_setprop_string(fdt, 0, "compatible", "baton,pc"));
	TRY(fdt_setprop_string(fdt, 0, "model", model));
	TRY(aliases = fdt_add_subnode(fdt, 0, "aliases"));
	TRY(fdt_setprop_string(fdt, aliases, "serial0", "/isa/serial@3f8"));
	TRY(isa = fdt_add_subnode(fdt, 0, "isa"));
	TRY(fdt_setprop_string(fdt, isa, "compatible", "isa"));
	TRY(fdt_setprop_string(fdt, isa, "device_type", "isa"));
	TRY(fdt_setprop_u32(fdt, isa, "#address-cells", 2));
	TRY(fdt_setprop_u32(fdt, isa, "#size-cells", 1));
	TRY(serial = fdt_add_subnode(fdt, isa, "serial@3f8"));
	TRY(fdt_setprop_string(fdt, serial, "compatible", "ns16550a"));
	TRY(fdt_setprop(fdt, serial, "reg", serial_reg, sizeof(serial_reg)));
	TRY(fdt_setprop_u32(fdt, serial, "clock-frequency", 1843200));
	TRY(fdt_setprop_u32(fdt, serial, "current-speed", 115200));
	return 0;
}

/*
 * bootfdt.h — reading the boot FDT: the one place the kernel learns about the
 * machine (DESIGN.md section 3).
 *
 * bootfdt_check() validates the whole blob once; every other function here
 * assumes a blob that passed it, and still checks each property it reads
 * (lengths, cell counts) because a valid structure can hold silly values.
 */
#ifndef BATON_BOOTFDT_H
#define BATON_BOOTFDT_H

#include "types.h"

/* Largest boot FDT accepted, as on Linux/arm64. */
#define BOOTFDT_MAX_SIZE (2UL << 20)

struct mem_range {
	phys_addr_t base;
	u64 size;
};

/* A device's register window as the CPU sees it. */
struct fdt_reg {
	u64 addr;
	u64 size;
	bool io_port; /* x86 I/O port space (an ISA node's "1" cell) */
};

/* Validate header, sizes and structure. Returns NULL when fdt is sound, or a
 * sentence saying what is wrong. avail is how many bytes at fdt are mapped
 * and may be read (at least a header). */
const char *bootfdt_check(const void *fdt, u64 avail);

/* RAM from every /memory node (device_type = "memory"), sorted by address,
 * touching ranges merged. Returns the count, or -1 (and logs why) when a
 * node is malformed or there are more than max ranges. */
int bootfdt_memory(const void *fdt, struct mem_range *out, int max);

/* Reserved RAM: the memory reservation block, then every /reserved-memory
 * child with a reg. Same returns as bootfdt_memory, not merged. */
int bootfdt_reserved(const void *fdt, struct mem_range *out, int max);

/* /chosen/bootargs, or "" when absent or not a proper string. */
const char *bootfdt_bootargs(const void *fdt);

/* /chosen/<name> as one u64 (one or two cells); false when absent/bad. */
bool bootfdt_chosen_u64(const void *fdt, const char *name, u64 *out);

/* /chosen/<name> = <u64 base, u64 size> (16 bytes); false when absent,
 * malformed, empty or wrapping. */
bool bootfdt_chosen_range(const void *fdt, const char *name, struct mem_range *out);

/* Register window index of node, translated through the parents' "ranges"
 * to a CPU address. Returns 0, or -1 (and logs why). */
int bootfdt_reg(const void *fdt, int node, int index, struct fdt_reg *reg);

/* A u32 property of node, or def when absent or not 4 bytes long. */
u32 bootfdt_u32(const void *fdt, int node, const char *name, u32 def);

#endif

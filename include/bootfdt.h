/*
 * bootfdt.h — reading the boot FDT: the one place the kernel learns about the
 * machine (docs/design.md section 3).
 *
 * bootfdt_check() validates the whole blob once; every other function here
 * assumes a blob that passed it, and still checks each property it reads
 * (lengths, cell counts) because a valid structure can hold silly values.
 */
#ifndef BATON_BOOTFDT_H
#define BATON_BOOTFDT_H

#include "types.h"
#include "kerrno.h"

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

/* Validate header, sizes and structure. Returns 0 when fdt is sound, else a
 * negative code (kerrno.h) with a sentence saying what is wrong in why (n
 * bytes). avail is how many bytes at fdt are mapped and may be read. */
int bootfdt_check(const void *fdt, u64 avail, char *why, size_t n);

/* RAM from every /memory node (device_type = "memory"), sorted by address,
 * touching ranges merged. Returns the count, or a negative code (and logs
 * why) when a
 * node is malformed or there are more than max ranges. */
int bootfdt_memory(const void *fdt, struct mem_range *out, int max);

/*
 * Reserved RAM, one entry per range: the memory reservation block
 * ("memreserve") and every enabled /reserved-memory child with a reg
 * ("reserved-memory", no_map when it has the no-map property: the OS must
 * not even map it, because the firmware or another agent uses it with
 * attributes of its own). name is the node's name in the FDT ("" for
 * memreserve). Same returns as bootfdt_memory; not merged. (Spin-table
 * release pages are the arch's: arch_reserve_firmware.)
 */
struct bootfdt_resv {
	phys_addr_t base;
	u64 size;
	bool no_map;
	const char *source, *name;
};
int bootfdt_reserved(const void *fdt, struct bootfdt_resv *out, int max);

/* A node's status is absent, "okay" or "ok". */
bool bootfdt_node_enabled(const void *fdt, int node);

/* Resolve a path of len bytes (not NUL-terminated): absolute, or through
 * /aliases; an alias whose value is not an absolute path is refused (an
 * alias loop, as libfdt would recurse on). Returns the node or -FDT_ERR_*. */
int bootfdt_path(const void *fdt, const char *path, int len);

/* The node /chosen/stdout-path names (alias or path, "...:options" cut off;
 * *options points at the text after the colon, or is NULL). Returns the
 * node, -FDT_ERR_NOTFOUND when there is no stdout-path, another negative
 * (and logs why) when it is unusable. */
int bootfdt_stdout(const void *fdt, const char **options);

/* Bytes of fdt its header says are used: the end of its last block. QEMU
 * and firmware pad a blob they grew with free space (QEMU doubles a -dtb
 * file's size), and totalsize counts that too. Header fields unchecked;
 * 0 when the blocks are not in the usual order (reservations first). */
u64 bootfdt_content_size(const void *fdt);

/* /chosen/bootargs, or "" when absent or not a proper string. */
const char *bootfdt_bootargs(const void *fdt);

/* /chosen/<name> as a string; NULL when absent or not NUL-terminated. */
const char *bootfdt_chosen_string(const void *fdt, const char *name);

/* /chosen/<name> as one u64 (one or two cells); false when absent/bad. */
bool bootfdt_chosen_u64(const void *fdt, const char *name, u64 *out);

/* /chosen/<name> = <base size> in the root's #address-cells/#size-cells
 * (as fdt_appendprop_addrrange(fdt, 0, ...) writes it, and Linux reads
 * linux,kho-fdt), or two u64s (16 bytes) whatever those are; false when
 * absent, malformed, empty or wrapping. */
bool bootfdt_chosen_range(const void *fdt, const char *name, struct mem_range *out);
/* The initrd from /chosen linux,initrd-start and linux,initrd-end (each
 * one cell or two): false when there is none or the two make no range. */
bool bootfdt_initrd(const void *fdt, struct mem_range *out);
/* The same, given /chosen's offset (a caller building a tree knows it). */
bool bootfdt_initrd_at(const void *fdt, int chosen, struct mem_range *out);

/* /chosen's offset in fdt, or a negative libfdt error. For the boot FDT,
 * once kernel_main has called bootfdt_remember_chosen (it does not change
 * after), the offset found then; for any other tree, libfdt's lookup. */
int bootfdt_chosen(const void *fdt);
void bootfdt_remember_chosen(const void *fdt);

/* Register window index of node, translated through the parents' "ranges"
 * to a CPU address. Returns 0, or a negative code (and logs why). */
int bootfdt_reg(const void *fdt, int node, int index, struct fdt_reg *reg);

/* A u32 property of node, or def when absent or not 4 bytes long. */
u32 bootfdt_u32(const void *fdt, int node, const char *name, u32 def);

#endif

/*
 * fuzz_bootfdt.c — libFuzzer target over what the kernel does with the boot
 * FDT a loader hands it, before and after it trusts it (kernel_main's steps
 * 2 to 6, docs/design.md section 3):
 *
 *   bootfdt_content_size on the raw header (boot_fdt_map, before the check),
 *   bootfdt_check, and then, only for a blob it accepts: the command line
 *   property, /memory, the reservations (with the kernel's table size and a
 *   tiny one), stdout-path and every /aliases entry through bootfdt_path,
 *   the /chosen ranges and numbers the kernel reads, every node's status,
 *   reg (translated up through its buses) and u32 properties, the console
 *   choice of drivers/uart/uart.c (stand-in drivers, fuzz_boot.c), and
 *   bootmem_init on the fake arch.
 *
 * An input is the blob itself, in a buffer exactly its size, so a read past
 * it is an ASan report. bootmem_init may refuse with a panic (a tree whose
 * memory or reservations cannot be read must stop the boot): that is an
 * answer, not a finding (fuzz_boot.h). FUZZ_SHOW_LOG=1 prints the kernel's
 * log for each input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "fuzz_boot.h"
#include "host.h"
#include "bootfdt.h"
#include "bootmem.h"
#include "memblock.h"
#include "uart.h"

#define FDT_PHYS 0x48000000ULL
#define MAX_NODES 4096

static const char *const chosen_ranges[] = { "linux,kho-fdt", "linux,kho-scratch", "baton,image" };
static const char *const chosen_numbers[] = { "baton,acpi-rsdp", "baton,generation" };

static void every_alias(const void *fdt)
{
	int aliases = fdt_path_offset(fdt, "/aliases"), prop;
	char path[80];

	if (aliases < 0)
		return;
	fdt_for_each_property_offset(prop, fdt, aliases) {
		const char *name;
		int len;

		if (!fdt_getprop_by_offset(fdt, prop, &name, &len) || !name)
			continue;
		(void)bootfdt_path(fdt, name, (int)strlen(name));
		snprintf(path, sizeof(path), "%s/child@0/x", name);
		(void)bootfdt_path(fdt, path, (int)strlen(path));
	}
}

static void every_node(const void *fdt)
{
	int node = -1, count = 0;
	char path[256];

	while ((node = fdt_next_node(fdt, node, NULL)) >= 0 && count++ < MAX_NODES) {
		struct fdt_reg reg;

		(void)bootfdt_node_enabled(fdt, node);
		for (int i = 0; i < 3 && fdt_getprop(fdt, node, "reg", NULL); i++)
			if (bootfdt_reg(fdt, node, i, &reg) < 0)
				break;
		(void)bootfdt_u32(fdt, node, "reg-shift", 0);
		(void)bootfdt_u32(fdt, node, "#address-cells", 2);
		if (fdt_get_path(fdt, node, path, sizeof(path)) == 0)
			(void)bootfdt_path(fdt, path, (int)strlen(path));
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct mem_range mem[64];
	static struct bootfdt_resv resv[64];
	const char *opts, *args;
	char why[ERR_WHY_MAX];
	struct mem_range range;
	void *fdt = malloc(size ? size : 1);
	bool show = getenv("FUZZ_SHOW_LOG");
	u64 v;

	if (show)
		host_console_register();
	memcpy(fdt, data, size);
	if (size >= sizeof(struct fdt_header) && fdt_magic(fdt) == FDT_MAGIC)
		(void)bootfdt_content_size(fdt);
	if (bootfdt_check(fdt, size, why, sizeof(why))) {
		if (show)
			fprintf(stderr, "refused: %s\n", why);
		free(fdt);
		return 0;
	}

	args = bootfdt_bootargs(fdt);
	if (strlen(args) > fdt_totalsize(fdt))
		abort();
	(void)bootfdt_memory(fdt, mem, 64);
	(void)bootfdt_memory(fdt, mem, 2);
	(void)bootfdt_reserved(fdt, resv, 64);
	(void)bootfdt_reserved(fdt, resv, 3);
	(void)bootfdt_stdout(fdt, &opts);
	every_alias(fdt);
	for (size_t i = 0; i < sizeof(chosen_ranges) / sizeof(chosen_ranges[0]); i++)
		if (bootfdt_chosen_range(fdt, chosen_ranges[i], &range) &&
		    (range.size == 0 || range.base + range.size <= range.base))
			abort(); /* promised: not empty, not wrapping */
	for (size_t i = 0; i < sizeof(chosen_numbers) / sizeof(chosen_numbers[0]); i++)
		(void)bootfdt_chosen_u64(fdt, chosen_numbers[i], &v);
	every_node(fdt);
	(void)FUZZ_SURVIVE_PANIC(uart_console_init(fdt));
	if (FUZZ_SURVIVE_PANIC(bootmem_init(fdt, FDT_PHYS)))
		memblock_check();

	if (show) {
		fputs(host_log(), stderr);
		host_log_clear();
	}
	free(fdt);
	return 0;
}

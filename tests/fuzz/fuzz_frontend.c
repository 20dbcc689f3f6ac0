/*
 * fuzz_frontend.c — the x86-64 front ends' fuzzers' fake memory, console
 * and checks (fuzz_frontend.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <libfdt.h>

#include "fuzz_frontend.h"
#include "bootfdt.h"

static u8 *mem;
static u64 mem_size;

void *lb_map(u64 pa, u64 len)
{
	if (len == 0)
		len = 1;
	if (pa < FUZZ_MEM_BASE || pa + len < pa || pa + len > FUZZ_MEM_BASE + mem_size)
		return NULL;
	return mem + (pa - FUZZ_MEM_BASE);
}

void lb_note(const char *fmt, ...)
{
	va_list ap;

	if (!getenv("FUZZ_SHOW_LOG"))
		return;
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

int fuzz_mem_set(const u8 *data, size_t size)
{
	mem_size = size;
	mem = malloc(size ? size : 1);
	if (!mem)
		return -1;
	memcpy(mem, data, size);
	return 0;
}

void fuzz_mem_free(void)
{
	free(mem);
	mem = NULL;
}

static void sound(const struct lb_range *r, int n, const char *what)
{
	for (int i = 0; i < n; i++) {
		if (!r[i].size || r[i].base + r[i].size < r[i].base ||
		    (r[i].base | r[i].size) & 0xfff ||
		    (i && r[i - 1].base + r[i - 1].size >= r[i].base)) {
			fprintf(stderr,
				"%s range %d (0x%llx + 0x%llx) is not sorted, disjoint and in pages\n",
				what, i, (unsigned long long)r[i].base,
				(unsigned long long)r[i].size);
			abort();
		}
	}
}

void fuzz_frontend_check(const struct lb_info *info, struct lb_range image, const char *why)
{
	static u64 fdt[LB_FDT_SIZE / 8];
	static struct mem_range ram[LB_MAX_RANGES];
	char bad[ERR_WHY_MAX];
	int n;

	if (!why) {
		sound(info->ram, info->nr_ram, "RAM");
		sound(info->resv, info->nr_resv, "reserved");
	}
	if (lb_fdt_build(fdt, sizeof(fdt), info, image, why) < 0)
		return; /* too big for 64 KiB: lb_fdt_write then writes one without memory */
	if (bootfdt_check(fdt, fdt_totalsize(fdt), bad, sizeof(bad))) {
		fprintf(stderr, "the kernel refuses the front end's FDT: %s\n", bad);
		abort();
	}
	if (why)
		return;
	n = bootfdt_memory(fdt, ram, LB_MAX_RANGES);
	if (n != info->nr_ram) {
		fprintf(stderr, "/memory has %d ranges, the front end made %d\n", n, info->nr_ram);
		abort();
	}
	for (int i = 0; i < n; i++)
		if (ram[i].base != info->ram[i].base || ram[i].size != info->ram[i].size)
			abort();
}

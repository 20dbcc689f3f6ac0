/*
 * test_bootmem.c — kernel/bootmem.c: the boot FDT's memory map into
 * memblock and the direct map. Several /memory nodes and ranges, plain and
 * no-map reservations, the reservation block, and what is
 * reported when a reservation covers the running kernel.
 *
 * arch_map_early is the fake's (tests/host/fake_arch.c): it records what
 * bootmem asked to map, and host_mapped() answers with arm64's 2 MiB
 * blocks. The "kernel image" is 256 KiB at host_image_at().
 *
 * A boot that must stop is run in a child of the test (boot_stops): the
 * panic ends in the fake arch's abort, which prints the log on stderr; the
 * test reads it from a pipe and checks the line that says why.
 */
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>
#include <libfdt.h>

#include "harness.h"
#include "host.h"
#include "bootmem.h"
#include "memblock.h"
#include "printk.h"

#define TREE_SIZE 8192
#define FDT_PHYS 0x48000000UL

static fdt64_t buf[TREE_SIZE / 8];

static void *tree(void)
{
	void *fdt = buf;

	REQUIRE(fdt_create_empty_tree(fdt, TREE_SIZE) == 0);
	REQUIRE(fdt_setprop_u32(fdt, 0, "#address-cells", 2) == 0);
	REQUIRE(fdt_setprop_u32(fdt, 0, "#size-cells", 2) == 0);
	host_console_register();
	host_log_clear();
	return fdt;
}

static int node(void *fdt, int parent, const char *name)
{
	int n = fdt_add_subnode(fdt, parent, name);

	REQUIRE(n >= 0);
	return n;
}

/* A node's reg: pairs of (u64 base, u64 size), 2/2 cells. */
static void reg(void *fdt, int n, const u64 *v, int count)
{
	fdt64_t be[8];

	REQUIRE(count <= 8);
	for (int i = 0; i < count; i++)
		be[i] = cpu_to_fdt64(v[i]);
	REQUIRE(fdt_setprop(fdt, n, "reg", be, count * 8) == 0);
}

#define REG(fdt, n, ...) \
	reg(fdt, n, (const u64[]){ __VA_ARGS__ }, sizeof((const u64[]){ __VA_ARGS__ }) / 8)

static void memory(void *fdt, const char *name, u64 base, u64 size)
{
	int n = node(fdt, 0, name);

	REQUIRE(fdt_setprop_string(fdt, n, "device_type", "memory") == 0);
	REG(fdt, n, base, size);
}

static int rmem(void *fdt)
{
	int n = fdt_path_offset(fdt, "/reserved-memory");

	if (n >= 0)
		return n;
	n = node(fdt, 0, "reserved-memory");
	REQUIRE(fdt_setprop_u32(fdt, n, "#address-cells", 2) == 0);
	REQUIRE(fdt_setprop_u32(fdt, n, "#size-cells", 2) == 0);
	REQUIRE(fdt_setprop(fdt, n, "ranges", NULL, 0) == 0);
	return n;
}

static void reserved(void *fdt, const char *name, u64 base, u64 size, bool no_map)
{
	int n = node(fdt, rmem(fdt), name);

	REG(fdt, n, base, size);
	if (no_map)
		REQUIRE(fdt_setprop(fdt, n, "no-map", NULL, 0) == 0);
}

static bool in_memory(phys_addr_t pa)
{
	for (int i = 0; i < memblock.memory.cnt; i++)
		if (pa >= memblock.memory.r[i].base &&
		    pa - memblock.memory.r[i].base < memblock.memory.r[i].size)
			return true;
	return false;
}

/* Two /memory nodes, one with two ranges: all of it is RAM and mapped. */
TEST(bootmem, several_memory_nodes_and_ranges)
{
	void *fdt = tree();
	int n;

	memory(fdt, "memory@40000000", 0x40000000, 0x10000000);
	n = node(fdt, 0, "memory@100000000");
	REQUIRE(fdt_setprop_string(fdt, n, "device_type", "memory") == 0);
	REG(fdt, n, 0x100000000, 0x8000000, 0x200000000, 0x4000000);
	bootmem_init(fdt, FDT_PHYS);

	EXPECT_EQ(memblock.memory.cnt, 3);
	EXPECT_EQ(memblock_memory_size(), 0x10000000 + 0x8000000 + 0x4000000);
	EXPECT(in_memory(0x200000000) && host_mapped(0x200000000));
	EXPECT(in_memory(0x107ffffff) && !in_memory(0x108000000));
	EXPECT(memblock_is_reserved(FDT_PHYS, 1));
	EXPECT(memblock_is_reserved(0x40200000, 0x40000)); /* the image */
}

/* A plain reservation stays RAM (mapped) but is never free; a no-map one
 * leaves the allocator and the direct map with its 2 MiB blocks, and the
 * RAM lost around it is reported. */
TEST(bootmem, no_map_left_out_of_map_plain_reserved)
{
	void *fdt = tree();

	memory(fdt, "memory@40000000", 0x40000000, 0x40000000);
	reserved(fdt, "plain@44000000", 0x44000000, 0x10000, false);
	reserved(fdt, "secure@4b100000", 0x4b100000, 0x200000, true);
	REQUIRE(fdt_add_mem_rsv(fdt, 0x50000000, 0x1000) == 0);
	bootmem_init(fdt, FDT_PHYS);

	EXPECT(in_memory(0x44000000) && host_mapped(0x44000000));
	EXPECT(memblock_is_reserved(0x44000000, 0x10000));
	EXPECT(!memblock_is_reserved(0x44010000, 0x1000));
	EXPECT(memblock_is_reserved(0x50000000, 0x1000));
	/* 0x4b100000-0x4b2fffff touches the blocks at 0x4b000000 and 0x4b200000. */
	for (phys_addr_t pa = 0x4b000000; pa < 0x4b400000; pa += 0x1000)
		REQUIRE(!in_memory(pa) && !host_mapped(pa));
	EXPECT(in_memory(0x4affffff) && host_mapped(0x4affffff));
	EXPECT(in_memory(0x4b400000) && host_mapped(0x4b400000));
	/* One summary line; the ranges are debug lines (shown below). */
	EXPECT_LOG("bootmem: the firmware reserves 3 ranges, 2116 KiB (1 no-map)");
	EXPECT_NO_LOG("bootmem: reserved 0x");
	EXPECT_LOG(
		"bootmem: no-map secure@4b100000: its 2 MiB blocks 0x4b000000-0x4b3fffff are left "
		"out of the direct map and the allocator (2048 KiB of RAM around it lost)");
	printk_set_console_level(LOG_DEBUG);
	bootmem_init(fdt, FDT_PHYS);
	EXPECT_LOG("bootmem: reserved 0x44000000-0x4400ffff (reserved-memory plain@44000000)");
	EXPECT_LOG(
		"bootmem: reserved 0x4b100000-0x4b2fffff (reserved-memory secure@4b100000, no-map)");
	EXPECT_LOG("bootmem: reserved 0x50000000-0x50000fff (memreserve)");
}

/* Two no-map regions in touching blocks make one hole; one at the very
 * start of RAM and one at its end cut the range only there. */
TEST(bootmem, no_map_holes_merge_and_edges)
{
	void *fdt = tree();

	memory(fdt, "memory@40000000", 0x40000000, 0x10000000);
	reserved(fdt, "a", 0x40000000, 0x200000, true);
	reserved(fdt, "b", 0x46000000, 0x1000, true);
	reserved(fdt, "c", 0x461ff000, 0x2000, true); /* blocks 0x46000000, 0x46200000 */
	reserved(fdt, "d", 0x4fe00000, 0x200000, true);
	bootmem_init(fdt, FDT_PHYS);

	EXPECT_EQ(memblock.memory.cnt, 2);
	EXPECT_EQ(memblock.memory.r[0].base, 0x40200000);
	EXPECT_EQ(memblock.memory.r[0].size, 0x5e00000);
	EXPECT_EQ(memblock.memory.r[1].base, 0x46400000);
	EXPECT_EQ(memblock.memory.r[1].size, 0x4fe00000 - 0x46400000);
	EXPECT(!host_mapped(0x40000000) && !host_mapped(0x46300000) && !host_mapped(0x4fe00000));
	EXPECT_NO_LOG("no-map a:"); /* exactly its blocks: nothing lost */
}

/* A reservation over the running kernel, or the boot FDT, is reported;
 * a no-map one there cannot be unmapped (the kernel runs there) and says
 * so, but is still never allocated. */
TEST(bootmem, reservation_over_the_kernel_reported)
{
	void *fdt = tree();

	host_image_at(0x40200000);
	memory(fdt, "memory@40000000", 0x40000000, 0x10000000);
	reserved(fdt, "fw@40000000", 0x40000000, 0x400000, true);
	REQUIRE(fdt_add_mem_rsv(fdt, 0x48000000, 0x1000) == 0); /* over the FDT */
	bootmem_init(fdt, FDT_PHYS);

	EXPECT_LOG("bootmem: reserved-memory fw@40000000 0x40000000-0x403fffff covers the running "
		   "kernel (0x40200000-0x4023ffff)");
	EXPECT_LOG("bootmem: memreserve 0x48000000-0x48000fff covers the boot FDT");
	EXPECT_LOG(
		"bootmem: no-map fw@40000000 shares a 2 MiB block with the kernel or the boot FDT");
	EXPECT(host_mapped(0x40200000));
	EXPECT(memblock_is_reserved(0x40000000, 0x1000));
	EXPECT(memblock_is_reserved(0x40300000, 0x1000));
}

/* Run bootmem_init(fdt) in a child: it must stop (panic, then the fake
 * arch's abort) with why and the panic's last line in its log. */
static void boot_stops(void *fdt, const char *why)
{
	static char out[1 << 16];
	size_t got = 0;
	int fds[2], status;
	ssize_t n;
	pid_t pid;

	REQUIRE(pipe(fds) == 0);
	fflush(NULL);
	pid = fork();
	REQUIRE(pid >= 0);
	if (pid == 0) {
		close(fds[0]);
		dup2(fds[1], 2);
		bootmem_init(fdt, FDT_PHYS);
		_exit(0); /* booted on: the test fails below */
	}
	close(fds[1]);
	while (got + 1 < sizeof(out) && (n = read(fds[0], out + got, sizeof(out) - 1 - got)) > 0)
		got += (size_t)n;
	out[got] = '\0';
	close(fds[0]);
	REQUIRE(waitpid(pid, &status, 0) == pid);
	if (!WIFSIGNALED(status) || WTERMSIG(status) != SIGABRT)
		host_fail(__FILE__, __LINE__, "the boot did not stop (status 0x%x)", status);
	if (!strstr(out, why))
		host_fail(__FILE__, __LINE__, "no '%s' in the log:\n%s", why, out);
	if (!strstr(out, "panic: the kernel stopped"))
		host_fail(__FILE__, __LINE__, "no panic line in the log:\n%s", out);
}

#define RESV_UNREADABLE "boot: the device tree's reserved memory cannot be read; cannot boot safely"

/* A /reserved-memory child whose reg does not parse stops the boot: its
 * range cannot be dropped, it is firmware's. */
TEST(bootmem, malformed_reservation_stops)
{
	void *fdt = tree();
	int n;

	memory(fdt, "memory@40000000", 0x40000000, 0x40000000);
	reserved(fdt, "fine@44000000", 0x44000000, 0x10000, false);
	n = node(fdt, rmem(fdt), "broken@50000000");
	REQUIRE(fdt_setprop(fdt, n, "reg", "\0\0\0\0\x50\0\0\0\0\0\0\0", 12) == 0);
	boot_stops(
		fdt,
		"bootfdt: reserved-memory broken@50000000: reg is 12 bytes, not a multiple of 16");
	boot_stops(fdt, RESV_UNREADABLE);
}

/* More reservations than the kernel's table holds (64) stop the boot,
 * whether they come from the reservation block, /reserved-memory, or
 * both; 64 exactly boot. */
TEST(bootmem, too_many_reservations_stop)
{
	void *fdt = tree();

	memory(fdt, "memory@40000000", 0x40000000, 0x40000000);
	for (int i = 0; i < 64; i++)
		REQUIRE(fdt_add_mem_rsv(fdt, 0x60000000 + (u64)i * 0x10000, 0x1000) == 0);
	bootmem_init(fdt, FDT_PHYS);
	EXPECT(memblock_is_reserved(0x60000000 + 63 * 0x10000, 0x1000));

	REQUIRE(fdt_add_mem_rsv(fdt, 0x70000000, 0x1000) == 0);
	boot_stops(fdt, "bootfdt: more than 64 reserved ranges (memreserve is one too many)");
	boot_stops(fdt, RESV_UNREADABLE);

	fdt = tree();
	memory(fdt, "memory@40000000", 0x40000000, 0x40000000);
	for (int i = 0; i < 40; i++)
		REQUIRE(fdt_add_mem_rsv(fdt, 0x60000000 + (u64)i * 0x10000, 0x1000) == 0);
	for (int i = 0; i < 25; i++) {
		char name[32];

		snprintf(name, sizeof(name), "fw@%x", 0x70000000 + i * 0x10000);
		reserved(fdt, name, 0x70000000 + (u64)i * 0x10000, 0x1000, i % 2);
	}
	boot_stops(fdt, "bootfdt: more than 64 reserved ranges (reserved-memory fw@");
}

/* A reservation that wraps around the address space stops the boot. */
TEST(bootmem, wrapping_reservation_stops)
{
	void *fdt = tree();

	memory(fdt, "memory@40000000", 0x40000000, 0x40000000);
	REQUIRE(fdt_add_mem_rsv(fdt, 0xffffffffffff0000, 0x20000) == 0);
	boot_stops(fdt, "bootfdt: memreserve: range 0xffffffffffff0000+0x20000 wraps around");

	fdt = tree();
	memory(fdt, "memory@40000000", 0x40000000, 0x40000000);
	reserved(fdt, "top", 0xfffffffffffff000, 0x2000, true);
	boot_stops(fdt,
		   "bootfdt: reserved-memory top: range 0xfffffffffffff000+0x2000 wraps around");
}

/* /reserved-memory with a translation in its ranges stops the boot: its
 * children's reg are not CPU addresses, and reserving them as such would
 * reserve the wrong memory. */
TEST(bootmem, translated_reserved_memory_stops)
{
	void *fdt = tree();
	const fdt64_t ranges[3] = { cpu_to_fdt64(0), cpu_to_fdt64(0x40000000),
				    cpu_to_fdt64(0x40000000) };

	memory(fdt, "memory@40000000", 0x40000000, 0x40000000);
	reserved(fdt, "fw", 0x1000000, 0x10000, false);
	REQUIRE(fdt_setprop(fdt, rmem(fdt), "ranges", ranges, sizeof(ranges)) == 0);
	boot_stops(fdt, "bootfdt: /reserved-memory has a non-empty ranges");
	boot_stops(fdt, RESV_UNREADABLE);
}

/* /memory that cannot be read stops the boot with its own line, not as
 * "no usable memory". */
TEST(bootmem, unreadable_memory_stops)
{
	void *fdt = tree();
	int n;

	memory(fdt, "memory@40000000", 0x40000000, 0x40000000);
	n = node(fdt, 0, "memory@80000000");
	REQUIRE(fdt_setprop_string(fdt, n, "device_type", "memory") == 0);
	REQUIRE(fdt_setprop(fdt, n, "reg", "\0\0\0\0", 4) == 0);
	boot_stops(fdt, "bootfdt: memory memory@80000000: reg is 4 bytes, not a multiple of 16");
	boot_stops(fdt, "boot: the device tree's memory nodes cannot be read; cannot boot safely");

	fdt = tree();
	boot_stops(fdt, "boot: the device tree describes no memory (no enabled /memory node with a "
			"range)");
}

/*
 * fake_arch.c — the host's arch: the hooks of include/arch/ that the kernel
 * files linked into the host tests call, and nothing more (docs/design.md section
 * 2: the only fake the project allows).
 *
 * The counter is CLOCK_MONOTONIC in nanoseconds unless a test pins it; the
 * emergency output and the host console write into a capture buffer that
 * tests read through host.h. Halting is a test failure: it aborts.
 */
#define _GNU_SOURCE /* memfd_create */
#include <stdarg.h>
#include <stdio.h>
#include <sys/mman.h>
#include <unistd.h>
#include <stdlib.h>
#include <time.h>

#include "host.h"
#include "console.h"
#include "arch/counter.h"
#include "kstring.h"
#include "arch/string.h"
#include "arch/cpu.h"
#include "arch/kexec.h"
#include "arch/mmu.h"

static char log_text[1 << 20];
static size_t log_len;

static void log_putc(char c)
{
	if (log_len + 1 < sizeof(log_text))
		log_text[log_len++] = c;
	log_text[log_len] = '\0';
}

void host_log_vprintf(const char *fmt, va_list ap)
{
	char text[1024];

	vsnprintf(text, sizeof(text), fmt, ap);
	for (const char *p = text; *p; p++)
		log_putc(*p);
}

const char *host_log(void)
{
	return log_text;
}

void host_log_clear(void)
{
	log_len = 0;
	log_text[0] = '\0';
}

static void host_console_putc(struct console *con, char c)
{
	(void)con;
	log_putc(c);
}

static struct console host_console = { .name = "host", .putc = host_console_putc };

void host_console_register(void)
{
	if (console_current() != &host_console)
		console_register(&host_console);
}

static bool counter_fixed;
static u64 fixed_ticks, fixed_freq;

void host_counter_fix(u64 ticks, u64 freq)
{
	counter_fixed = true;
	fixed_ticks = ticks;
	fixed_freq = freq;
}

u64 arch_counter_read(void)
{
	struct timespec ts;

	if (counter_fixed)
		return fixed_ticks;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (u64)ts.tv_sec * 1000000000 + (u64)ts.tv_nsec;
}

u64 arch_counter_freq(void)
{
	return counter_fixed ? fixed_freq : 1000000000;
}

void arch_emergency_putc(char c)
{
	log_putc(c);
}

void arch_halt(void)
{
	fprintf(stderr, "fake_arch: arch_halt called (a panic?); the log so far:\n%s\n", log_text);
	abort();
}

void arch_poweroff(void)
{
	fprintf(stderr, "fake_arch: arch_poweroff called (a panic?); the log so far:\n%s\n",
		log_text);
	abort();
}

/*
 * The early direct map and the image, for kernel/bootmem.c: arch_map_early
 * only records what it was asked to map (host_mapped answers with arm64's
 * 2 MiB rounding); the "kernel image" is 256 KiB of rodata at whatever
 * physical address host_image_at set.
 */
static struct {
	phys_addr_t base;
	u64 size;
} early_maps[256];
static int nr_early_maps;
static phys_addr_t image_base = 0x40200000;

__asm__(".section .rodata\n.balign 4096\n.globl _kernel_start\n_kernel_start:\n"
	".skip 0x40000\n.globl _kernel_end\n_kernel_end:\n.previous");

bool arch_map_early(phys_addr_t phys, u64 size)
{
	if (nr_early_maps < 256)
		early_maps[nr_early_maps++] = (typeof(early_maps[0])){ phys, size };
	return true;
}

bool host_mapped(phys_addr_t pa)
{
	for (int i = 0; i < nr_early_maps; i++) {
		phys_addr_t b = early_maps[i].base & ~(phys_addr_t)0x1fffff;
		phys_addr_t e = (early_maps[i].base + early_maps[i].size + 0x1fffff) &
				~(phys_addr_t)0x1fffff;

		if (pa >= b && pa < e)
			return true;
	}
	return false;
}

void host_image_at(phys_addr_t base)
{
	image_base = base;
}

phys_addr_t arch_image_phys_base(void)
{
	return image_base;
}

void arch_reserve_firmware(const void *fdt)
{
	(void)fdt;
}

/*
 * Fake RAM and a fake MMU. The arena is a memfd mapped once as the direct
 * map (phys_to_virt(p) = p + host_page_offset). The vmalloc range is a
 * stretch of address space reserved PROT_NONE; "mapping a page" there maps
 * the memfd's page at that offset a second time, so a vmalloc address and
 * the direct-map address of its page really alias, as on a machine, and an
 * unmapped (guard) page really faults.
 */
uintptr_t host_page_offset, host_vmalloc_start;
static phys_addr_t ram_base;
static u64 ram_size;
static int ram_fd = -1;

void *host_ram(phys_addr_t phys_base, u64 size)
{
	void *mem, *vm;

	ram_fd = memfd_create("baton-ram", 0);
	if (ram_fd < 0 || ftruncate(ram_fd, (off_t)size) < 0) {
		perror("fake_arch: memfd for the RAM arena");
		abort();
	}
	mem = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_SHARED, ram_fd, 0);
	vm = mmap(NULL, VMALLOC_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_NORESERVE, -1,
		  0);
	if (mem == MAP_FAILED || vm == MAP_FAILED) {
		perror("fake_arch: mmap of the RAM arena or the vmalloc range");
		abort();
	}
	ram_base = phys_base;
	ram_size = size;
	host_page_offset = (uintptr_t)mem - phys_base;
	host_vmalloc_start = (uintptr_t)vm;
	return mem;
}

/* The fake MMU keeps its own table of what it mapped, one word per page of
 * the vmalloc range that is in use (a sparse array would do; tests map few
 * pages). */
#define FAKE_PT_SLOTS (1u << 20)
static phys_addr_t fake_pt[FAKE_PT_SLOTS]; /* phys + 1, 0 = unmapped */

static bool fake_slot(unsigned long va, u64 *slot)
{
	u64 i = (va - host_vmalloc_start) / PAGE_SIZE;

	if (va < host_vmalloc_start || i >= FAKE_PT_SLOTS)
		return false;
	*slot = i;
	return true;
}

bool arch_map_kernel_page(unsigned long va, phys_addr_t pa)
{
	u64 slot;

	if (!fake_slot(va, &slot) || pa < ram_base || pa - ram_base >= ram_size ||
	    mmap((void *)va, PAGE_SIZE, PROT_READ | PROT_WRITE, MAP_SHARED | MAP_FIXED, ram_fd,
		 (off_t)(pa - ram_base)) == MAP_FAILED)
		return false;
	fake_pt[slot] = pa + 1;
	return true;
}

void arch_unmap_kernel_page(unsigned long va)
{
	u64 slot;

	if (!fake_slot(va, &slot))
		return;
	mmap((void *)va, PAGE_SIZE, PROT_NONE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED, -1, 0);
	fake_pt[slot] = 0;
}

bool arch_kernel_page_phys(unsigned long va, phys_addr_t *pa)
{
	u64 slot;

	if (!fake_slot(va, &slot) || !fake_pt[slot])
		return false;
	*pa = fake_pt[slot] - 1 + (va & (PAGE_SIZE - 1));
	return true;
}

/* No kexec on the host; KHO's scratch may be anywhere in fake RAM. */
const phys_addr_t arch_kexec_max_phys = ~0ULL;
const char arch_name[] = "host";

/* arch/string.h: the host is x86-64 here, and the instruction counts of
 * make bench-kho-insns should be the kernel's; any other host loops. */
void arch_fill64(u64 *p, u64 v, size_t n)
{
#if defined(__x86_64__)
	__asm__ volatile("rep stosq" : "+D"(p), "+c"(n) : "a"(v) : "memory");
#else
	memset64(p, v, n);
#endif
}

/*
 * selftest.c — boot self-tests of the kernel's own foundations: where the
 * image landed, what the FDT said, the parser, the formatter, the clock,
 * the exception path. `ktest=all` (or the suite names) on the command line
 * runs them; the boot test cases in tests/boot check their lines. Each
 * layer's suites live beside it: mm/selftest.c, kho/selftest.c, the arch's
 * in arch/; the clients that span a kexec in ktest/.
 */
#include "kernel.h"
#include "bootfdt.h"
#include "cmdline.h"
#include "console.h"
#include "ktest.h"
#include "kstring.h"
#include "printk.h"
#include "random.h"
#include "kexec.h"
#include "arch/counter.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include <libfdt.h>

/* ktest.image_base=ADDR: the test run says where the loader was told to put
 * the image, and boot.image_base checks the kernel really runs there. */
static u64 expected_image_base;
static bool have_expected_image_base;

static int set_image_base(const char *val)
{
	if (cmdline_parse_u64(val, &expected_image_base) < 0)
		return -EINVAL;
	have_expected_image_base = true;
	return 0;
}
CMDLINE_PARAM("ktest.image_base", set_image_base, "expected physical base of the image");

/* Keys the loaders consume; the kernel knows them so it does not warn. */
static int loader_key(const char *val)
{
	(void)val;
	return 0;
}
CMDLINE_PARAM("efi.load_addr", loader_key, "the EFI loader's: where to place the kernel");

KTEST(boot, image_base)
{
	phys_addr_t base = arch_image_phys_base();

	KT_EXPECT(t, IS_ALIGNED(base, MiB(2)));
	if (have_expected_image_base && base != expected_image_base)
		ktest_fail(t, "image at 0x%llx, expected 0x%llx", (unsigned long long)base,
			   (unsigned long long)expected_image_base);
	/* The link address maps to the physical base. */
	KT_EXPECT(t, (uintptr_t)_kernel_start == KERNEL_VBASE);
	KT_EXPECT(t, *(volatile char *)phys_to_virt(base) == _kernel_start[0]);
}

static bool inside(const struct mem_range *r, int n, u64 base, u64 size)
{
	for (int i = 0; i < n; i++) {
		if (base >= r[i].base && base - r[i].base + size <= r[i].size)
			return true;
	}
	return false;
}

KTEST(fdt, memory_map)
{
	struct mem_range r[64];
	int n = bootfdt_memory(t->fdt, r, ARRAY_SIZE(r));

	KT_EXPECT(t, n > 0);
	for (int i = 1; i < n; i++)
		KT_EXPECT(t, r[i - 1].base + r[i - 1].size < r[i].base);
	KT_EXPECT(t, inside(r, n, arch_image_phys_base(), kernel_image_size()));
	KT_EXPECT(t, inside(r, n, virt_to_phys(t->fdt), fdt_totalsize(t->fdt)));
}

KTEST(fdt, check_rejects_garbage)
{
	static u8 blob[256];

	memcpy(blob, t->fdt, sizeof(blob));
	KT_EXPECT(t, bootfdt_check(t->fdt, BOOTFDT_MAX_SIZE, NULL, 0) == 0);
	KT_EXPECT(t, bootfdt_check(blob, sizeof(blob), NULL, 0) == -E2BIG); /* truncated */
	blob[0] ^= 0xff;
	KT_EXPECT(t, bootfdt_check(blob, sizeof(blob), NULL, 0) == -EBADMSG); /* bad magic */
}

KTEST(console, registered)
{
	KT_EXPECT(t, console_current() != NULL);
}

KTEST(cmdline, numbers)
{
	u64 v = 0;

	KT_EXPECT(t, cmdline_parse_u64("4096", &v) == 0 && v == 4096);
	KT_EXPECT(t, cmdline_parse_u64("0x200000", &v) == 0 && v == 0x200000);
	KT_EXPECT(t, cmdline_parse_u64("64M", &v) == 0 && v == MiB(64));
	KT_EXPECT(t, cmdline_parse_u64("12x", &v) < 0);
	KT_EXPECT(t, cmdline_parse_u64("", &v) < 0);
	KT_EXPECT(t, cmdline_parse_u64("99999999999999999999", &v) < 0);
}

KTEST(printk, format)
{
	char b[64];

	snprintf(b, sizeof(b), "%d|%5u|%-4x|%08llx|%s|%c", -42, 7u, 0xabu, 0x1234ULL, "ok", '!');
	KT_EXPECT(t, strcmp(b, "-42|    7|ab  |00001234|ok|!") == 0);
	KT_EXPECT(t, snprintf(b, 4, "%s", "truncated") == 9 && strcmp(b, "tru") == 0);
}

KTEST(counter, advances)
{
	u64 a = arch_counter_read(), b;

	for (volatile int i = 0; i < 10000; i++)
		;
	b = arch_counter_read();
	KT_EXPECT(t, arch_counter_freq() >= 1000000);
	KT_EXPECT(t, b > a);
}

/* The exception path works both ways: in through the vectors, out to the
 * next instruction with the interrupted state intact. */
KTEST(trap, breakpoint_resumes)
{
	unsigned before = arch_breakpoint_count();
	volatile u64 canary = 0x1234567890abcdefULL;

	arch_breakpoint();
	arch_breakpoint();
	KT_EXPECT(t, arch_breakpoint_count() == before + 2);
	KT_EXPECT(t, canary == 0x1234567890abcdefULL);
}

/* The entropy pool (random.h): two draws differ; a generation that came
 * through Baton's kexec got a full /chosen/rng-seed, and the boot FDT keeps
 * no byte of it. */
KTEST(random, seeded)
{
	int chosen = bootfdt_chosen(t->fdt), len = 0;
	const u8 *seed = chosen >= 0 ? fdt_getprop(t->fdt, chosen, "rng-seed", &len) : NULL;
	u64 a = random_u64(), b = random_u64();

	KT_EXPECT(t, a != b);
	if (kexec_generation() > 0)
		KT_EXPECT(t, random_sources.seed_bytes == RANDOM_SEED_BYTES);
	KT_EXPECT(t, (seed != NULL) == (random_sources.seed_bytes != 0));
	for (int i = 0; seed && i < len; i++)
		if (seed[i])
			ktest_fail(t, "/chosen/rng-seed byte %d is not wiped", i);
}

/*
 * ktest.h — the kernel's self-tests, run at boot when the command line asks.
 *
 *     KTEST(fdt, memory_sorted)
 *     {
 *             KT_EXPECT(t, n > 0);
 *     }
 *
 * declares test "fdt.memory_sorted". `ktest=all` runs every test,
 * `ktest=fdt,cmdline` the named suites, `ktest=fdt.memory_sorted` one test.
 * A test declared with KTEST_CRASH runs only when named whole
 * (`ktest=protect.write_text`): it is meant to stop the kernel (a fault
 * the kernel must catch and report), and fails if it returns.
 *
 * The results are KTAP version 1, as Linux's KUnit prints them
 * (Documentation/dev-tools/ktap.rst there; docs/ci.md here): one document
 * per ktest= run, a subtest per suite, each test's result line naming it
 * whole, the failure's reason on a diagnostic line before it, and the
 * totals last:
 *
 *     KTAP version 1
 *     1..2
 *       KTAP version 1
 *       # Subtest: fdt
 *       1..2
 *       ok 1 fdt.memory_map
 *       # fdt.memory_sorted: kernel/foo.c:12: n > 0
 *       not ok 2 fdt.memory_sorted
 *     not ok 1 fdt
 *     ...
 *     # Totals: pass:N fail:N skip:0 total:N
 *
 * A test run on demand (ktest_run_one) is a document of its own, printed
 * once it has run: "KTAP version 1", "1..1", "ok 1 suite.name". The boot
 * test runner (tests/boot/run) reads these lines from the serial log.
 */
#ifndef BATON_KTEST_H
#define BATON_KTEST_H

#include "compiler.h"
#include "types.h"

struct ktest_ctx {
	const void *fdt;  /* the boot FDT, for tests that look at the machine */
	const char *fail; /* first failed expectation, or NULL */
	char why[160];
};

struct ktest {
	const char *suite;
	const char *name;
	void (*fn)(struct ktest_ctx *t);
	bool on_demand; /* not run by ktest=, only by ktest_run_one */
	bool crash;     /* run only when ktest= names it whole */
};

#define KTEST_DEFINE(suite, name, demand, crashes)                                                \
	static void ktest_##suite##_##name(struct ktest_ctx *t);                                  \
	static const struct ktest __ktest_##suite##_##name __section("ktests")                    \
		__used __aligned(8) = { #suite, #name, ktest_##suite##_##name, demand, crashes }; \
	static void ktest_##suite##_##name(struct ktest_ctx *t)

#define KTEST(suite, name) KTEST_DEFINE(suite, name, false, false)
/* A test some part of the kernel runs itself, at its moment (the kexec
 * chain's restore check), reported as a KTAP document of one test. */
#define KTEST_ON_DEMAND(suite, name) KTEST_DEFINE(suite, name, true, false)
/* A test that must stop the kernel; run only when named whole. */
#define KTEST_CRASH(suite, name) KTEST_DEFINE(suite, name, false, true)

/* Record a failure (the first one wins) and go on. */
__printf(2, 3) void ktest_fail(struct ktest_ctx *t, const char *fmt, ...);

#define KT_EXPECT(t, cond)                                                     \
	do {                                                                   \
		if (!(cond))                                                   \
			ktest_fail(t, "%s:%d: %s", __FILE__, __LINE__, #cond); \
	} while (0)

/* Run the tests the command line selected (ktest=); returns failures. */
int ktest_run(const void *fdt);

/* Run one test by name now, whatever ktest= says; false if it failed. */
bool ktest_run_one(const char *suite, const char *name, const void *fdt);

#endif

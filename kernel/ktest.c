/*
 * ktest.c — runs the self-tests declared with KTEST() across the kernel
 * and reports them in KTAP version 1 (ktest.h shows the lines).
 *
 * `ktest=` on the command line selects them: "all", or a comma-separated
 * list of suites and suite.test names (ktest.h). The tests live in the
 * linker section "ktests", in link order; a run groups them by suite, the
 * suites in the order of their first test, since a KTAP suite is one
 * subtest whose plan is printed before its first result.
 */
#include "ktest.h"
#include "cmdline.h"
#include "printk.h"
#include "kstring.h"
#include "kerrno.h"

extern const struct ktest __start_ktests[];
extern const struct ktest __stop_ktests[];

/* The tests in the section, walked by index (SECTION_ENTRIES). */
static size_t ktest_count(void)
{
	return SECTION_ENTRIES(__start_ktests, __stop_ktests);
}

static char selection[128];

static int set_ktest(const char *val)
{
	if (!val || !*val || strlen(val) >= sizeof(selection))
		return -EINVAL;
	memcpy(selection, val, strlen(val) + 1);
	return 0;
}
CMDLINE_PARAM("ktest", set_ktest, "self-tests to run: all, or suite[.test],...");

void ktest_fail(struct ktest_ctx *t, const char *fmt, ...)
{
	va_list ap;

	if (t->fail)
		return;
	va_start(ap, fmt);
	vsnprintf(t->why, sizeof(t->why), fmt, ap);
	va_end(ap);
	t->fail = t->why;
}

/* Does ktest= select k: "all" (not a crash test), its suite (not a crash
 * test), or "suite.name"? */
static bool selected(const struct ktest *k)
{
	size_t ns = strlen(k->suite), nn = strlen(k->name);

	if (strcmp(selection, "all") == 0)
		return !k->crash;
	for (const char *p = selection; *p;) {
		const char *comma = strchr(p, ',');
		size_t len = comma ? (size_t)(comma - p) : strlen(p);

		if (strncmp(p, k->suite, ns) == 0 &&
		    ((len == ns && !k->crash) ||
		     (len == ns + 1 + nn && p[ns] == '.' && strncmp(p + ns + 1, k->name, nn) == 0)))
			return true;
		p += len + (comma ? 1 : 0);
	}
	return false;
}

/* Is k in this ktest= run (on-demand tests never are)? */
static bool ktest_in_run(const struct ktest *k)
{
	return !k->on_demand && selected(k);
}

/* Is the test at index at the first of its suite in this run? */
static bool ktest_suite_first(size_t at)
{
	const struct ktest *k = &__start_ktests[at];

	if (!ktest_in_run(k))
		return false;
	for (size_t i = 0; i < at; i++)
		if (ktest_in_run(&__start_ktests[i]) &&
		    strcmp(__start_ktests[i].suite, k->suite) == 0)
			return false;
	return true;
}

/* Print a test's KTAP result line at the given indentation, the failure's
 * reason (fail, or NULL if it passed) on a diagnostic line just before. */
static bool ktest_report(const char *indent, int number, const char *suite, const char *name,
			 const char *fail)
{
	if (!fail) {
		pr_info("%sok %d %s.%s", indent, number, suite, name);
		return true;
	}
	pr_info("%s# %s.%s: %s", indent, suite, name, fail);
	pr_info("%snot ok %d %s.%s", indent, number, suite, name);
	return false;
}

static bool ktest_run_test(const struct ktest *k, const void *fdt, const char *indent, int number)
{
	struct ktest_ctx t = { .fdt = fdt };

	k->fn(&t);
	return ktest_report(indent, number, k->suite, k->name, t.fail);
}

/* One on-demand test is one KTAP document, printed once it has run (a
 * kexec that succeeds never returns: then nothing is printed, and the next
 * generation's log is the step's result). */
bool ktest_run_one(const char *suite, const char *name, const void *fdt)
{
	struct ktest_ctx t = { .fdt = fdt, .fail = "no such test in this kernel" };

	for (size_t i = 0; i < ktest_count(); i++) {
		const struct ktest *k = &__start_ktests[i];

		if (strcmp(k->suite, suite) == 0 && strcmp(k->name, name) == 0) {
			t.fail = NULL;
			k->fn(&t);
			break;
		}
	}
	pr_info("KTAP version 1");
	pr_info("1..1");
	return ktest_report("", 1, suite, name, t.fail);
}

/* The suite of first's tests in this run, as a nested KTAP subtest (the
 * "# Subtest:" line is KUnit's, for parsers that name a suite by it);
 * adds to *passed and *failed and returns whether all passed. */
static bool ktest_run_suite(size_t at, const void *fdt, int *passed, int *failed)
{
	const struct ktest *first = &__start_ktests[at];
	int planned = 0, number = 0, fails = 0;

	for (size_t i = at; i < ktest_count(); i++)
		if (ktest_in_run(&__start_ktests[i]) &&
		    strcmp(__start_ktests[i].suite, first->suite) == 0)
			planned++;
	pr_info("  KTAP version 1");
	pr_info("  # Subtest: %s", first->suite);
	pr_info("  1..%d", planned);
	for (size_t i = at; i < ktest_count(); i++) {
		const struct ktest *k = &__start_ktests[i];

		if (!ktest_in_run(k) || strcmp(k->suite, first->suite) != 0)
			continue;
		if (k->crash)
			pr_info("  # %s.%s: a crash test: the kernel must stop in it, and a "
				"result line means it did not",
				k->suite, k->name);
		if (!ktest_run_test(k, fdt, "  ", ++number))
			fails++;
	}
	*passed += planned - fails;
	*failed += fails;
	return fails == 0;
}

int ktest_run(const void *fdt)
{
	int passed = 0, failed = 0, suites = 0, number = 0;

	if (!selection[0])
		return 0;
	for (size_t i = 0; i < ktest_count(); i++)
		if (ktest_suite_first(i))
			suites++;
	pr_info("KTAP version 1");
	pr_info("1..%d", suites);
	for (size_t i = 0; i < ktest_count(); i++) {
		const char *suite = __start_ktests[i].suite;

		if (!ktest_suite_first(i))
			continue;
		number++;
		if (ktest_run_suite(i, fdt, &passed, &failed))
			pr_info("ok %d %s", number, suite);
		else
			pr_info("not ok %d %s", number, suite);
	}
	pr_info("# Totals: pass:%d fail:%d skip:0 total:%d", passed, failed, passed + failed);
	return failed;
}

/*
 * ktest.c — runs the self-tests declared with KTEST() across the kernel.
 *
 * `ktest=` on the command line selects them: "all", or a comma-separated
 * list of suites and suite.test names (ktest.h). The tests live in the linker section "ktests".
 */
#include "ktest.h"
#include "cmdline.h"
#include "printk.h"
#include "kstring.h"
#include "kerrno.h"

extern const struct ktest __start_ktests[];
extern const struct ktest __stop_ktests[];

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

static bool run(const struct ktest *k, struct ktest_ctx *t)
{
	k->fn(t);
	if (t->fail)
		pr_info("ktest: %s.%s: FAIL %s", k->suite, k->name, t->fail);
	else
		pr_info("ktest: %s.%s: ok", k->suite, k->name);
	return !t->fail;
}

bool ktest_run_one(const char *suite, const char *name, const void *fdt)
{
	for (const struct ktest *k = __start_ktests; k < __stop_ktests; k++) {
		struct ktest_ctx t = { .fdt = fdt };

		if (strcmp(k->suite, suite) == 0 && strcmp(k->name, name) == 0)
			return run(k, &t);
	}
	pr_err("ktest: %s.%s: FAIL no such test in this kernel", suite, name);
	return false;
}

int ktest_run(const void *fdt)
{
	int passed = 0, failed = 0;

	if (!selection[0])
		return 0;
	for (const struct ktest *k = __start_ktests; k < __stop_ktests; k++) {
		struct ktest_ctx t = { .fdt = fdt };

		if (k->on_demand || !selected(k))
			continue;
		if (run(k, &t))
			passed++;
		else
			failed++;
	}
	pr_info("ktest: %d passed, %d failed", passed, failed);
	return failed;
}

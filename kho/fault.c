/*
 * fault.c (kho) — fault injection into the outgoing path of a handover:
 * kho.fail=SITE[:N] on the command line makes the Nth allocation at SITE
 * (default: the first) fail, once a generation, as if memory had run out.
 * The outgoing side and kexec ask kho_fail(site) before each allocation
 * they make (include/kho.h lists the sites); the tests then check that
 * the kexec is called off cleanly and that a retry succeeds
 * (ktest/kho_fault.c, tests/host/test_kho_fault.c, docs/07-kho-preservation.md).
 *
 * Off (no kho.fail=, or once it has fired) the check is one load and one
 * branch predicted not taken: kho_fail_armed is false. Counting starts
 * at boot; kho_fail_pause() keeps a self-test of the normal path from
 * using the injection up.
 */
#include "kho.h"
#include "cmdline.h"
#include "kstring.h"
#include "printk.h"

bool kho_fail_armed;

/* The site names, in enum kho_fail_site order; KHO_FAIL_ANY is "any". */
static const char *const site_names[KHO_FAIL_SITES + 1] = {
	[KHO_FAIL_RADIX] = "radix", [KHO_FAIL_VMALLOC] = "vmalloc", [KHO_FAIL_SLAB] = "slab",
	[KHO_FAIL_FDT] = "fdt",     [KHO_FAIL_SUBTREE] = "subtree", [KHO_FAIL_IMAGE] = "image",
	[KHO_FAIL_ANY] = "any",
};

/*
 * What kho.fail= asked for and what has happened since boot.
 * armed == (given && !fired && !paused): kho_fail() reads armed alone.
 * calls[s] counts the checks at site s while given and not fired,
 * calls[KHO_FAIL_ANY] all of them; the check that makes
 * calls[site] == nth fails, fired is then set and nothing more is counted.
 * e.g. kho.fail=radix:3: the third radix node the outgoing side asks
 * for is refused, and every other allocation succeeds.
 */
static struct {
	bool given, fired, paused;
	enum kho_fail_site site; /* KHO_FAIL_ANY: whichever comes */
	u64 nth;                 /* >= 1 */
	u64 calls[KHO_FAIL_SITES + 1];
} fault;

static void rearm(void)
{
	kho_fail_armed = fault.given && !fault.fired && !fault.paused;
}

int kho_fail_set(const char *val)
{
	const char *colon = val ? strchr(val, ':') : NULL;
	size_t len = val ? (colon ? (size_t)(colon - val) : strlen(val)) : 0;
	u64 nth = 1;

	if (colon && (cmdline_parse_u64(colon + 1, &nth) < 0 || nth == 0))
		return -EINVAL;
	for (int s = 0; len && s <= KHO_FAIL_SITES; s++) {
		if (strlen(site_names[s]) == len && strncmp(val, site_names[s], len) == 0) {
			memset(&fault, 0, sizeof(fault));
			fault.given = true;
			fault.site = (enum kho_fail_site)s;
			fault.nth = nth;
			rearm();
			return 0;
		}
	}
	return -EINVAL;
}
CMDLINE_PARAM("kho.fail", kho_fail_set,
	      "fault injection: fail the Nth allocation (default 1) of a handover at SITE, once: "
	      "SITE[:N], SITE one of radix (map nodes), vmalloc (chunk pages), slab (record "
	      "chunks), fdt (root FDT, scratch array, next boot FDT), subtree (table entries, "
	      "kexec-metadata page), image (the next kernel's slot in scratch), any");

bool kho_fail_hit(enum kho_fail_site site)
{
	u64 n = ++fault.calls[site], any = ++fault.calls[KHO_FAIL_ANY];

	if (fault.site == KHO_FAIL_ANY ? any != fault.nth : site != fault.site || n != fault.nth)
		return false;
	fault.fired = true;
	rearm();
	if (fault.site == KHO_FAIL_ANY)
		pr_warn("kho: injected allocation failure at %s (call %llu at any site)",
			site_names[site], (unsigned long long)any);
	else
		pr_warn("kho: injected allocation failure at %s (call %llu)", site_names[site],
			(unsigned long long)n);
	return true;
}

void kho_fail_pause(bool pause)
{
	fault.paused = pause;
	rearm();
}

bool kho_fail_given(void)
{
	return fault.given;
}

bool kho_fail_fired(void)
{
	return fault.fired;
}

void kho_fail_report(void)
{
	if (fault.given && !fault.fired)
		pr_warn("kho: kho.fail=%s:%llu did not fire: %llu allocations at %s so far; nothing was injected",
			site_names[fault.site], (unsigned long long)fault.nth,
			(unsigned long long)fault.calls[fault.site], site_names[fault.site]);
}

/*
 * kho_fault.c — the kexec chain under kho.fail=SITE[:N] (kho/fault.c): an
 * allocation failure injected while preserving or serializing must call
 * the kexec off cleanly, leave every preserved object usable, leak
 * nothing, and let a second attempt succeed. ktest/kexec_chain.c runs
 * each attempt through here; without kho.fail= nothing here does anything.
 *
 * Each attempt preserves the fault test's set first (kho_fault_set.c),
 * then the chain's other clients, then calls kexec(). When the attempt
 * ends (kexec() returned, or a preserve call failed and the chain called
 * the kexec off), the ktest kho_fault.called_off checks what it left
 * (kho_fault_set_check) and, if it held, the chain tries once more. The
 * next generation's kho_fault.restore restores, checks and frees the set.
 */
#include "kho_fault_test.h"
#include "kernel.h"
#include "kexec.h"
#include "kho.h"
#include "ktest.h"
#include "printk.h"

/* The ended attempt's code, for kho_fault.called_off; retried: once. */
static int attempt_err;
static bool retried;

int kho_fault_test_fill(void)
{
	return kho_fail_given() ? kho_fault_set_fill(kexec_generation()) : 0;
}

KTEST_ON_DEMAND(kho_fault, called_off)
{
	char why[ERR_WHY_MAX];

	if (kho_fault_set_check(attempt_err, kexec_generation(), why, sizeof(why)) < 0)
		ktest_fail(t, "%s", why);
}

bool kho_fault_test_retry(int err)
{
	if (!kho_fail_given() || retried)
		return false;
	retried = true;
	attempt_err = err;
	if (!ktest_run_one("kho_fault", "called_off", boot_fdt))
		return false;
	pr_info("kho-fault: trying the kexec again, without the fault");
	return true;
}

KTEST_ON_DEMAND(kho_fault, restore)
{
	char why[ERR_WHY_MAX];

	if (kho_fault_set_restore(kexec_generation(), why, sizeof(why)) < 0)
		ktest_fail(t, "%s", why);
}

/*
 * kexec_chain.c — a kexec chain (kexec.chain=N, kexec.then=initrd) run as
 * self-tests, by kernel_main's last steps (kernel/main.c).
 *
 * After a kexec, kexec_chain_restore lets the clients restore and check
 * what the last generation handed over: Linux's test_kho set
 * (ktest/kho_linux_test.c) and the KHO self-test's (ktest/kho_test.c).
 * Then, while the chain goes on, kexec_chain_step has them preserve a new
 * set and kexecs. Each step is reported like a self-test: kexec() returns
 * only when it could not kexec, and then the step fails, so a chain asked
 * of a kernel that cannot kexec fails its boot test instead of ending
 * quietly. kernel/kexec.c knows nothing of the clients.
 *
 * Under kho.fail= (ktest/kho_fault.c) each step also hands on a set of
 * the fault test's, and an attempt the injected failure called off is
 * checked and made again.
 *
 * The handover benchmark (bench.handover=, ktest/handover_bench.c) is a
 * chain of one handover with a set of its own, restored here too.
 *
 * The chain also ends each handover's timeline (kexec_timing.h): at its
 * next kexec call, or at the end of the chain, the ktest kexec.timing
 * prints the timing line and checks that it adds up.
 */
#include "kexec_chain.h"
#include "handover_bench.h"
#include "kernel.h"
#include "kexec.h"
#include "kexec_timing.h"
#include "kho.h"
#include "kho_fault_test.h"
#include "kho_linux_test.h"
#include "kho_test.h"
#include "ktest.h"
#include "printk.h"

/* Linux's test_kho set, when the handover has one: held when this
 * generation kexecs again, freed if not. */
KTEST_ON_DEMAND(kho_linux, restore)
{
	char why[ERR_WHY_MAX];

	if (kho_linux_test_take(kexec_will_kexec(), why, sizeof(why)) < 0)
		ktest_fail(t, "Linux's test_kho set: %s", why);
}

void kexec_chain_restore(void)
{
	phys_addr_t pa;
	u64 size;

	if (kho_retrieve_subtree(KHO_LINUX_TEST_SUBTREE, &pa, &size) == 0)
		ktest_run_one("kho_linux", "restore", boot_fdt);
	if (kho_retrieve_subtree(KHO_FAULT_SUBTREE, &pa, &size) == 0) /* before the leak check */
		ktest_run_one("kho_fault", "restore", boot_fdt);
	/* A generation past the chain's end came from a kexec by hand (the
	 * shell's), which hands on no self-test set: nothing to check. */
	if (kexec_chain_length() && kexec_generation() <= kexec_chain_length())
		ktest_run_one("kho_chain", "restore", boot_fdt);
	else if (kho_soak_on())
		pr_err("kho-soak: kho_test.soak= needs a chain (kexec.chain=N); there is nothing to soak");
	handover_bench_restore();
}

/* The timeline of the handover that started this generation (of its boot,
 * in generation 0), which ends here: printed, and its phases must add up
 * to its total. */
KTEST_ON_DEMAND(kexec, timing)
{
	char why[ERR_WHY_MAX];

	if (kexec_timing_report(kexec_generation(), why, sizeof(why)) < 0)
		ktest_fail(t, "the timing line: %s", why);
}

/* One try at the kexec: every set preserved, then kexec(), which returns
 * only when it did not happen. A set that cannot be preserved calls the
 * kexec off before it starts. */
static int chain_attempt(void)
{
	const char *why = "the fault test's set could not be preserved";
	int err;

	kexec_timing_enter(KT_PRESERVE);
	err = kho_fault_set_preserve();
	if (!err) {
		kho_fault_set_mark(false);
		why = "the KHO self-test could not preserve its set";
		err = kho_test_preserve();
	}
	if (!err) {
		why = "the Linux test_kho set could not be handed on";
		err = kho_linux_test_preserve(0);
	}
	if (err) {
		kexec_call_off(err, why);
		return err;
	}
	kho_fault_set_mark(true);
	return kexec();
}

/* The kexec call: from here on the time is the next handover's. Under
 * kho.fail= (ktest/kho_fault.c) an attempt the injected failure called
 * off is checked, then made once more. */
KTEST_ON_DEMAND(kexec, chain_step)
{
	int err;

	kexec_timing_enter(KT_FILL);
	if (kho_test_fill() < 0)
		ktest_fail(t, "the KHO self-test could not make its set");
	if (kho_fault_test_fill() < 0)
		ktest_fail(t, "the fault test could not make its set");
	err = chain_attempt();
	if (kho_fault_test_retry(err))
		err = chain_attempt();
	ktest_fail(t, "generation %llu could not kexec (%s; the reason is above)",
		   (unsigned long long)kexec_generation(), err_name(err));
}

/* The end of a chain with kexec.then=initrd: into the other kernel, with
 * a Linux test_kho set (the one held, or a new one) for it to verify. */
KTEST_ON_DEMAND(kexec, then_step)
{
	int err;

	kexec_timing_enter(KT_PRESERVE);
	if (kho_linux_test_preserve(KHO_LINUX_TEST_SET_BYTES) < 0)
		ktest_fail(t, "the Linux test_kho set could not be preserved");
	err = kexec_then();
	ktest_fail(t,
		   "generation %llu could not kexec the kexec.then kernel (%s; the reason is "
		   "above)",
		   (unsigned long long)kexec_generation(), err_name(err));
}

void kexec_chain_step(void)
{
	u64 length = kexec_chain_length();

	if (length || kexec_then_wanted() || handover_bench_wanted())
		ktest_run_one("kexec", "timing", boot_fdt);
	if (handover_bench_wanted()) { /* one handover, its own set */
		handover_bench_step();
		return;
	}
	if (kexec_generation() < length) {
		ktest_run_one("kexec", "chain_step", boot_fdt);
		return;
	}
	if (length)
		pr_info("kexec: chain of %llu generations done", (unsigned long long)length);
	if (kexec_then_wanted())
		ktest_run_one("kexec", "then_step", boot_fdt);
}

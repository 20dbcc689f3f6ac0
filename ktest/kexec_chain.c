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
 */
#include "kexec_chain.h"
#include "kernel.h"
#include "kexec.h"
#include "kho.h"
#include "kho_linux_test.h"
#include "kho_test.h"
#include "ktest.h"
#include "printk.h"
#include "arch/counter.h"

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
	if (kexec_chain_length())
		ktest_run_one("kho_chain", "restore", boot_fdt);
}

KTEST_ON_DEMAND(kexec, chain_step)
{
	u64 start = arch_counter_read();
	int err;

	if (kho_test_preserve() < 0)
		ktest_fail(t, "the KHO self-test could not preserve its set");
	if (kho_linux_test_preserve(0) < 0)
		ktest_fail(t, "the Linux test_kho set could not be handed on");
	kexec_note_preserve_time(arch_counter_read() - start);
	err = kexec();
	ktest_fail(t, "generation %llu could not kexec (%s; the reason is above)",
		   (unsigned long long)kexec_generation(), err_name(err));
}

/* The end of a chain with kexec.then=initrd: into the other kernel, with
 * a Linux test_kho set (the one held, or a new one) for it to verify. */
KTEST_ON_DEMAND(kexec, then_step)
{
	u64 start = arch_counter_read();
	int err;

	if (kho_linux_test_preserve(KHO_LINUX_TEST_SET_BYTES) < 0)
		ktest_fail(t, "the Linux test_kho set could not be preserved");
	kexec_note_preserve_time(arch_counter_read() - start);
	err = kexec_then();
	ktest_fail(t, "generation %llu could not kexec the kexec.then kernel (%s; the reason is "
		   "above)", (unsigned long long)kexec_generation(), err_name(err));
}

void kexec_chain_step(void)
{
	u64 length = kexec_chain_length();

	if (kexec_generation() < length) {
		ktest_run_one("kexec", "chain_step", boot_fdt);
		return;
	}
	if (length)
		pr_info("kexec: chain of %llu generations done", (unsigned long long)length);
	if (kexec_then_wanted())
		ktest_run_one("kexec", "then_step", boot_fdt);
}

/*
 * kho_fault_test.h — the fault-injection tests of a handover (kho.fail=,
 * kho/fault.c): the set they hand over (ktest/kho_fault_set.c, built for
 * the host tests too) and the kexec chain's use of it
 * (ktest/kho_fault.c). Without kho.fail= the chain's calls do nothing.
 */
#ifndef BATON_KHO_FAULT_TEST_H
#define BATON_KHO_FAULT_TEST_H

#include "types.h"

#define KHO_FAULT_SUBTREE "kho-fault"

/* ---- The set (ktest/kho_fault_set.c) ---- */

/* Make it for this generation: one object of each kind, filled; note the
 * free pages the attempt starts from. 0, or -ENOMEM. */
int kho_fault_set_fill(u64 generation);

/* Preserve what of the set is not preserved yet, a call at a time, each
 * after a mark, then name it in the subtree KHO_FAULT_SUBTREE. 0 (also
 * when no set was made), or the first failing call's code (the calls
 * after it wait for the next try). */
int kho_fault_set_preserve(void);

/* The attempt's next step is about to start (a client's preserve calls,
 * kho_serialize, kexec()): exact when it is one call that, failing, must
 * give back every page it took. */
void kho_fault_set_mark(bool exact);

/* After an attempt that ended in attempt_err: 0 when it was the injected
 * failure and left the set and the memory as it must (ktest/
 * kho_fault_set.c lists the checks; one line says so), else a line into
 * why. */
int kho_fault_set_check(int attempt_err, u64 generation, char *why, size_t n);

/* In the next generation: restore the set the last one handed over,
 * check every byte and free each object with its matching free. 0 (one
 * line says so), -ENOENT when there is none, or a line into why. */
int kho_fault_set_restore(u64 generation, char *why, size_t n);

/* Forget the set (the host tests' next kernel). */
void kho_fault_set_reset(void);

/* ---- The kexec chain (ktest/kho_fault.c) ---- */

/* Before the first attempt, under kho.fail=: make the set. */
int kho_fault_test_fill(void);

/* The attempt ended in err (kexec() returned, or a preserve failed): true
 * when it was the injected failure and the checks after it held (the
 * ktest kho_fault.called_off), so the chain tries once more. */
bool kho_fault_test_retry(int err);

/* After a kexec, when the handover has a KHO_FAULT_SUBTREE, the chain
 * runs the ktest kho_fault.restore: the set restored, checked and freed. */

#endif

/*
 * kho_fault_test.h — the kexec chain under kho.fail= (ktest/kho_fault.c):
 * a set of one object of each kind, preserved first in every attempt, the
 * checks after an attempt the injected failure called off, and the
 * restore of that set in the next generation. Without kho.fail= every
 * call here does nothing.
 */
#ifndef BATON_KHO_FAULT_TEST_H
#define BATON_KHO_FAULT_TEST_H

#include "types.h"

/* Before the first attempt: make the set (0, or -ENOMEM) and note the
 * free pages the attempt starts from. */
int kho_fault_test_fill(void);

/* Preserve what of the set is not preserved yet, each call after a
 * mark; 0, or the first call's error (the calls after it wait). */
int kho_fault_test_preserve(void);

/* The attempt's next step is about to start (a client's preserve calls,
 * kexec()): exact when it is one call that, failing, must give back every
 * page it took. */
void kho_fault_test_mark(bool exact);

/* The attempt ended in err (kexec() returned, or a preserve failed): true
 * when it was the injected failure and the checks after it held (the
 * ktest kho_fault.called_off), so the chain tries once more. */
bool kho_fault_test_retry(int err);

/* After a kexec: restore, check and free the set the last generation
 * handed over, if it did (the ktest kho_fault.restore). */
void kho_fault_test_restore(void);

#endif

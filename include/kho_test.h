/*
 * kho_test.h — the KHO self-test client (ktest/kho_test.c), run by a kexec
 * chain: kexec preserves a fresh set before each jump; the ktest
 * kho_chain.restore checks it after.
 */
#ifndef BATON_KHO_TEST_H
#define BATON_KHO_TEST_H

#include "types.h"

/* Preserve this generation's set and name it in the subtree "kho-test". */
int kho_test_preserve(void);

#endif

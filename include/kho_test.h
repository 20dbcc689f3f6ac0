/*
 * kho_test.h — the KHO self-test client (ktest/kho_test.c), run by a kexec
 * chain: the chain makes and preserves a fresh set before each jump; the ktest
 * kho_chain.restore checks it after.
 */
#ifndef BATON_KHO_TEST_H
#define BATON_KHO_TEST_H

#include "types.h"

/* Make this generation's set: allocate and fill it (the self-test's
 * work). 0, or -ENOMEM. */
int kho_test_fill(void);

/* Preserve the set kho_test_fill made and name it in the subtree
 * "kho-test" (KHO's work). 0, or the first error of a preserve call. */
int kho_test_preserve(void);

/* Was the soak asked for (kho_test.soak=SEED, ktest/kho_soak.c): random
 * sets in each generation of the chain, with a leak check in each? */
bool kho_soak_on(void);

#endif

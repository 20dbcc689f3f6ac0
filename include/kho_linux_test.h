/*
 * kho_linux_test.h — Linux's KHO test (lib/test_kho.c) as Baton speaks it
 * (ktest/kho_linux_test.c): the "kho_test" subtree Linux's test_kho
 * leaves, restored and verified the way test_kho itself would, carried on
 * through Baton's generations, and written again for a Linux to verify.
 */
#ifndef BATON_KHO_LINUX_TEST_H
#define BATON_KHO_LINUX_TEST_H

#include "types.h"

/* Linux's test_kho format (Linux 6.16 .. 7.3): the subtree's name, its
 * root's compatible and magic (a native u32). */
#define KHO_LINUX_TEST_SUBTREE "kho_test"
#define KHO_LINUX_TEST_COMPAT "kho-test-v1"
#define KHO_LINUX_TEST_MAGIC 0x4b484f21u /* "KHO!" */

/* After a kexec: if the handover has a "kho_test" subtree, restore the set
 * and verify it as Linux's test_kho does; then hold it (hold: to hand it
 * on) or free it with folio_put. 1 when a set was verified, 0 when there
 * is none, a negative code with why (n bytes) when it fails: what did restore is
 * freed, the rest stays preserved and unclaimed. */
int kho_linux_test_take(bool hold, char *why, size_t n);

/* How much Linux's test_kho preserves: two max-order blocks (its
 * max_mem), 8 MiB with 4 KiB pages. */
#define KHO_LINUX_TEST_SET_BYTES (2 * (4096ULL << 10))

/* Before kexec: preserve the set this generation holds (carried on) and
 * describe it in a "kho_test" subtree. With none held and new_bytes at
 * least a page, a new one is made first, as test_kho makes one (random
 * folios of random orders, new_bytes in all). 0, or negative with a line
 * saying why. */
int kho_linux_test_preserve(u64 new_bytes);
/* Pages of the set held now (0 when none). */
u64 kho_linux_test_held_pages(void);
/* Free the held set with folio_put. */
void kho_linux_test_release(void);
/* Forget all state: a fresh kernel has none (the host tests boot each
 * generation this way). */
void kho_linux_test_reset(void);

#endif

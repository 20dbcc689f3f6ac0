/*
 * kho_linux_test.h — Linux's KHO test (lib/test_kho.c) as Baton speaks it
 * (kernel/kho_linux_test.c): the "kho_test" subtree Linux's test_kho
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

/* Before kexec: preserve the set this generation holds (carried on) and
 * describe it in a "kho_test" subtree. With none held and make_new set, a
 * new one is made first, as test_kho makes one (random folios of random
 * orders, 8 MiB). 0, or negative with a line saying why. */
int kho_linux_test_preserve(bool make_new);
/* Pages of the set held now (0 when none). */
u64 kho_linux_test_held_pages(void);
/* Free the held set with folio_put. */
void kho_linux_test_release(void);

#endif

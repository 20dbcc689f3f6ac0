/*
 * linux_csum.h — Linux's csum_partial, as Linux computes it on each arch
 * (ktest/linux_csum.c).
 */
#ifndef BATON_LINUX_CSUM_H
#define BATON_LINUX_CSUM_H

#include "types.h"

/* csum_partial(buf, len, sum) exactly as Linux computes it on this arch
 * (arm64: lib/checksum.c over arch/arm64/lib/csum.c's do_csum; x86-64:
 * arch/x86/lib/csum-partial_64.c): test_kho compares these 32-bit values
 * across the kexec, so only Linux's own result will do. len is a multiple
 * of 8 (whole pages here). Both are built on every arch for the host
 * tests; linux_csum_partial is this arch's. */
u32 linux_csum_partial_arm64(const void *buf, u64 len, u32 sum);
u32 linux_csum_partial_x86_64(const void *buf, u64 len, u32 sum);
u32 linux_csum_partial(const void *buf, u64 len, u32 sum);

#endif

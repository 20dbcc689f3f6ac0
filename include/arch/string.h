/*
 * arch/string.h — the one memory function the arch provides: a long fill of
 * 64-bit words (memdesc_fill in page.h calls it for ARCH_FILL64_MIN words
 * and more). x86-64 has an instruction for it, `rep stosq`; arm64, whose
 * kernel has no vector registers, and the host's fake arch use memset64
 * (kstring.h).
 */
#ifndef BATON_ARCH_STRING_H
#define BATON_ARCH_STRING_H

#include "types.h"

#define ARCH_FILL64_MIN 16

/* Set n words at p (8-byte aligned) to v; n >= ARCH_FILL64_MIN. */
void arch_fill64(u64 *p, u64 v, size_t n);

#endif

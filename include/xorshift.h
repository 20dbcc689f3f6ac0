/*
 * xorshift.h — a small pseudo-random sequence (Marsaglia's xorshift64, the
 * 13/7/17 triple) for the self-test clients' fill patterns: fast, seeded,
 * reproducible, not for secrets. The state must not be 0.
 */
#ifndef BATON_XORSHIFT_H
#define BATON_XORSHIFT_H

#include "types.h"

static inline u64 xorshift64(u64 *state)
{
	u64 x = *state;

	x ^= x << 13;
	x ^= x >> 7;
	x ^= x << 17;
	return *state = x;
}

#endif

/*
 * linux_csum.c — Linux's csum_partial, bit for bit, as each arch computes
 * it (include/linux_csum.h). Linux's test_kho checks its folios with it
 * across a kexec, so Baton must get the very same 32-bit values to verify
 * a Linux's set or to write one a Linux accepts.
 */
#include "linux_csum.h"

/* One's-complement (end-around carry) addition of 64-bit words, which
 * both arches' loops compute in their own order: the result is the same
 * for any order, 0 only when every word is 0. */
static u64 add_eac(u64 a, u64 b)
{
	u64 s = a + b;

	return s + (s < a);
}

static u64 sum_words(const void *buf, u64 len, u64 start)
{
	const u64 *w = buf;
	u64 s = start;

	for (u64 i = 0; i < len / 8; i++)
		s = add_eac(s, w[i]);
	return s;
}

static u64 ror64(u64 v, unsigned n)
{
	return (v >> n) | (v << (64 - n));
}

/* arm64: do_csum folds the words' sum to 16 bits; csum_partial adds the
 * running sum to that with an end-around carry in 32 bits. */
u32 linux_csum_partial_arm64(const void *buf, u64 len, u32 sum)
{
	u64 wide = sum_words(buf, len, 0);
	u32 s, result;

	wide += ror64(wide, 32);
	s = (u32)(wide >> 32);
	s += (s >> 16) | (s << 16);
	result = (s >> 16) + sum;
	if (sum > result)
		result += 1;
	return result;
}

/* x86-64: the running sum seeds the 64-bit sum, folded to 32 bits. */
u32 linux_csum_partial_x86_64(const void *buf, u64 len, u32 sum)
{
	u64 t = sum_words(buf, len, sum);

	return (u32)((t + ror64(t, 32)) >> 32);
}

u32 linux_csum_partial(const void *buf, u64 len, u32 sum)
{
#if defined(__aarch64__)
	return linux_csum_partial_arm64(buf, len, sum);
#else
	return linux_csum_partial_x86_64(buf, len, sum);
#endif
}

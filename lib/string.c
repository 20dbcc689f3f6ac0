/*
 * string.c — the C library's string and memory functions, for the kernel,
 * for libfdt (which calls memchr memcmp memcpy memmove memset strchr strlen
 * strnlen strrchr strtoul) and for the EFI loader.
 *
 * Built with -fno-builtin -fno-tree-loop-distribute-patterns: otherwise gcc
 * recognises these loops and turns them into calls to the very functions
 * they implement. The EFI loader builds it with -DHAVE_LIBEFI_MEM: GNU-EFI's
 * libefi.a already defines memcpy and memset.
 */
#include "kstring.h"
#include "types.h"
#include <stdint.h>

/*
 * memset, memcpy and memmove move eight bytes at a time where they can: the
 * memmap (eight bytes a page), a kexec's image copy and every __GFP_ZERO
 * page go through them, and byte loops made those cost an instruction or
 * more per byte. Words are stored only where both sides are 8-byte
 * aligned (the head is done byte by byte until they are); pointers that
 * differ in alignment by a multiple of four move four bytes at a time
 * (libfdt's inserts shift a tree by 4-byte cells: a byte loop made adding
 * one property to a 10 KiB tree cost 50,000 instructions), others fall
 * back to bytes. So no access is misaligned, and an arm64 caller running
 * with the MMU off, where memory is Device memory and a misaligned access
 * faults, is served too. `word` and `half` may alias anything.
 */
typedef u64 __attribute__((may_alias)) word;
typedef u32 __attribute__((may_alias)) half;
#define HALF 4
#define HALF_MISALIGNED(p) ((uintptr_t)(p) & (HALF - 1))
#define WORD 8
#define MISALIGNED(p) ((uintptr_t)(p) & (WORD - 1))
/* The word at byte pointer p, which the caller has aligned. */
#define W(p) ((word *)(void *)(p))
#define CW(p) ((const word *)(const void *)(p))

/* Copy forward, words where d and s allow: also memmove's way when d < s
 * (each word is read before any byte it covers is written). */
static void copy_forward(u8 *d, const u8 *s, size_t n)
{
	if (MISALIGNED(d) == MISALIGNED(s)) {
		for (; n && MISALIGNED(d); n--)
			*d++ = *s++;
		for (; n >= 4 * WORD; n -= 4 * WORD, d += 4 * WORD, s += 4 * WORD) {
			word w0 = CW(s)[0], w1 = CW(s)[1];
			word w2 = CW(s)[2], w3 = CW(s)[3];

			W(d)[0] = w0;
			W(d)[1] = w1;
			W(d)[2] = w2;
			W(d)[3] = w3;
		}
		for (; n >= WORD; n -= WORD, d += WORD, s += WORD)
			*W(d) = *CW(s);
	} else if (HALF_MISALIGNED(d) == HALF_MISALIGNED(s)) {
		for (; n && HALF_MISALIGNED(d); n--)
			*d++ = *s++;
		for (; n >= HALF; n -= HALF, d += HALF, s += HALF)
			*(half *)(void *)d = *(const half *)(const void *)s;
	}
	while (n--)
		*d++ = *s++;
}

#ifndef HAVE_LIBEFI_MEM
void *memcpy(void *restrict dst, const void *restrict src, size_t n)
{
	copy_forward(dst, src, n);
	return dst;
}

void *memset(void *dst, int c, size_t n)
{
	u8 *d = dst;
	word v = (u8)c * 0x0101010101010101ULL;

	for (; n && MISALIGNED(d); n--)
		*d++ = (u8)c;
	for (; n >= 8 * WORD; n -= 8 * WORD, d += 8 * WORD) {
		word *w = W(d);

		w[0] = v;
		w[1] = v;
		w[2] = v;
		w[3] = v;
		w[4] = v;
		w[5] = v;
		w[6] = v;
		w[7] = v;
	}
	for (; n >= WORD; n -= WORD, d += WORD)
		*W(d) = v;
	while (n--)
		*d++ = (u8)c;
	return dst;
}

#endif

void *memmove(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	if (d <= s || d >= s + n) {
		copy_forward(d, s, n);
		return dst;
	}
	/* Backward, from the end: the mirror of copy_forward. */
	d += n;
	s += n;
	if (MISALIGNED(d) == MISALIGNED(s)) {
		for (; n && MISALIGNED(d); n--)
			*--d = *--s;
		for (; n >= WORD; n -= WORD) {
			d -= WORD;
			s -= WORD;
			*W(d) = *CW(s);
		}
	} else if (HALF_MISALIGNED(d) == HALF_MISALIGNED(s)) {
		for (; n && HALF_MISALIGNED(d); n--)
			*--d = *--s;
		for (; n >= HALF; n -= HALF) {
			d -= HALF;
			s -= HALF;
			*(half *)(void *)d = *(const half *)(const void *)s;
		}
	}
	while (n--)
		*--d = *--s;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++) {
		if (*x != *y)
			return *x - *y;
	}
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const u8 *p = s;

	for (; n; n--, p++) {
		if (*p == (u8)c)
			return (void *)p;
	}
	return NULL;
}

size_t strlen(const char *s)
{
	const char *p = s;

	while (*p)
		p++;
	return p - s;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return (u8)*a - (u8)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b || !*a)
			return (u8)*a - (u8)*b;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

char *strrchr(const char *s, int c)
{
	const char *last = NULL;

	for (;; s++) {
		if (*s == (char)c)
			last = s;
		if (!*s)
			return (char *)last;
	}
}

static int digit_value(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'Z')
		return c - 'A' + 10;
	return 99;
}

/* As in C: optional space and sign, base 0 means 0x / 0 / decimal prefix;
 * saturates at the maximum on overflow. */
unsigned long long strtoull(const char *s, char **end, int base)
{
	unsigned long long v = 0;
	bool neg = false, overflow = false;
	const char *start = s;
	const char *digits;
	int d;

	while (*s == ' ' || *s == '\t')
		s++;
	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	if ((base == 0 || base == 16) && s[0] == '0' && (s[1] == 'x' || s[1] == 'X') &&
	    digit_value(s[2]) < 16) {
		s += 2;
		base = 16;
	} else if (base == 0) {
		base = s[0] == '0' ? 8 : 10;
	}
	for (digits = s; (d = digit_value(*s)) < base; s++) {
		if (v > (~0ULL - d) / base)
			overflow = true;
		v = v * base + d;
	}
	if (end)
		*end = (char *)(s == digits ? start : s);
	if (overflow)
		return ~0ULL;
	return neg ? -v : v;
}

unsigned long strtoul(const char *s, char **end, int base)
{
	return strtoull(s, end, base);
}

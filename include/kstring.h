/*
 * kstring.h — the C string and memory functions.
 *
 * The kernel implements them in lib/string.c (libfdt needs them too); the
 * host unit tests use the C library's, so this header only forwards there.
 */
#ifndef BATON_KSTRING_H
#define BATON_KSTRING_H

#if __STDC_HOSTED__
#include <stdlib.h>
#include <string.h>
#else
#include <stddef.h>

void *memcpy(void *restrict dst, const void *restrict src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
char *strrchr(const char *s, int c);
unsigned long strtoul(const char *s, char **end, int base);
unsigned long long strtoull(const char *s, char **end, int base);
#endif

#include "types.h"

/* Fill n 64-bit words at p with v: the memmap's fills (a word a page), four
 * stores a turn. On x86-64 a long fill is one `rep stosq`, a word an
 * iteration: the loop spends two instructions a word (four stores and four
 * of upkeep a turn, the kernel having no vector registers), which made a
 * restored 4 MiB folio cost two instructions a page; short fills keep the
 * loop, rep's start being slow on hardware. */
static inline void memset64(u64 *p, u64 v, size_t n)
{
#if defined(__x86_64__)
	if (n >= 16) {
		__asm__ volatile("rep stosq" : "+D"(p), "+c"(n) : "a"(v) : "memory");
		return;
	}
#endif
	for (; n >= 4; n -= 4, p += 4) {
		p[0] = v;
		p[1] = v;
		p[2] = v;
		p[3] = v;
	}
	while (n--)
		*p++ = v;
}

#endif

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

/* Fill n 64-bit words at p with v, four stores a turn. The memmap's long
 * fills go to the arch instead (memdesc_fill, page.h). */
static inline void memset64(u64 *p, u64 v, size_t n)
{
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

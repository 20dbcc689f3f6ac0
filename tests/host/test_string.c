/*
 * test_string.c — lib/string.c's memset, memcpy and memmove (built as
 * kmemset, kmemcpy, kmemmove: host.mk), which move words where both sides
 * are aligned: every length to 200 at every pair of alignments, against
 * byte-at-a-time references, with guard bytes around each destination.
 */
#include <string.h>

#include "harness.h"

void *kmemcpy(void *restrict dst, const void *restrict src, size_t n);
void *kmemmove(void *dst, const void *src, size_t n);
void *kmemset(void *dst, int c, size_t n);

#define SPAN 256
#define MAX_LEN 200

static unsigned char want[SPAN + 32], got[SPAN + 32];

static void pattern(unsigned char *p, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(seed * 31 + i * 7 + (i >> 3));
}

TEST(string, memset_every_length_and_alignment)
{
	for (size_t off = 0; off < 16; off++) {
		for (size_t n = 0; n <= MAX_LEN; n++) {
			pattern(want, sizeof(want), (unsigned)(off + n));
			memcpy(got, want, sizeof(got));
			for (size_t i = 0; i < n; i++)
				want[16 + off + i] = 0xa7;
			EXPECT(kmemset(got + 16 + off, 0xa7, n) == got + 16 + off);
			if (memcmp(got, want, sizeof(got)) != 0) {
				EXPECT(!"kmemset wrote the wrong bytes");
				return;
			}
		}
	}
}

TEST(string, memcpy_every_length_and_alignment_pair)
{
	static unsigned char src[SPAN + 32];

	pattern(src, sizeof(src), 3);
	for (size_t so = 0; so < 16; so++) {
		for (size_t d_o = 0; d_o < 16; d_o++) {
			for (size_t n = 0; n <= MAX_LEN; n++) {
				pattern(want, sizeof(want), (unsigned)(so + d_o + n));
				memcpy(got, want, sizeof(got));
				for (size_t i = 0; i < n; i++)
					want[16 + d_o + i] = src[so + i];
				EXPECT(kmemcpy(got + 16 + d_o, src + so, n) == got + 16 + d_o);
				if (memcmp(got, want, sizeof(got)) != 0) {
					EXPECT(!"kmemcpy wrote the wrong bytes");
					return;
				}
			}
		}
	}
}

/* Overlapping both ways, at every distance and alignment: the result is
 * what a copy through a separate buffer gives. */
TEST(string, memmove_overlaps_both_ways)
{
	static unsigned char tmp[SPAN + 32];

	for (size_t so = 0; so < 40; so++) {
		for (size_t d_o = 0; d_o < 40; d_o++) {
			for (size_t n = 0; n <= 120; n += (n < 20 ? 1 : 7)) {
				pattern(want, sizeof(want), (unsigned)(so * 41 + d_o + n));
				memcpy(got, want, sizeof(got));
				memcpy(tmp, want + so, n);
				memcpy(want + d_o, tmp, n);
				EXPECT(kmemmove(got + d_o, got + so, n) == got + d_o);
				if (memcmp(got, want, sizeof(got)) != 0) {
					EXPECT(!"kmemmove wrote the wrong bytes");
					return;
				}
			}
		}
	}
}

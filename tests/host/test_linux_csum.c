/*
 * test_linux_csum.c — ktest/linux_csum.c against the Internet checksum's
 * definition (RFC 1071): both arches' csum_partial must fold to the 16-bit
 * one's-complement sum of the data's little-endian 16-bit words, keep
 * their own 32-bit shapes, and chain as Linux chains them over folios.
 */
#include "harness.h"
#include "linux_csum.h"
#include <string.h>

/* The definition, 16 bits at a time; 0xffff for a non-zero sum of 0. */
static u32 rfc1071(const u8 *p, u64 len)
{
	u64 s = 0;

	for (u64 i = 0; i < len; i += 2)
		s += (u32)p[i] | (u32)p[i + 1] << 8;
	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (u32)s;
}

static u32 fold16(u32 v)
{
	u64 s = v;

	while (s >> 16)
		s = (s & 0xffff) + (s >> 16);
	return (u32)s;
}

TEST(linux_csum, rfc1071_example)
{
	/* RFC 1071's example bytes: big-endian sum 0xddf2, so 0xf2dd here. */
	static const u8 b[8] = { 0x00, 0x01, 0xf2, 0x03, 0xf4, 0xf5, 0xf6, 0xf7 };

	EXPECT_EQ(linux_csum_partial_arm64(b, 8, 0), 0xf2dd);
	EXPECT_EQ(linux_csum_partial_x86_64(b, 8, 0), 0xfbe8f6f4); /* 32 bits, unfolded */
	EXPECT_EQ(fold16(linux_csum_partial_x86_64(b, 8, 0)), 0xf2dd);
}

TEST(linux_csum, zero_and_all_ones)
{
	static u64 zero[512], ones[512];

	memset(ones, 0xff, sizeof(ones));
	EXPECT_EQ(linux_csum_partial_arm64(zero, sizeof(zero), 0), 0);
	EXPECT_EQ(linux_csum_partial_x86_64(zero, sizeof(zero), 0), 0);
	/* One's complement: a sum of non-zero words never becomes 0. */
	EXPECT_EQ(linux_csum_partial_arm64(ones, sizeof(ones), 0), 0xffff);
	EXPECT_EQ(linux_csum_partial_x86_64(ones, sizeof(ones), 0), 0xffffffff);
}

TEST(linux_csum, folds_to_the_definition_and_chains)
{
	static u8 page[3][4096];
	u32 arm = 0, x86 = 0;
	u64 rs = 0x5eed;

	for (int k = 0; k < 3; k++) {
		for (int i = 0; i < 4096; i++)
			page[k][i] = (u8)host_rand(&rs);
		/* arm64's result is the folded sum itself plus the running one. */
		EXPECT_EQ(linux_csum_partial_arm64(page[k], 4096, 0), rfc1071(page[k], 4096));
		EXPECT_EQ(fold16(linux_csum_partial_x86_64(page[k], 4096, 0)),
			  rfc1071(page[k], 4096));
		arm = linux_csum_partial_arm64(page[k], 4096, arm);
		x86 = linux_csum_partial_x86_64(page[k], 4096, x86);
	}
	/* Chained over three folios, as test_kho does, the fold is the sum of
	 * all of them. */
	EXPECT_EQ(fold16(arm), rfc1071(&page[0][0], sizeof(page)));
	EXPECT_EQ(fold16(x86), rfc1071(&page[0][0], sizeof(page)));
	/* arm64 carries 16-bit sums along (three of them here); x86-64
	 * keeps 32 bits: the raw values differ, so each arch needs its own. */
	EXPECT(arm <= 3 * 0xffff);
}

/*
 * test_format.c — lib/format.c, the formatter under printk.
 *
 * Built with -Dsnprintf=ksnprintf (host.mk), so printk.h declares the
 * kernel's functions as ksnprintf/kvsnprintf and these tests call them.
 */
#include <limits.h>
#include <sys/types.h>
#include <string.h>

#include "harness.h"
#include "printk.h"

static char buf[128];

/* ksnprintf into buf; EXPECT the text and the returned length. */
#define EXPECT_FMT(want, ...)                                      \
	do {                                                       \
		int n_ = ksnprintf(buf, sizeof(buf), __VA_ARGS__); \
		EXPECT_STR(buf, want);                             \
		EXPECT_EQ(n_, strlen(want));                       \
	} while (0)

TEST(format, integers)
{
	EXPECT_FMT("0", "%d", 0);
	EXPECT_FMT("-42", "%d", -42);
	EXPECT_FMT("-2147483648", "%d", INT_MIN);
	EXPECT_FMT("2147483647", "%i", INT_MAX);
	EXPECT_FMT("4294967295", "%u", UINT_MAX);
	EXPECT_FMT("-9223372036854775808", "%lld", LLONG_MIN);
	EXPECT_FMT("18446744073709551615", "%llu", ULLONG_MAX);
	EXPECT_FMT("-1", "%ld", -1L);
	EXPECT_FMT("1234567", "%zu", (size_t)1234567);
	EXPECT_FMT("-5", "%zd", (ssize_t)-5);
}

TEST(format, hex)
{
	EXPECT_FMT("deadbeef", "%x", 0xdeadbeefu);
	EXPECT_FMT("DEADBEEF", "%X", 0xdeadbeefu);
	EXPECT_FMT("ffffffff", "%x", -1); /* %x takes an unsigned int */
	EXPECT_FMT("123456789abcdef0", "%llx", 0x123456789abcdef0ULL);
	EXPECT_FMT("ffffffffffffffff", "%lx", ~0UL);
	EXPECT_FMT("1f", "%zx", (size_t)31);
}

TEST(format, pointers_strings_chars)
{
	const char *none = NULL;

	EXPECT_FMT("0x1234", "%p", (void *)0x1234);
	EXPECT_FMT("0xffff800000001000", "%p", (void *)0xffff800000001000UL);
	EXPECT_FMT("0x0", "%p", NULL);
	EXPECT_FMT("(null)", "%s", none);
	EXPECT_FMT("a=b", "%s=%s", "a", "b");
	EXPECT_FMT("x", "%c", 'x');
	EXPECT_FMT("100%", "%d%%", 100);
	EXPECT_FMT("", "%s", "");
}

TEST(format, width_and_flags)
{
	EXPECT_FMT("   42", "%5d", 42);
	EXPECT_FMT("42   |", "%-5d|", 42);
	EXPECT_FMT("00042", "%05d", 42);
	EXPECT_FMT("-0042", "%05d", -42); /* the zero pad goes after the sign */
	EXPECT_FMT("  -42", "%5d", -42);
	EXPECT_FMT("12345", "%2d", 12345); /* a width never truncates */
	EXPECT_FMT("0000beef", "%08x", 0xbeefu);
	EXPECT_FMT("      ab", "%8s", "ab");
	EXPECT_FMT("ab      |", "%-8s|", "ab");
	EXPECT_FMT("    x", "%5c", 'x');
	EXPECT_FMT("[    1.000042] ", "[%5llu.%06llu] ", 1ULL, 42ULL); /* printk's */
}

TEST(format, truncation)
{
	char small[8];
	int n;

	memset(small, 'X', sizeof(small));
	n = ksnprintf(small, 5, "hello %s", "world");
	EXPECT_EQ(n, 11); /* the length the whole output would have */
	EXPECT_STR(small, "hell");
	EXPECT_EQ(small[5], 'X'); /* nothing written past size */

	n = ksnprintf(small, 1, "abc");
	EXPECT_EQ(n, 3);
	EXPECT_EQ(small[0], '\0');

	n = ksnprintf(small, 4, "%d", 12345);
	EXPECT_EQ(n, 5);
	EXPECT_STR(small, "123");
}

TEST(format, size_zero)
{
	char one = 'X';

	EXPECT_EQ(ksnprintf(NULL, 0, "abc%d", 12), 5);
	EXPECT_EQ(ksnprintf(&one, 0, "abc"), 3);
	EXPECT_EQ(one, 'X'); /* size 0: not even a terminator */
}

/* The format checker rightly refuses these; the formatter must cope anyway. */
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wformat"
#pragma clang diagnostic ignored "-Wformat-invalid-specifier"
#pragma clang diagnostic ignored "-Wformat-extra-args"
TEST(format, formats_the_checker_refuses)
{
	EXPECT_FMT("%q", "%q", 1);
	EXPECT_FMT("a%q7", "a%q%d", 7); /* and the argument is not consumed */
	EXPECT_FMT("trailing %", "trailing %");
	EXPECT_FMT("50%", "50%l");
	EXPECT_FMT("-42  |", "%-05d|", -42); /* '-' wins over '0' */
}
#pragma clang diagnostic pop

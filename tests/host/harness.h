/*
 * harness.h — the host unit tests' own small test framework.
 *
 *     TEST(cmdline, bare_key)
 *     {
 *             EXPECT_EQ(cmdline_parse("flag"), 0);
 *             EXPECT_LOG("unknown parameter");
 *     }
 *
 * TEST puts the test in the linker section "host_tests" (the same trick as
 * CMDLINE_PARAM); harness.c's main runs each one in a forked child, so every
 * test starts with fresh kernel state (no console, an empty log) and a crash,
 * a sanitizer report or a timeout fails that test alone. Output, one line a
 * test, then the summary that `make test` counts:
 *
 *     host: cmdline.bare_key: ok
 *     host: cmdline.quotes: FAIL tests/host/test_cmdline.c:42: ...
 *     host: 41 passed, 1 failed
 *
 * EXPECT_* record a failure (file:line and the values) and carry on;
 * REQUIRE stops the test at once, for preconditions later checks rely on.
 */
#ifndef BATON_TESTS_HOST_HARNESS_H
#define BATON_TESTS_HOST_HARNESS_H

#include <stdbool.h>
#include "compiler.h"
#include "types.h"

struct host_test {
	const char *suite;
	const char *name;
	void (*fn)(void);
};

#define TEST(suite, name)                                                                \
	static void test_##suite##_##name(void);                                         \
	static const struct host_test host_test_##suite##_##name __section("host_tests") \
		__used __aligned(8) = { #suite, #name, test_##suite##_##name };          \
	static void test_##suite##_##name(void)

__printf(3, 4) void host_fail(const char *file, int line, const char *fmt, ...);
__noreturn void host_stop(void);
void host_expect_eq(const char *file, int line, const char *a_expr, const char *b_expr,
		    unsigned long long a, unsigned long long b);
void host_expect_str(const char *file, int line, const char *a_expr, const char *a, const char *b);
void host_expect_log(const char *file, int line, const char *text, bool present);

#define EXPECT(cond) ((cond) ? (void)0 : host_fail(__FILE__, __LINE__, "expected %s", #cond))

/* Integers of any type, compared as 64-bit values; shown signed and hex. */
#define EXPECT_EQ(a, b) \
	host_expect_eq(__FILE__, __LINE__, #a, #b, (unsigned long long)(a), (unsigned long long)(b))

/* Two C strings (either may be NULL). */
#define EXPECT_STR(a, b) host_expect_str(__FILE__, __LINE__, #a, (a), (b))

/* The captured output (host_log(), tests/host/host.h) contains text, or not. */
#define EXPECT_LOG(text) host_expect_log(__FILE__, __LINE__, (text), true)
#define EXPECT_NO_LOG(text) host_expect_log(__FILE__, __LINE__, (text), false)

/* A fixed-seed xorshift64 for randomized tests: the same run every time. */
static inline u64 host_rand(u64 *state)
{
	*state ^= *state << 13;
	*state ^= *state >> 7;
	*state ^= *state << 17;
	return *state;
}

/* The tests' checksum of preserved contents: a position-weighted sum of
 * 64-bit words, so a word moved or swapped changes it. */
static inline u64 host_wsum(const void *p, u64 bytes)
{
	const u64 *w = p;
	u64 sum = 0;

	for (u64 i = 0; i < bytes / 8; i++)
		sum += w[i] * (i + 1);
	return sum;
}

#define REQUIRE(cond)                                                        \
	do {                                                                 \
		if (!(cond)) {                                               \
			host_fail(__FILE__, __LINE__, "required %s", #cond); \
			host_stop();                                         \
		}                                                            \
	} while (0)

#endif

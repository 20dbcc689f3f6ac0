/*
 * test_cmdline.c — kernel/cmdline.c: splitting the command line into words,
 * dispatching them to CMDLINE_PARAM handlers, and the warnings for bad ones.
 *
 * The test parameters below land in the same "cmdline_params" section as the
 * kernel's own (printk.c's loglevel), exactly as in the kernel image. Their
 * handlers record each call in `calls`, "key=value;" or "key;" for a bare
 * key, so a test states everything the parser passed on, in order.
 */
#include <string.h>

#include "harness.h"
#include "host.h"
#include "cmdline.h"

static char calls[4096];

static void record(const char *key, const char *val)
{
	strcat(calls, key);
	if (val) {
		strcat(calls, "=");
		strcat(calls, val);
	}
	strcat(calls, ";");
}

static int set_val(const char *val)
{
	record("t.val", val);
	return 0;
}
CMDLINE_PARAM("t.val", set_val, "any value");

static int set_flag(const char *val)
{
	record("t.flag", val);
	return 0;
}
CMDLINE_PARAM("t.flag", set_flag, "a flag");

/* Takes a number only; rejects anything else, including a bare key. */
static int set_num(const char *val)
{
	u64 v;

	if (cmdline_parse_u64(val, &v) < 0)
		return -1;
	record("t.num", val);
	return 0;
}
CMDLINE_PARAM("t.num", set_num, "a number");

/* Parse line with the log captured; returns the warning count. */
static int parse(const char *line)
{
	host_console_register();
	host_log_clear();
	calls[0] = '\0';
	return cmdline_parse(line);
}

TEST(cmdline, key_value)
{
	EXPECT_EQ(parse("t.val=hello"), 0);
	EXPECT_STR(calls, "t.val=hello;");
	EXPECT_STR(host_log(), "");

	EXPECT_EQ(parse("t.val=a=b t.val= t.num=0x10"), 0);
	EXPECT_STR(calls, "t.val=a=b;t.val=;t.num=0x10;");
}

TEST(cmdline, bare_key)
{
	EXPECT_EQ(parse("t.flag"), 0);
	EXPECT_STR(calls, "t.flag;"); /* the handler got NULL, not "" */
}

TEST(cmdline, empty_lines)
{
	EXPECT_EQ(parse(""), 0);
	EXPECT_EQ(parse(" \t \n"), 0);
	EXPECT_STR(calls, "");
	EXPECT_STR(host_log(), "");
}

TEST(cmdline, spaces_tabs_newlines)
{
	EXPECT_EQ(parse("  t.val=a\tt.flag    t.num=12 \r\n"), 0);
	EXPECT_STR(calls, "t.val=a;t.flag;t.num=12;");
}

TEST(cmdline, quoted_values)
{
	EXPECT_EQ(parse("t.val=\"a value  with\tspaces\" t.flag"), 0);
	EXPECT_STR(calls, "t.val=a value  with\tspaces;t.flag;");

	EXPECT_EQ(parse("t.val=\"\" t.val=\"x=y\""), 0);
	EXPECT_STR(calls, "t.val=;t.val=x=y;");

	EXPECT_EQ(parse("t.val=\"at the end\""), 0);
	EXPECT_STR(calls, "t.val=at the end;");
}

TEST(cmdline, unknown_keys_warned)
{
	EXPECT_EQ(parse("nosuch=1 t.flag bogus"), 2);
	EXPECT_STR(calls, "t.flag;"); /* the known word is still taken */
	EXPECT_LOG("cmdline: unknown parameter 'nosuch', ignored\r\n");
	EXPECT_LOG("cmdline: unknown parameter 'bogus', ignored\r\n");

	/* A prefix of a known key is not that key. */
	EXPECT_EQ(parse("t.fla t.flagx"), 2);
	EXPECT_STR(calls, "");
}

TEST(cmdline, handler_rejects)
{
	EXPECT_EQ(parse("t.num=12x t.num=7"), 1);
	EXPECT_STR(calls, "t.num=7;");
	EXPECT_LOG("cmdline: bad value for 't.num': '12x' (a number), ignored\r\n");

	EXPECT_EQ(parse("t.num"), 1); /* a bare key: the handler sees NULL */
	EXPECT_LOG("cmdline: bad value for 't.num': '' (a number), ignored\r\n");
}

TEST(cmdline, no_key)
{
	EXPECT_EQ(parse("=value t.flag ="), 2);
	EXPECT_STR(calls, "t.flag;");
	EXPECT_LOG("cmdline: '=value' has no key, ignored\r\n");
	EXPECT_LOG("cmdline: '=' has no key, ignored\r\n");
}

TEST(cmdline, unterminated_quote)
{
	/* The rest of the line is inside the quote: nothing more is taken. */
	EXPECT_EQ(parse("t.flag t.val=\"abc t.num=1"), 1);
	EXPECT_STR(calls, "t.flag;");
	EXPECT_LOG("cmdline: unterminated quote in 't.val=': it and the rest of the line are "
		   "ignored\r\n");

	EXPECT_EQ(parse("nosuch t.val=\""), 2);
	EXPECT_LOG("unterminated quote in 't.val='");
}

TEST(cmdline, junk_after_quote)
{
	EXPECT_EQ(parse("t.val=\"a b\"c t.flag"), 1);
	EXPECT_STR(calls, "t.flag;"); /* the word is dropped, the next one taken */
	EXPECT_LOG("cmdline: junk after the quoted value of 't.val=', ignored\r\n");

	EXPECT_EQ(parse("t.val=\"a\"\"b\""), 1);
	EXPECT_STR(calls, "");
}

TEST(cmdline, longest_line_taken_whole)
{
	static char line[CMDLINE_MAX], want[CMDLINE_MAX + 1];
	size_t key = strlen("t.val=");

	/* CMDLINE_MAX - 1 characters: the longest line that fits. */
	memcpy(line, "t.val=", key);
	memset(line + key, 'v', sizeof(line) - 1 - key);
	line[sizeof(line) - 1] = '\0';
	EXPECT_EQ(parse(line), 0);
	strcpy(want, line);
	strcat(want, ";");
	EXPECT_STR(calls, want);
	EXPECT_NO_LOG("longer than");
}

/* Over the limit: the whole words that end within CMDLINE_MAX - 1 bytes
 * are taken, with a warning that says how much was dropped; the word
 * across the limit goes whole, never cut in two. */
TEST(cmdline, over_long_line_cut_between_words)
{
	static char line[3 * CMDLINE_MAX], want[CMDLINE_MAX + 8];
	size_t key = strlen("t.val=");

	/* t.val=vvvv...(2000 v) t.num=12345678 t.flag: t.num's value crosses
	 * byte 2047, so t.num and what follows are dropped, not "t.num=123". */
	memset(line, 0, sizeof(line));
	memcpy(line, "t.val=", key);
	memset(line + key, 'v', 2000);
	strcat(line, " t.flag t.flag t.flag t.flag t.flag t.num=12345678 t.flag");
	REQUIRE(strlen(line) >= CMDLINE_MAX);
	EXPECT_EQ(parse(line), 1);
	EXPECT_LOG("cmdline: 2063 bytes, longer than the 2047 taken: the first 2041 (whole words) "
		   "are used, the rest is ignored\r\n");
	memcpy(want, line, key + 2000);
	strcpy(want + key + 2000, ";t.flag;t.flag;t.flag;t.flag;t.flag;");
	EXPECT_STR(calls, want);
}

/* One word longer than the limit leaves nothing to take. */
TEST(cmdline, over_long_single_word_dropped)
{
	static char line[CMDLINE_MAX + 10];

	memset(line, 'k', sizeof(line) - 1);
	line[sizeof(line) - 1] = '\0';
	EXPECT_EQ(parse(line), 1);
	EXPECT_LOG("cmdline: 2057 bytes, longer than the 2047 taken: the first 0 (whole words)");
	EXPECT_STR(calls, "");
}

/* A quoted value with spaces that crosses the limit is one word: it goes
 * whole; the words before it are taken. */
TEST(cmdline, over_long_quoted_value_dropped_whole)
{
	static char line[CMDLINE_MAX + 100];

	memset(line, 0, sizeof(line));
	strcpy(line, "t.flag t.val=\"");
	for (size_t i = strlen(line); i < CMDLINE_MAX + 50; i++)
		line[i] = i % 7 ? 'q' : ' ';
	strcat(line, "\" t.num=1");
	EXPECT_EQ(parse(line), 1);
	EXPECT_LOG("the first 6 (whole words) are used");
	EXPECT_STR(calls, "t.flag;");
}

/* The word a loader appends when it had to cut the line (cmdline.h): the
 * kernel's log says so. */
TEST(cmdline, loader_cut_marker_warns)
{
	EXPECT_EQ(parse("t.flag " CMDLINE_CUT "=5000"), 0);
	EXPECT_STR(calls, "t.flag;");
	EXPECT_LOG(
		"cmdline: the loader cut the command line: it was given 5000 bytes, more than the "
		"2047 taken here; the words after this one were dropped\r\n");

	EXPECT_EQ(parse(CMDLINE_CUT "=lots"), 1);
	EXPECT_LOG("cmdline: bad value for '" CMDLINE_CUT "': 'lots'");
}

/* cmdline_word_end, the word syntax the loader cuts by, agrees with the
 * parser: each word it finds is one call (or one warning). */
TEST(cmdline, word_end_matches_parser)
{
	const char *line = "t.val=\"a b\" t.flag t.val=x\"y t.val=\"q\"junk t.num=1";
	const char *ends[] = { "t.val=\"a b\"", "t.flag", "t.val=x\"y", "t.val=\"q\"junk",
			       "t.num=1" };
	const char *p = line;

	for (size_t i = 0; i < ARRAY_SIZE(ends); i++) {
		const char *e;

		while (cmdline_is_space(*p))
			p++;
		e = cmdline_word_end(p);
		EXPECT_EQ((size_t)(e - p), strlen(ends[i]));
		EXPECT(strncmp(p, ends[i], strlen(ends[i])) == 0);
		p = e;
	}
	EXPECT_EQ(*p, 0);
	EXPECT_EQ(parse(line), 1);
	EXPECT_STR(calls, "t.val=a b;t.flag;t.val=x\"y;t.num=1;");
	EXPECT_STR(cmdline_word_end("t.val=\"open to the end"), "");
}

TEST(cmdline, loglevel_param)
{
	/* printk.c's own parameter, found in the same section as ours. */
	EXPECT_EQ(parse("loglevel=5"), 0); /* still shows warnings (level 4) */
	EXPECT_EQ(parse("loglevel=16 loglevel=x loglevel"), 3);
	EXPECT_LOG("cmdline: bad value for 'loglevel': '16' (console log level: lines below it "
		   "are shown, 0..15 (default 7: all but debug)), ignored");
}

/* cmdline_parse_u64: the result, or -1 and *out untouched. */
#define EXPECT_U64(s, want)                              \
	do {                                             \
		u64 v_ = 0xbad;                          \
		EXPECT_EQ(cmdline_parse_u64(s, &v_), 0); \
		EXPECT_EQ(v_, want);                     \
	} while (0)
#define EXPECT_U64_BAD(s, err)                             \
	do {                                               \
		u64 v_ = 0xbad;                            \
		EXPECT_EQ(cmdline_parse_u64(s, &v_), err); \
		EXPECT_EQ(v_, 0xbad);                      \
	} while (0)

TEST(cmdline, parse_u64_numbers)
{
	EXPECT_U64("0", 0);
	EXPECT_U64("42", 42);
	EXPECT_U64("007", 7);
	EXPECT_U64("0x1f", 0x1f);
	EXPECT_U64("0XdeadBEEF", 0xdeadbeef);
	EXPECT_U64("18446744073709551615", ~0ULL);
	EXPECT_U64("0xffffffffffffffff", ~0ULL);
	EXPECT_U64("0x0000000000000000001", 1); /* leading zeros never overflow */
}

TEST(cmdline, parse_u64_suffixes)
{
	EXPECT_U64("4K", 4096);
	EXPECT_U64("4k", 4096);
	EXPECT_U64("2M", 2 << 20);
	EXPECT_U64("3g", 3ULL << 30);
	EXPECT_U64("0x10M", 16 << 20);
	EXPECT_U64("0x1g", 1ULL << 30); /* g is no hex digit: a suffix */
	EXPECT_U64("0K", 0);
	EXPECT_U64("17179869183G", ((1ULL << 34) - 1) << 30); /* largest G */
}

TEST(cmdline, parse_u64_rejects)
{
	EXPECT_U64_BAD(NULL, -EINVAL);
	EXPECT_U64_BAD("", -EINVAL);
	EXPECT_U64_BAD("0x", -EINVAL);
	EXPECT_U64_BAD("K", -EINVAL);
	EXPECT_U64_BAD("0xK", -EINVAL);
	EXPECT_U64_BAD("12x", -EINVAL);
	EXPECT_U64_BAD("1KB", -EINVAL);
	EXPECT_U64_BAD("1T", -EINVAL);
	EXPECT_U64_BAD("1f", -EINVAL);
	EXPECT_U64_BAD("-1", -EINVAL);
	EXPECT_U64_BAD(" 1", -EINVAL);
	EXPECT_U64_BAD("1 ", -EINVAL);
	EXPECT_U64_BAD("18446744073709551616", -ERANGE); /* 2^64 */
	EXPECT_U64_BAD("99999999999999999999", -ERANGE);
	EXPECT_U64_BAD("0x10000000000000000", -ERANGE);
	EXPECT_U64_BAD("17179869184G", -ERANGE);       /* 2^34 G = 2^64 */
	EXPECT_U64_BAD("18014398509481984K", -ERANGE); /* 2^54 K = 2^64 */
}

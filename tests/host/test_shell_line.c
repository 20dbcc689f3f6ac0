/*
 * test_shell_line.c — kernel/shell_line.c, the shell's line editor: bytes
 * are fed as a terminal would send them, and both the line it makes and
 * what it echoes (what the terminal shows) are checked.
 */
#include <string.h>

#include "harness.h"
#include "shell.h"

static char echoed[4096];
static size_t echoed_len;

static void capture(const char *s, size_t n, void *arg)
{
	(void)arg;
	REQUIRE(echoed_len + n < sizeof(echoed));
	memcpy(echoed + echoed_len, s, n);
	echoed_len += n;
	echoed[echoed_len] = 0;
}

static struct shell_line line;

static void start(void)
{
	echoed_len = 0;
	echoed[0] = 0;
	shell_line_init(&line, capture, NULL);
}

/* Feed every byte of s (n bytes, NULs included); the result of the last. */
static enum shell_line_result feed_n(const char *s, size_t n)
{
	enum shell_line_result r = SHELL_LINE_MORE;

	for (size_t i = 0; i < n; i++)
		r = shell_line_feed(&line, (unsigned char)s[i]);
	return r;
}

static enum shell_line_result feed(const char *s)
{
	return feed_n(s, strlen(s));
}

TEST(shell_line, plain_line_and_echo)
{
	start();
	EXPECT_EQ(feed("mem"), SHELL_LINE_MORE);
	EXPECT_STR(line.buf, "mem");
	EXPECT_EQ(feed("\r"), SHELL_LINE_DONE);
	EXPECT_STR(line.buf, "mem");
	EXPECT_STR(echoed, "mem\n");
}

TEST(shell_line, enter_is_cr_or_lf_and_crlf_once)
{
	start();
	EXPECT_EQ(feed("kho\n"), SHELL_LINE_DONE);
	EXPECT_STR(line.buf, "kho");
	shell_line_reset(&line);
	EXPECT_EQ(feed("log\r"), SHELL_LINE_DONE);
	shell_line_reset(&line);
	/* The LF of that CRLF is no second Enter... */
	EXPECT_EQ(feed("\n"), SHELL_LINE_MORE);
	EXPECT_EQ(line.len, 0);
	/* ...but a second LF is. */
	EXPECT_EQ(feed("\n"), SHELL_LINE_DONE);
	EXPECT_STR(line.buf, "");
	/* CRLF in the middle of a feed: one Enter, the next line starts clean. */
	shell_line_reset(&line);
	EXPECT_EQ(feed("a\r"), SHELL_LINE_DONE);
	shell_line_reset(&line);
	EXPECT_EQ(feed("\nb"), SHELL_LINE_MORE);
	EXPECT_STR(line.buf, "b");
	EXPECT_STR(echoed, "kho\nlog\n\na\nb");
}

TEST(shell_line, backspace_both_codes)
{
	start();
	EXPECT_EQ(feed("helq\x7fp"), SHELL_LINE_MORE);
	EXPECT_STR(line.buf, "help");
	EXPECT_STR(echoed, "helq\b \bp");
	start();
	EXPECT_EQ(feed("kx\bho"), SHELL_LINE_MORE);
	EXPECT_STR(line.buf, "kho");
	EXPECT_STR(echoed, "kx\b \bho");
	/* Backspace on an empty line does nothing, shows nothing. */
	start();
	EXPECT_EQ(feed("\x7f\b"), SHELL_LINE_MORE);
	EXPECT_EQ(line.len, 0);
	EXPECT_STR(echoed, "");
}

TEST(shell_line, ctrl_u_kills_the_line)
{
	start();
	feed("garbage");
	echoed_len = 0;
	EXPECT_EQ(feed("\x15"), SHELL_LINE_MORE);
	EXPECT_EQ(line.len, 0);
	EXPECT_EQ(line.cur, 0);
	/* back to the start, blanks over the 7 characters, back again */
	EXPECT_STR(echoed, "\b\b\b\b\b\b\b       \b\b\b\b\b\b\b");
	EXPECT_EQ(feed("log\r"), SHELL_LINE_DONE);
	EXPECT_STR(line.buf, "log");
}

TEST(shell_line, ctrl_c_drops_the_line)
{
	start();
	EXPECT_EQ(feed("poweroff\x03"), SHELL_LINE_DROPPED);
	EXPECT_STR(echoed, "poweroff^C\n");
	shell_line_reset(&line);
	EXPECT_EQ(feed("help\r"), SHELL_LINE_DONE);
	EXPECT_STR(line.buf, "help");
}

TEST(shell_line, arrows_home_end_delete)
{
	start();
	/* "ft", Left, "d": the d goes in before the t, which is reprinted
	 * and the cursor brought back over it. */
	feed("ft\x1b[Dd");
	EXPECT_STR(line.buf, "fdt");
	EXPECT_EQ(line.cur, 2);
	EXPECT_STR(echoed, "ft\bdt\b");
	/* Home, Delete (ESC [ 3 ~), End, "x" */
	echoed_len = 0;
	feed("\x1b[H\x1b[3~\x1b[Fx");
	EXPECT_STR(line.buf, "dtx");
	EXPECT_EQ(line.cur, 3);
	EXPECT_STR(echoed, "\b\bdt \b\b\bdtx");
	/* Ctrl-A, Right (SS3 form too), Backspace in the middle */
	echoed_len = 0;
	feed("\x01\x1bOC\x7f");
	EXPECT_STR(line.buf, "tx");
	EXPECT_EQ(line.cur, 0);
	EXPECT_STR(echoed, "\b\b\bd\btx \b\b\b");
	/* Left at the start and Right at the end do nothing */
	echoed_len = 0;
	feed("\x1b[D\x05\x1b[C");
	EXPECT_EQ(line.cur, 2);
	EXPECT_STR(echoed, "tx");
	EXPECT_EQ(feed("\r"), SHELL_LINE_DONE);
	EXPECT_STR(line.buf, "tx");
}

TEST(shell_line, other_bytes_ignored)
{
	start();
	/* Up/Down (no history), an unknown sequence, a tab, a high byte,
	 * NUL, Ctrl-D: none of them is text. */
	feed_n("\x1b[A\x1b[B\x1b[99;5x\t\xe9\x00\x04ok", 19);
	EXPECT_STR(line.buf, "ok");
	EXPECT_STR(echoed, "ok");
}

TEST(shell_line, too_long_is_dropped_whole)
{
	char big[SHELL_LINE_MAX + 20];

	start();
	memset(big, 'a', sizeof(big) - 1);
	big[sizeof(big) - 1] = 0;
	EXPECT_EQ(feed(big), SHELL_LINE_MORE);
	EXPECT_EQ(line.len, SHELL_LINE_CHARS);
	EXPECT(strstr(echoed, "shell: the line is longer than 127 characters; it is dropped"));
	/* The rest, up to Enter, is swallowed: nothing of it runs. */
	echoed_len = 0;
	echoed[0] = 0;
	EXPECT_EQ(feed("poweroff"), SHELL_LINE_MORE);
	EXPECT_STR(echoed, "");
	EXPECT_EQ(feed("\r"), SHELL_LINE_DROPPED);
	shell_line_reset(&line);
	EXPECT_EQ(feed("mem\r"), SHELL_LINE_DONE);
	EXPECT_STR(line.buf, "mem");
	/* Exactly 127 characters fit. */
	start();
	big[SHELL_LINE_CHARS] = 0;
	EXPECT_EQ(feed(big), SHELL_LINE_MORE);
	EXPECT_EQ(feed("\r"), SHELL_LINE_DONE);
	EXPECT_EQ(strlen(line.buf), SHELL_LINE_CHARS);
}

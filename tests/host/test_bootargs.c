/*
 * test_bootargs.c — boot/efi/bootargs.c, the EFI loader's command line as
 * text: load options to ASCII, cmdline.txt to one line, and the cut to the
 * kernel's CMDLINE_MAX with the marker word, which the kernel's parser
 * then warns about.
 */
#include <stdio.h>
#include <string.h>

#include "harness.h"
#include "host.h"
#include "cmdline.h"
#include "boot/efi/bootargs.h"

/* s as UTF-16 load options, n units (no NUL unless s has one). */
static size_t utf16(const char *s, size_t n, u16 *out)
{
	for (size_t i = 0; i < n; i++)
		out[i] = (u8)s[i];
	return n;
}

TEST(bootargs, options_drop_own_path)
{
	u16 o[64];
	char out[65];

	EXPECT_EQ(bootargs_from_options(o, utf16("\\EFI\\BOOT\\BOOTX64.EFI a=1 b", 27, o), out), 6);
	EXPECT_STR(out, " a=1 b"); /* the space after the path stays; the kernel skips it */
	EXPECT_EQ(bootargs_from_options(o, utf16("  a=1 kexec.chain=3", 19, o), out), 17);
	EXPECT_STR(out, "a=1 kexec.chain=3");
	EXPECT_EQ(bootargs_from_options(o, utf16("boot.efi", 8, o), out), 0);
	/* Up to the first NUL. */
	EXPECT_EQ(bootargs_from_options(o, utf16("a=1\0junk", 8, o), out), 3);
}

TEST(bootargs, options_binary_refused)
{
	u16 o[8] = { 'a', '=', 0x01, 0x02 };
	char out[9];

	EXPECT_EQ(bootargs_from_options(o, 4, out), -1);
	o[2] = 0x263a; /* not ASCII */
	EXPECT_EQ(bootargs_from_options(o, 4, out), -1);
}

TEST(bootargs, text_one_line)
{
	char out[32];

	EXPECT_EQ(bootargs_from_text("a=1\nb=2\r\n\tc\n", 12, out), 12);
	EXPECT_STR(out, "a=1 b=2   c ");
	EXPECT_EQ(bootargs_from_text("a=1\0b", 5, out), 3);
}

/* A line that fits is passed on as it is, without trailing spaces. */
TEST(bootargs, fit_short_untouched)
{
	static char line[CMDLINE_MAX + 8];
	size_t given, kept, len;

	strcpy(line, "a=1 b=2   ");
	EXPECT_EQ(bootargs_fit(line, strlen(line), &given, &kept), 7);
	EXPECT_EQ(given, 7);
	EXPECT_EQ(kept, 7);
	EXPECT_STR(line, "a=1 b=2");

	/* CMDLINE_MAX - 1 bytes: the longest that fits, whole. */
	memset(line, 'x', CMDLINE_MAX - 1);
	line[CMDLINE_MAX - 1] = '\0';
	len = bootargs_fit(line, CMDLINE_MAX - 1, &given, &kept);
	EXPECT_EQ(len, CMDLINE_MAX - 1);
	EXPECT_EQ(given, len);
}

/* Longer: whole words only, then " cmdline.cut=<given>", all within
 * CMDLINE_MAX - 1 bytes; and the kernel's parser takes it whole and warns. */
TEST(bootargs, fit_long_cut_between_words_and_marked)
{
	static char line[4 * CMDLINE_MAX], copy[4 * CMDLINE_MAX];
	size_t given, kept, len, at = 0;

	while (at < 3000) /* "w0000=vvvvvvvvvv w0001=..." 17 bytes a word */
		at += (size_t)sprintf(line + at, "w%04zu=vvvvvvvvvv ", at / 17);
	strcpy(copy, line);
	len = bootargs_fit(line, at, &given, &kept);
	EXPECT_EQ(given, at - 1);
	EXPECT(len < CMDLINE_MAX);
	/* 2047 - strlen(" cmdline.cut=3008") = 2030: 119 words (2023 bytes). */
	EXPECT_EQ(kept, 119 * 17 - 1);
	EXPECT(strncmp(line, copy, kept) == 0);
	EXPECT_STR(line + kept, " " CMDLINE_CUT "=3008");

	host_console_register();
	host_log_clear();
	EXPECT_EQ(cmdline_parse(line), 119); /* the w words are unknown here */
	EXPECT_LOG("cmdline: the loader cut the command line: it was given 3008 bytes");
	EXPECT_NO_LOG("longer than the 2047 taken");
}

/* One word over the limit: nothing of it is kept, the marker alone goes. */
TEST(bootargs, fit_one_huge_word)
{
	static char line[CMDLINE_MAX * 2];
	size_t given, kept, len;

	memset(line, 'k', CMDLINE_MAX + 100);
	line[CMDLINE_MAX + 100] = '\0';
	len = bootargs_fit(line, CMDLINE_MAX + 100, &given, &kept);
	EXPECT_EQ(kept, 0);
	EXPECT_STR(line, CMDLINE_CUT "=2148");
	EXPECT_EQ(len, strlen(line));
}

/* A quoted value with spaces is never cut inside. */
TEST(bootargs, fit_keeps_quotes_whole)
{
	static char line[CMDLINE_MAX * 2];
	size_t given, kept;

	strcpy(line, "a=1 b=\"");
	memset(line + 7, ' ', CMDLINE_MAX);
	strcpy(line + 7 + CMDLINE_MAX, "\" c=3");
	bootargs_fit(line, strlen(line), &given, &kept);
	EXPECT_EQ(kept, 3);
	EXPECT_STR(line, "a=1 " CMDLINE_CUT "=2060");
}

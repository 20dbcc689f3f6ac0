/*
 * cmdline.h — the kernel command line, Linux style.
 *
 * /chosen/bootargs is a list of words separated by spaces: "key=value",
 * "key" alone, or key="a value with spaces". Each subsystem declares the keys
 * it takes next to its code:
 *
 *     static int set_loglevel(const char *val) { ... return 0 or -EINVAL; }
 *     CMDLINE_PARAM("loglevel", set_loglevel, "console log level, 0..7");
 *
 * and cmdline_parse() calls the handler of each key it meets. Unknown keys
 * and values a handler rejects are warned about and skipped; a bad word never
 * stops the boot.
 */
#ifndef BATON_CMDLINE_H
#define BATON_CMDLINE_H

#include "compiler.h"
#include "types.h"
#include "kerrno.h"

/*
 * The longest command line, in bytes with the terminating NUL: Linux's
 * COMMAND_LINE_SIZE on arm64. The kernel takes the whole words that fit and
 * warns about the rest; the EFI loader passes on no more than this and,
 * when it has to cut, says so on the firmware console and ends the line
 * with the word CMDLINE_CUT=<bytes it was given>, which the kernel warns
 * about in its own log.
 */
#define CMDLINE_MAX 2048
#define CMDLINE_CUT "cmdline.cut"

struct cmdline_param {
	const char *key;
	/* val is NULL for a bare "key". Return 0 if taken, a negative code
	 * (kerrno.h: -EINVAL for a value it cannot take) if rejected. */
	int (*set)(const char *val);
	const char *help;
};

#define CMDLINE_PARAM(k, fn, h)                                                      \
	static const struct cmdline_param __cmdline_##fn __section("cmdline_params") \
		__used __aligned(8) = { k, fn, h }

/* Parse line and call the handlers. Returns the number of words that were
 * warned about (unknown keys, rejected values, syntax errors). */
int cmdline_parse(const char *line);

/* Parse an unsigned number, decimal or 0x-hex, with an optional K/M/G
 * suffix; the whole string must be used. Returns 0, -EINVAL (not such a
 * number) or -ERANGE (over 64 bits). */
int cmdline_parse_u64(const char *s, u64 *out);

/* Word syntax, shared with the EFI loader (which cuts only between words).
 * A word is a key up to a space or '='; after '=' a value, either "quoted"
 * (to the closing quote; anything up to the next space after it belongs to
 * the word too) or plain (to the next space). Returns the end of the word
 * that starts at p (a non-space). */
static inline bool cmdline_is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static inline const char *cmdline_word_end(const char *p)
{
	while (*p && !cmdline_is_space(*p) && *p != '=')
		p++;
	if (*p != '=')
		return p;
	if (*++p == '"') {
		while (*++p && *p != '"')
			;
		if (!*p)
			return p; /* unterminated: the rest of the line */
	}
	while (*p && !cmdline_is_space(*p))
		p++;
	return p;
}

#endif

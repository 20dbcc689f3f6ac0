/*
 * cmdline.c — splits /chosen/bootargs into words and hands each to the
 * subsystem that declared its key with CMDLINE_PARAM.
 *
 * Called once by kernel_main after the boot FDT is validated. It copies the
 * line into its own buffer, so the FDT may go away afterwards.
 */
#include "cmdline.h"
#include "printk.h"
#include "kstring.h"
#include "kerrno.h"

extern const struct cmdline_param __start_cmdline_params[];
extern const struct cmdline_param __stop_cmdline_params[];

static const struct cmdline_param *find_param(const char *key)
{
	size_t n = SECTION_ENTRIES(__start_cmdline_params, __stop_cmdline_params);

	for (size_t i = 0; i < n; i++) {
		const struct cmdline_param *p = &__start_cmdline_params[i];

		if (strcmp(p->key, key) == 0)
			return p;
	}
	return NULL;
}

/* How much of an over-long line is kept: the whole words that end within
 * CMDLINE_MAX - 1 bytes. A word cut in two could mean something else
 * ("kho_scratch=64" from "kho_scratch=640M"), so it goes whole. */
static size_t whole_words(const char *line)
{
	const char *p = line;
	size_t keep = 0;

	for (;;) {
		while (cmdline_is_space(*p))
			p++;
		if (!*p || (size_t)(p - line) >= CMDLINE_MAX - 1)
			return keep;
		p = cmdline_word_end(p);
		if ((size_t)(p - line) > CMDLINE_MAX - 1)
			return keep;
		keep = (size_t)(p - line);
	}
}

/* The word a loader ends a line it had to cut with (cmdline.h). */
static int loader_cut(const char *val)
{
	u64 given;

	if (cmdline_parse_u64(val, &given) < 0)
		return -EINVAL;
	pr_warn("cmdline: the loader cut the command line: it was given %llu bytes, more than "
		"the %d taken here; the words after this one were dropped",
		(unsigned long long)given, CMDLINE_MAX - 1);
	return 0;
}
CMDLINE_PARAM(CMDLINE_CUT, loader_cut, "set by a loader that cut the line: its length");

/* The word boot loaders put first on a Linux command line (Linux's boot.rst,
 * "Special Command Line Options"): GRUB's BOOT_IMAGE=<the file it booted>.
 * Known, so that a bzImage boot does not warn about it. */
static int loader_boot_image(const char *val)
{
	(void)val;
	return 0;
}
CMDLINE_PARAM("BOOT_IMAGE", loader_boot_image, "set by boot loaders: the file they booted");

int cmdline_parse(const char *line)
{
	static char buf[CMDLINE_MAX];
	size_t len = strnlen(line, CMDLINE_MAX);
	int warnings = 0;
	char *p = buf;

	if (len == CMDLINE_MAX) {
		len = whole_words(line);
		pr_warn("cmdline: %llu bytes, longer than the %d taken: the first %llu (whole words) "
			"are used, the rest is ignored",
			(unsigned long long)strlen(line), CMDLINE_MAX - 1, (unsigned long long)len);
		warnings++;
	}
	memcpy(buf, line, len);
	buf[len] = '\0';

	while (*p) {
		char *key, *val = NULL, *w;
		const struct cmdline_param *param;

		while (cmdline_is_space(*p))
			p++;
		if (!*p)
			break;

		/* One word: key, then =value, where a value may be "quoted".
		 * The word is rewritten in place without its quotes. */
		key = w = p;
		while (*p && !cmdline_is_space(*p) && *p != '=')
			*w++ = *p++;
		if (*p == '=') {
			p++;
			*w++ = '\0';
			val = w;
			if (*p == '"') {
				p++;
				while (*p && *p != '"')
					*w++ = *p++;
				if (*p != '"') {
					pr_warn("cmdline: unterminated quote in '%s=': it and the rest of the line are ignored",
						key);
					return warnings + 1;
				}
				p++;
				if (*p && !cmdline_is_space(*p)) {
					pr_warn("cmdline: junk after the quoted value of '%s=', ignored",
						key);
					warnings++;
					while (*p && !cmdline_is_space(*p))
						p++;
					continue;
				}
			} else {
				while (*p && !cmdline_is_space(*p))
					*w++ = *p++;
			}
		}
		if (*p)
			p++;
		*w = '\0';

		if (!*key) {
			pr_warn("cmdline: '=%s' has no key, ignored", val ? val : "");
			warnings++;
			continue;
		}
		param = find_param(key);
		if (!param) {
			pr_warn("cmdline: unknown parameter '%s', ignored", key);
			warnings++;
		} else if (param->set(val) != 0) {
			pr_warn("cmdline: bad value for '%s': '%s' (%s), ignored", key,
				val ? val : "", param->help);
			warnings++;
		}
	}
	return warnings;
}

int cmdline_parse_u64(const char *s, u64 *out)
{
	unsigned base = 10, shift = 0;
	const char *digits;
	u64 v = 0;

	if (!s || !*s)
		return -EINVAL;
	if (s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		base = 16;
		s += 2;
	}
	for (digits = s; *s; s++) {
		unsigned d;

		if (*s >= '0' && *s <= '9')
			d = *s - '0';
		else if (base == 16 && *s >= 'a' && *s <= 'f')
			d = *s - 'a' + 10;
		else if (base == 16 && *s >= 'A' && *s <= 'F')
			d = *s - 'A' + 10;
		else
			break;
		if (v > (~0ULL - d) / base)
			return -ERANGE; /* overflow */
		v = v * base + d;
	}
	if (s == digits)
		return -EINVAL; /* no digits at all */
	switch (*s) {
	case 'K':
	case 'k':
		shift = 10;
		s++;
		break;
	case 'M':
	case 'm':
		shift = 20;
		s++;
		break;
	case 'G':
	case 'g':
		shift = 30;
		s++;
		break;
	}
	if (*s)
		return -EINVAL;
	if (shift && v > (~0ULL >> shift))
		return -ERANGE;
	*out = v << shift;
	return 0;
}

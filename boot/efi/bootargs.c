/*
 * bootargs.c — the loader's command line as text (bootargs.h): load options
 * to ASCII, cmdline.txt to one line, and the cut to the kernel's limit.
 */
#include "bootargs.h"
#include "cmdline.h"

long bootargs_from_options(const u16 *o, size_t n, char *out)
{
	size_t i = 0, len = 0;

	while (i < n && o[i] == ' ')
		i++;
	/* A first word with ".efi" in it is our own path: skip it. */
	for (size_t j = i; j + 3 < n && o[j] && o[j] != ' '; j++) {
		if (o[j] == '.' && (o[j + 1] | 0x20) == 'e' && (o[j + 2] | 0x20) == 'f' &&
		    (o[j + 3] | 0x20) == 'i') {
			for (i = j + 4; i < n && o[i] && o[i] != ' '; i++)
				;
			break;
		}
	}
	for (; i < n && o[i]; i++) {
		if (o[i] < 0x20 || o[i] > 0x7e)
			return -1;
		out[len++] = (char)o[i];
	}
	out[len] = '\0';
	return (long)len;
}

size_t bootargs_from_text(const char *t, size_t size, char *out)
{
	size_t len = 0;

	for (; len < size && t[len]; len++)
		out[len] = (t[len] == '\n' || t[len] == '\r' || t[len] == '\t') ? ' ' : t[len];
	out[len] = '\0';
	return len;
}

/* Decimal digits of v into out (21 bytes will do); returns their count. */
static size_t decimal(u64 v, char *out)
{
	char tmp[20];
	size_t n = 0, i = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	while (n)
		out[i++] = tmp[--n];
	out[i] = '\0';
	return i;
}

size_t bootargs_fit(char *line, size_t len, size_t *given, size_t *kept)
{
	static const char key[] = " " CMDLINE_CUT "=";
	char digits[21];
	size_t nd, room, keep = 0;
	const char *p = line;

	while (len && cmdline_is_space(line[len - 1]))
		len--;
	line[len] = '\0';
	*given = *kept = len;
	if (len < CMDLINE_MAX)
		return len;

	/* The words that end within room, then the marker. */
	nd = decimal(len, digits);
	room = CMDLINE_MAX - 1 - (sizeof(key) - 1) - nd;
	for (;;) {
		while (cmdline_is_space(*p))
			p++;
		if (!*p)
			break;
		p = cmdline_word_end(p);
		if ((size_t)(p - line) > room)
			break;
		keep = (size_t)(p - line);
	}
	*kept = keep;
	len = keep;
	for (size_t i = keep ? 0 : 1; i < sizeof(key) - 1; i++) /* no leading space alone */
		line[len++] = key[i];
	for (size_t i = 0; i < nd; i++)
		line[len++] = digits[i];
	line[len] = '\0';
	return len;
}

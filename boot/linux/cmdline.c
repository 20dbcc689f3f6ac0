/*
 * cmdline.c — a loader's command line into struct lb_info (lb_cmdline_take,
 * linuxboot.h), for both x86-64 front ends: the bzImage's (bootparams.c,
 * from cmd_line_ptr) and the multiboot2 one (its command line tag). The
 * kernel takes at most CMDLINE_MAX - 1 bytes; a longer line is cut between
 * words with boot/efi/bootargs.c's bootargs_fit, which also appends
 * "cmdline.cut=<bytes given>" so the kernel warns about it in its own log.
 * And the front ends' own keys on it (lb_cmdline_has: bzimage.unusable,
 * multiboot2.unusable).
 */
#include "linuxboot.h"
#include "boot/efi/bootargs.h"
#include "kstring.h"

void lb_cmdline_take(char *s, size_t len, struct lb_info *out)
{
	size_t given, kept, fit;

	/* bootargs_fit works in place and writes only within the line and the
	 * byte after it. */
	fit = bootargs_fit(s, len, &given, &kept);
	if (fit != given)
		lb_note("the command line is %zu bytes, more than the kernel's %d: the first %zu "
			"(whole words) are passed on, the rest is DROPPED; the kernel is told with %s=%zu",
			given, CMDLINE_MAX - 1, kept, CMDLINE_CUT, given);
	memcpy(out->cmdline, s, fit + 1);
}

bool lb_cmdline_has(const char *line, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = line; *p;) {
		const char *end;

		while (cmdline_is_space(*p))
			p++;
		end = cmdline_word_end(p);
		if ((size_t)(end - p) == n && memcmp(p, word, n) == 0)
			return true;
		p = end;
	}
	return false;
}

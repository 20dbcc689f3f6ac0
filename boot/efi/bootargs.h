/*
 * bootargs.h — the EFI loader's command line as text: from the load
 * options or cmdline.txt to what goes into /chosen/bootargs. Plain C, no
 * EFI headers, so the host unit tests (tests/host/test_bootargs.c) and the
 * command-line fuzzer run it as it is.
 *
 * The kernel takes at most CMDLINE_MAX - 1 bytes (include/cmdline.h). A
 * longer line is cut here between two words, never inside one, and ends
 * with the word "cmdline.cut=<bytes given>", so the kernel warns about it
 * in its own log too; main.c says so on the firmware console first.
 */
#ifndef BATON_EFI_BOOTARGS_H
#define BATON_EFI_BOOTARGS_H

#include "types.h"

/* Load options (n UTF-16 units) as ASCII into out, which holds n + 1
 * bytes: up to the first NUL, without a first word naming our own .efi
 * file (the shell passes it). Returns the length, or -1 when the options
 * are not printable text (binary data a boot entry carries). */
long bootargs_from_options(const u16 *o, size_t n, char *out);

/* cmdline.txt's size bytes as one line into out, which holds size + 1
 * bytes: up to the first NUL, newlines and tabs as spaces. Returns the
 * length. */
size_t bootargs_from_text(const char *t, size_t size, char *out);

/* line (len bytes, NUL at line[len]) made fit for the kernel, in place:
 * trailing spaces dropped (*given bytes are left); if that is still
 * CMDLINE_MAX or more, the whole words that fit are kept (*kept bytes of
 * them) and the marker word appended. Returns the new length, always below
 * CMDLINE_MAX; nothing was cut when it equals *given. */
size_t bootargs_fit(char *line, size_t len, size_t *given, size_t *kept);

#endif

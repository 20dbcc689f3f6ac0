/*
 * shell.h — the serial shell for people at a board (kernel/shell.c) and
 * its line editor (kernel/shell_line.c). docs/shell.md is the user's
 * guide.
 *
 * With `shell` on the command line, kernel_main enters shell_run once the
 * boot's work (self-tests, a kexec chain) is done, instead of powering
 * off. The shell reads the console (console_getc, polled) and ends only in
 * a poweroff, a reset or a kexec.
 */
#ifndef BATON_SHELL_H
#define BATON_SHELL_H

#include "compiler.h"
#include "types.h"

#define SHELL_PROMPT "baton> "

/* Was `shell` on the command line? */
bool shell_wanted(void);

/* Read and run commands until one ends the machine (poweroff, reboot,
 * kexec). Returns only when the console cannot read (said why), and the
 * boot then ends as it would without the shell. */
void shell_run(void);

/* The commands' own parts (kernel/shell_mem.c): `mem`'s figures. */
void shell_mem_show(void);

/* ---- The line editor (kernel/shell_line.c) ---- */

/* The longest line: 127 characters, 128 bytes with its terminating NUL. */
#define SHELL_LINE_CHARS 127
#define SHELL_LINE_MAX (SHELL_LINE_CHARS + 1)

/* What feeding one byte did. */
enum shell_line_result {
	SHELL_LINE_MORE,    /* the line goes on */
	SHELL_LINE_DONE,    /* Enter: the line is in buf */
	SHELL_LINE_DROPPED, /* Ctrl-C, or a line too long: nothing to run */
};

/*
 * One line being typed. The editor knows bytes, not terminals beyond the
 * few VT100 keys below; everything it shows goes through echo, as text for
 * console_write ("\n" for a new line, "\b" to move the cursor left).
 *
 * Invariant (checked at each feed): cur <= len < SHELL_LINE_MAX and
 * buf[len] == 0; buf[0..len) holds printable ASCII only; the terminal's
 * cursor is cur characters after the prompt. e.g. "mem" typed, then Left:
 * buf "mem", len 3, cur 2, and the terminal shows "baton> mem" with the
 * cursor on the 'm' at the end.
 *
 * Keys: printable characters insert at the cursor; Backspace (0x08 or
 * 0x7f) deletes before it, Delete (ESC [ 3 ~) at it; Left/Right
 * (ESC [ D / ESC [ C), Home/End (ESC [ H / ESC [ F, ESC [ 1~ / 4~, Ctrl-A /
 * Ctrl-E) move; Ctrl-U kills the whole line; Ctrl-C drops it (SHELL_LINE_
 * DROPPED); CR or LF ends it (SHELL_LINE_DONE), and an LF right after a CR
 * is the same Enter (CRLF counts once). Other control bytes, other escape
 * sequences and bytes above 0x7e are ignored. A character past the
 * 127th drops the line, says so, and swallows the rest of it up to its
 * Enter (SHELL_LINE_DROPPED then): a pasted line too long never runs in
 * part.
 */
struct shell_line {
	char buf[SHELL_LINE_MAX];
	unsigned len, cur;
	enum { SHELL_KEY_TEXT, SHELL_KEY_ESC, SHELL_KEY_CSI, SHELL_KEY_SS3 } key;
	unsigned csi_param, csi_bytes; /* ESC [ <number> ... so far */
	bool after_cr;                 /* the last byte was a CR */
	bool too_long;                 /* swallowing up to the Enter */
	void (*echo)(const char *s, size_t n, void *arg);
	void *arg;
};

/* A new editor, writing through echo (arg passed on). */
void shell_line_init(struct shell_line *l, void (*echo)(const char *s, size_t n, void *arg),
		     void *arg);
/* An empty line, for after DONE or DROPPED (the CR of the last Enter is
 * remembered, so that its LF is not a second Enter). */
void shell_line_reset(struct shell_line *l);
/* Feed one received byte (0..255). */
enum shell_line_result shell_line_feed(struct shell_line *l, int c);

#endif

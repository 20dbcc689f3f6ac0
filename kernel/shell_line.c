/*
 * shell_line.c — the serial shell's line editor: bytes in, one line out,
 * with what the terminal must show echoed back (include/shell.h has the
 * keys and the invariant). kernel/shell.c feeds it the console's bytes;
 * the host tests feed it strings and read the echo.
 *
 * Moving the cursor uses only "\b" (left) and reprinting characters
 * (right), which every terminal understands; after an edit in the middle
 * of the line the rest is reprinted, a blank clears the last cell when the
 * line got shorter, and "\b"s bring the cursor back.
 */
#include "shell.h"
#include "kstring.h"
#include "panic.h"

#define KEY_CTRL(c) ((c)&0x1f)
#define KEY_ESC 0x1b
#define KEY_DEL 0x7f
#define CSI_MAX_BYTES 16 /* a longer escape sequence is not a key of ours */
#define STR(x) STR_(x)
#define STR_(x) #x

static void echo(struct shell_line *l, const char *s, size_t n)
{
	if (n)
		l->echo(s, n, l->arg);
}

static void echo_str(struct shell_line *l, const char *s)
{
	echo(l, s, strlen(s));
}

static void echo_repeat(struct shell_line *l, char c, unsigned n)
{
	while (n--)
		echo(l, &c, 1);
}

void shell_line_reset(struct shell_line *l)
{
	l->len = l->cur = 0;
	l->buf[0] = 0;
	l->key = SHELL_KEY_TEXT;
	l->too_long = false;
}

void shell_line_init(struct shell_line *l, void (*out)(const char *s, size_t n, void *arg),
		     void *arg)
{
	memset(l, 0, sizeof(*l));
	l->echo = out;
	l->arg = arg;
	shell_line_reset(l);
}

/* Reprint from the cursor to the end, blank `extra` cells after it, and
 * bring the cursor back to cur. */
static void redraw_tail(struct shell_line *l, unsigned extra)
{
	echo(l, l->buf + l->cur, l->len - l->cur);
	echo_repeat(l, ' ', extra);
	echo_repeat(l, '\b', l->len - l->cur + extra);
}

static void insert(struct shell_line *l, char c)
{
	memmove(l->buf + l->cur + 1, l->buf + l->cur, l->len - l->cur + 1);
	l->buf[l->cur] = c;
	l->len++;
	echo(l, &c, 1);
	l->cur++;
	redraw_tail(l, 0);
}

/* Delete the character at pos (the cursor's, or the one before it). */
static void delete_at(struct shell_line *l, unsigned pos)
{
	if (pos >= l->len)
		return;
	if (pos < l->cur) {
		echo_str(l, "\b");
		l->cur = pos;
	}
	memmove(l->buf + pos, l->buf + pos + 1, l->len - pos);
	l->len--;
	redraw_tail(l, 1);
}

static void move_to(struct shell_line *l, unsigned pos)
{
	if (pos < l->cur)
		echo_repeat(l, '\b', l->cur - pos);
	else
		echo(l, l->buf + l->cur, pos - l->cur);
	l->cur = pos;
}

static void kill_line(struct shell_line *l)
{
	unsigned len = l->len;

	move_to(l, 0);
	echo_repeat(l, ' ', len);
	echo_repeat(l, '\b', len);
	l->len = 0;
	l->buf[0] = 0;
}

/* The last byte of an escape sequence: ESC [ <param> final, or ESC O final. */
static void escape_key(struct shell_line *l, int final, unsigned param)
{
	switch (final) {
	case 'D':
		if (l->cur > 0)
			move_to(l, l->cur - 1);
		break;
	case 'C':
		if (l->cur < l->len)
			move_to(l, l->cur + 1);
		break;
	case 'H':
		move_to(l, 0);
		break;
	case 'F':
		move_to(l, l->len);
		break;
	case '~': /* VT220 keys: 1 and 7 Home, 4 and 8 End, 3 Delete */
		if (param == 1 || param == 7)
			move_to(l, 0);
		else if (param == 4 || param == 8)
			move_to(l, l->len);
		else if (param == 3)
			delete_at(l, l->cur);
		break;
	}
}

/* One byte inside an escape sequence; false when c was no part of one. */
static bool escape_byte(struct shell_line *l, int c)
{
	switch (l->key) {
	case SHELL_KEY_TEXT:
		return false;
	case SHELL_KEY_ESC:
		l->key = c == '[' ? SHELL_KEY_CSI : c == 'O' ? SHELL_KEY_SS3 : SHELL_KEY_TEXT;
		l->csi_param = l->csi_bytes = 0;
		return true;
	case SHELL_KEY_SS3:
		l->key = SHELL_KEY_TEXT;
		escape_key(l, c, 0);
		return true;
	case SHELL_KEY_CSI:
		if (c >= '0' && c <= '9' && l->csi_param < 1000)
			l->csi_param = l->csi_param * 10 + (unsigned)(c - '0');
		if (c >= 0x40 && c <= 0x7e) { /* the final byte */
			l->key = SHELL_KEY_TEXT;
			escape_key(l, c, l->csi_param);
		} else if (++l->csi_bytes > CSI_MAX_BYTES || c < 0x20 || c > 0x7e) {
			l->key = SHELL_KEY_TEXT; /* not a sequence: dropped */
		}
		return true;
	}
	return false;
}

enum shell_line_result shell_line_feed(struct shell_line *l, int c)
{
	bool after_cr = l->after_cr;

	BUG_ON(!(l->cur <= l->len && l->len < SHELL_LINE_MAX && l->buf[l->len] == 0));
	l->after_cr = c == '\r';
	if (c == '\n' && after_cr)
		return SHELL_LINE_MORE; /* the LF of a CRLF: that Enter was the CR */
	if (c == '\r' || c == '\n') {
		echo_str(l, "\n");
		return l->too_long ? SHELL_LINE_DROPPED : SHELL_LINE_DONE;
	}
	if (c == KEY_CTRL('C')) {
		echo_str(l, "^C\n");
		return SHELL_LINE_DROPPED;
	}
	if (l->too_long)
		return SHELL_LINE_MORE;
	if (escape_byte(l, c))
		return SHELL_LINE_MORE;
	if (c >= 0x20 && c < KEY_DEL) {
		if (l->len + 1 < SHELL_LINE_MAX) {
			insert(l, (char)c);
			return SHELL_LINE_MORE;
		}
		l->too_long = true;
		echo_str(l,
			 "\nshell: the line is longer than " STR(
				 SHELL_LINE_CHARS) " characters; it is dropped "
						   "(the rest of it, up to Enter, is ignored)\n");
		return SHELL_LINE_MORE;
	}
	switch (c) {
	case '\b':
	case KEY_DEL:
		if (l->cur > 0)
			delete_at(l, l->cur - 1);
		break;
	case KEY_CTRL('U'):
		kill_line(l);
		break;
	case KEY_CTRL('A'):
		move_to(l, 0);
		break;
	case KEY_CTRL('E'):
		move_to(l, l->len);
		break;
	case KEY_ESC:
		l->key = SHELL_KEY_ESC;
		break;
	}
	return SHELL_LINE_MORE;
}

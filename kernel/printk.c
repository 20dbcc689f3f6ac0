/*
 * printk.c — the kernel log: timestamps, levels, a ring buffer, the console.
 *
 * Anyone may call printk from the first line of C on. Until the console
 * registers, lines only go to the ring; console_register() calls
 * printk_replay() to print them. Single CPU, no interrupts: no locking.
 */
#include "printk.h"
#include "cmdline.h"
#include "console.h"
#include "kstring.h"
#include "arch/counter.h"
#include "kerrno.h"

#define LOG_BUF_SIZE PRINTK_RING_SIZE

/*
 * The ring holds every line, oldest first, wrapping: a level byte (the
 * level as a digit, as Linux's ring keeps it beside the text), then the
 * formatted text up to and including its newline.
 * Invariant: log_head - log_tail <= LOG_BUF_SIZE; byte i of the log lives at
 * log_buf[i % LOG_BUF_SIZE]. When the ring is full the oldest text goes
 * (log_tail may then point into a line: a replay skips to the next one).
 *
 * The console shows a line when its level is below console_loglevel, as in
 * Linux: the default 7 shows everything but debug lines; loglevel=N, quiet
 * (4: errors only) and debug (10: everything) change it.
 */
#define LEVEL_MARK LOG_MARK /* starts each line in the ring, then the digit */
static char log_buf[LOG_BUF_SIZE];
static u64 log_head, log_tail;
/* Linux's names and values for the console level's three settings. */
#define CONSOLE_LOGLEVEL_DEFAULT 7 /* all but debug lines */
#define CONSOLE_LOGLEVEL_QUIET 4   /* errors only */
#define CONSOLE_LOGLEVEL_DEBUG 10  /* everything */
static int console_loglevel = CONSOLE_LOGLEVEL_DEFAULT;

void printk_set_console_level(enum log_level level)
{
	console_loglevel = (int)level + 1;
}

static void log_store(const char *s, size_t n)
{
	while (n--) {
		log_buf[log_head++ % LOG_BUF_SIZE] = *s++;
		if (log_head - log_tail > LOG_BUF_SIZE)
			log_tail = log_head - LOG_BUF_SIZE;
	}
}

static char log_at(u64 i)
{
	return log_buf[i % LOG_BUF_SIZE];
}

/* Where the first whole line at or after byte i starts (log_head if
 * none): from log_tail, the oldest one (the wrap may have cut the first). */
static u64 line_from(u64 i)
{
	while (i < log_head && log_at(i) != LEVEL_MARK)
		i++;
	return i;
}

/* Print the ring's lines to the console: those the console level shows
 * (console_register, when lines were logged before there was a console),
 * or all of them (a panic with no console: everything may help). */
static void replay(bool all)
{
	u64 i = line_from(log_tail);

	while (i + 1 < log_head) {
		int level = log_at(i + 1) - '0';
		bool show = all || level < console_loglevel;

		for (i += 2; i < log_head && log_at(i) != LEVEL_MARK; i++)
			if (show)
				console_write(&log_buf[i % LOG_BUF_SIZE], 1);
	}
}

void printk_replay(void)
{
	replay(false);
}

void printk_replay_all(void)
{
	replay(true);
}

void printk_log_clear(void)
{
	log_tail = log_head;
}

u64 printk_log_bytes(void)
{
	return log_head - line_from(log_tail);
}

u64 printk_log_copy(char *dst, u64 max)
{
	u64 i = line_from(log_tail), n;

	if (log_head - i > max) /* the newest lines that fit, whole */
		i = line_from(log_head - max);
	n = log_head - i;
	for (u64 k = 0; k < n; k++)
		dst[k] = log_at(i + k);
	return n;
}

void vprintk(enum log_level level, const char *fmt, va_list ap)
{
	char line[512];
	u64 freq = arch_counter_freq(), now = arch_counter_read();
	u64 us = 0;
	int n, m;

	if (freq)
		us = (now / freq) * 1000000 + (now % freq) * 1000000 / freq;
	n = snprintf(line, sizeof(line), "[%5llu.%06llu] ", (unsigned long long)(us / 1000000),
		     (unsigned long long)(us % 1000000));
	m = vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (n + m < (int)sizeof(line) - 1) {
		n += m;
	} else { /* too long for one line: cut, and say so */
		n = (int)sizeof(line) - 2;
		memcpy(line + n - 5, "[...]", 5);
	}
	if (n == 0 || line[n - 1] != '\n')
		line[n++] = '\n';
	line[n] = '\0';

	log_store((const char[]){ LEVEL_MARK, (char)('0' + level) }, 2);
	log_store(line, n);
	if ((int)level < console_loglevel && console_current())
		console_write(line, n);
}

void printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

/* loglevel=N: show lines of a level below N (Linux's console_loglevel;
 * 8 and up show debug lines too). */
static int set_loglevel(const char *val)
{
	u64 v;

	if (cmdline_parse_u64(val, &v) < 0 || v > 15)
		return -EINVAL;
	console_loglevel = (int)v;
	return 0;
}
CMDLINE_PARAM("loglevel", set_loglevel,
	      "console log level: lines below it are shown, 0..15 (default 7: all but debug)");

static int set_quiet(const char *val)
{
	if (val)
		return -EINVAL;
	console_loglevel = CONSOLE_LOGLEVEL_QUIET;
	return 0;
}
CMDLINE_PARAM("quiet", set_quiet, "show only errors on the console (loglevel=4)");

static int set_debug(const char *val)
{
	if (val)
		return -EINVAL;
	console_loglevel = CONSOLE_LOGLEVEL_DEBUG;
	return 0;
}
CMDLINE_PARAM("debug", set_debug, "show every line on the console, debug too (loglevel=10)");

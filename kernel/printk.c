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

#define LOG_BUF_SIZE (64 * 1024)

/*
 * The ring holds the formatted text of every line, oldest first, wrapping.
 * Invariant: log_head - log_tail <= LOG_BUF_SIZE; byte i of the log lives at
 * log_buf[i % LOG_BUF_SIZE]. When the ring is full the oldest text goes.
 */
static char log_buf[LOG_BUF_SIZE];
static u64 log_head, log_tail;
static enum log_level console_level = LOG_INFO;

void printk_set_console_level(enum log_level level)
{
	console_level = level;
}

static void log_store(const char *s, size_t n)
{
	while (n--) {
		log_buf[log_head++ % LOG_BUF_SIZE] = *s++;
		if (log_head - log_tail > LOG_BUF_SIZE)
			log_tail = log_head - LOG_BUF_SIZE;
	}
}

/* Print the whole ring; called once when the console registers. Lines above
 * the console level were never meant for the console, but early lines are
 * few, so all of them are shown. */
void printk_replay(void)
{
	for (u64 i = log_tail; i < log_head; i++)
		console_write(&log_buf[i % LOG_BUF_SIZE], 1);
}

void vprintk(enum log_level level, const char *fmt, va_list ap)
{
	char line[512];
	u64 freq = arch_counter_freq(), now = arch_counter_read();
	u64 us = 0;
	int n, m;

	if (freq)
		us = (now / freq) * 1000000 + (now % freq) * 1000000 / freq;
	n = snprintf(line, sizeof(line), "[%5llu.%06llu] ",
		     (unsigned long long)(us / 1000000),
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

	log_store(line, n);
	if (level <= console_level && console_current())
		console_write(line, n);
}

void printk(enum log_level level, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(level, fmt, ap);
	va_end(ap);
}

static int set_loglevel(const char *val)
{
	u64 v;

	if (cmdline_parse_u64(val, &v) < 0 || v > LOG_DEBUG)
		return -EINVAL;
	console_level = (enum log_level)v;
	return 0;
}
CMDLINE_PARAM("loglevel", set_loglevel, "console log level, 0..7");

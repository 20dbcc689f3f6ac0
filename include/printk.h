/*
 * printk.h — the kernel log.
 *
 * Every line is stamped with the time since boot from the CPU counter,
 * "[    0.001234] ", kept in a ring buffer and written to the console once
 * there is one. Lines logged before the console exists are replayed to it
 * when it registers, so nothing from early boot is lost.
 */
#ifndef BATON_PRINTK_H
#define BATON_PRINTK_H

#include <stdarg.h>
#include "compiler.h"
#include "types.h"
#include "format.h" /* vsnprintf, snprintf: printk.h's includers use them */

enum log_level {
	LOG_ERR = 3,
	LOG_WARN = 4,
	LOG_NOTICE = 5,
	LOG_INFO = 6,
	LOG_DEBUG = 7,
};

/* The level is the first argument (Linux's numbers). Every line is kept in
 * the ring; the console shows those below its level: by default all but
 * debug lines (loglevel=, quiet, debug on the command line, as in Linux). */
__printf(2, 3) void printk(enum log_level level, const char *fmt, ...);
void vprintk(enum log_level level, const char *fmt, va_list ap);

#define pr_err(...) printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) printk(LOG_WARN, __VA_ARGS__)
#define pr_notice(...) printk(LOG_NOTICE, __VA_ARGS__)
#define pr_info(...) printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

/* Show lines of this level and more severe ones on the console. */
void printk_set_console_level(enum log_level level);

/* Write the ring's lines to the console: those its level shows
 * (console_register), or every one (a panic that found no console). */
void printk_replay(void);
void printk_replay_all(void);

/* The ring's size: it holds the newest PRINTK_RING_SIZE bytes of the log. */
#define PRINTK_RING_SIZE (64 * 1024)
/* The log as the ring keeps it, whole lines, oldest first, each line a
 * LOG_MARK, its level as a digit, then its text and newline (what
 * kernel/oldlog.c hands to the next generation). printk_log_bytes: how
 * many bytes that is; printk_log_copy: copy the newest whole lines that
 * fit in max bytes to dst, returning the bytes copied. */
#define LOG_MARK '\001'
u64 printk_log_bytes(void);
u64 printk_log_copy(char *dst, u64 max);
/* Forget the log so far (the host tests' next generation). */
void printk_log_clear(void);

#endif

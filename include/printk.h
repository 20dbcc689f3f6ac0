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
	LOG_INFO = 6,
	LOG_DEBUG = 7,
};

/* The level is the first argument; lines above the console level are logged
 * in the ring but not printed (loglevel= on the command line). */
__printf(2, 3) void printk(enum log_level level, const char *fmt, ...);
void vprintk(enum log_level level, const char *fmt, va_list ap);

#define pr_err(...) printk(LOG_ERR, __VA_ARGS__)
#define pr_warn(...) printk(LOG_WARN, __VA_ARGS__)
#define pr_info(...) printk(LOG_INFO, __VA_ARGS__)
#define pr_debug(...) printk(LOG_DEBUG, __VA_ARGS__)

void printk_set_console_level(enum log_level level);

/* Write the whole ring to the console (console_register, panic). */
void printk_replay(void);

#endif

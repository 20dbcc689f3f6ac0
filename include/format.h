/*
 * format.h — vsnprintf and snprintf (lib/format.c), the formatter under
 * printk. lib/ has no dependency on the kernel log: printk.h includes this.
 */
#ifndef BATON_FORMAT_H
#define BATON_FORMAT_H

#include <stdarg.h>
#include "compiler.h"
#include "types.h"

/* vsnprintf/snprintf: %d %i %u %x %X %p %s %c %%, with flags '-' '0', a
 * width, and the length modifiers l, ll, z. Output is always terminated when
 * size > 0; the return value is the length the full output would have. */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);

#endif

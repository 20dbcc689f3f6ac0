/*
 * format.c (lib) — vsnprintf, the formatter under printk.
 *
 * Called by printk and anyone who formats into a buffer. It needs no memory
 * allocation and no floating point, so it works from the first instruction
 * of C onwards, and in exception handlers.
 */
#include "format.h"
#include "kstring.h"

struct out {
	char *buf;
	size_t size;
	size_t len; /* characters produced so far, stored or not */
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width, bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	/* A zero pad goes after the sign, "-0042", not before it. */
	if (!left && pad == '0' && n > 0 && *s == '-') {
		put(o, '-');
		s++;
		n--;
	}
	while (!left && fill-- > 0)
		put(o, pad);
	while (n--)
		put(o, *s++);
	while (left && fill-- > 0)
		put(o, ' ');
}

static size_t utoa(char *tmp, unsigned long long v, unsigned base, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char rev[24];
	size_t n = 0, i;

	do {
		rev[n++] = digits[v % base];
		v /= base;
	} while (v);
	for (i = 0; i < n; i++)
		tmp[i] = rev[n - 1 - i];
	return n;
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		bool left = false, is_signed = false, upper = false;
		char pad = ' ', tmp[24];
		int width = 0, lng = 0;
		unsigned base = 10;
		unsigned long long v;
		size_t n;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				pad = '0';
			else
				break;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		while (*fmt == 'l' || *fmt == 'z') {
			lng += *fmt == 'z' ? 2 : 1;
			fmt++;
		}

		switch (*fmt) {
		case 'c':
			tmp[0] = (char)va_arg(ap, int);
			put_padded(&o, tmp, 1, width, left, ' ');
			continue;
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			put_padded(&o, s, strlen(s), width, left, ' ');
			continue;
		}
		case '%':
			put(&o, '%');
			continue;
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			tmp[0] = '0';
			tmp[1] = 'x';
			n = 2 + utoa(tmp + 2, v, 16, false);
			put_padded(&o, tmp, n, width, left, ' ');
			continue;
		case 'd':
		case 'i':
			is_signed = true;
			break;
		case 'u':
			break;
		case 'X':
			upper = true;
			/* fall through */
		case 'x':
			base = 16;
			break;
		default: /* unknown conversion: show it rather than guess */
			put(&o, '%');
			if (*fmt)
				put(&o, *fmt);
			else
				fmt--;
			continue;
		}

		if (is_signed) {
			long long s = lng >= 2   ? va_arg(ap, long long)
				      : lng == 1 ? va_arg(ap, long)
						 : va_arg(ap, int);
			n = 0;
			if (s < 0) {
				tmp[n++] = '-';
				v = -(unsigned long long)s;
			} else {
				v = (unsigned long long)s;
			}
		} else {
			v = lng >= 2   ? va_arg(ap, unsigned long long)
			    : lng == 1 ? va_arg(ap, unsigned long)
				       : va_arg(ap, unsigned int);
			n = 0;
		}
		n += utoa(tmp + n, v, base, upper);
		put_padded(&o, tmp, n, width, left, left ? ' ' : pad);
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}

/*
 * kerrno.h — Baton's one error convention, for mm/, kho/, kernel/, lib/,
 * the drivers and the loaders.
 *
 * A function that can fail returns int: 0 (or a count, or an index) on
 * success, a negative code below on failure, never -1 or a bare false.
 * The codes are Linux's errno numbers, so a reader who knows the kernel
 * reads them at sight: `return -ENOMEM;`, `if (err == -EEXIST)`.
 *
 * A validator (anything that checks outside input: an FDT, an image, a
 * handover) also says why, in words, into a buffer its caller passes:
 *
 *     char why[ERR_WHY_MAX];
 *     int err = bzimage_check(file, size, &l, why, sizeof(why));
 *     if (err)
 *             pr_err("kexec: refused (%s): %s", err_name(err), why);
 *
 * err_why() fills the buffer and returns the code, so a refusal is one
 * line: `return err_why(why, n, -EINVAL, "order %u over %u", o, max);`.
 * A NULL buffer (or n == 0) is allowed: the caller wants only the code.
 * Predicates (`buddy_is_free`, `bzimage_is`) stay bool: false is an answer,
 * not a failure.
 */
#ifndef BATON_KERRNO_H
#define BATON_KERRNO_H

#include "compiler.h"
#include "types.h"

/* A table aligned by tabs: not formatted by clang-format. */
/* clang-format off */
#define EPERM		1	/* not allowed here */
#define ENOENT		2	/* no such object */
#define EIO		5	/* the device failed */
#define E2BIG		7	/* more than fits */
#define ENOEXEC		8	/* not an image this kernel can run */
#define EAGAIN		11	/* not now; try again */
#define ENOMEM		12	/* out of memory */
#define EFAULT		14	/* an address outside what it may be */
#define EBUSY		16	/* in use */
#define EEXIST		17	/* exists already */
#define ENODEV		19	/* no such device */
#define EINVAL		22	/* an invalid argument or field */
#define ENOSPC		28	/* no room left */
#define ERANGE		34	/* a number out of range */
#define ELOOP		40	/* a loop where a chain must end */
#define EPROTO		71	/* a protocol or version this kernel does not speak */
#define EBADMSG		74	/* malformed data */
#define EOVERFLOW	75	/* a sum or length that wraps */
#define ECANCELED	125	/* called off */
/* clang-format on */

/* The longest why a validator writes, with its NUL: size buffers with it. */
#define ERR_WHY_MAX 200

/* "ENOMEM" for -ENOMEM (or ENOMEM); "E?" for a code not in the table. */
const char *err_name(int err);

/* "out of memory" for -ENOMEM; "unknown error" for a code not in the table. */
const char *err_str(int err);

/* Formats why (when why != NULL and n > 0) and returns err, which must be
 * negative. */
__printf(4, 5) int err_why(char *why, size_t n, int err, const char *fmt, ...);

#endif

/*
 * kerrno.c — the name and message of each error code (include/kerrno.h),
 * and err_why, which a validator uses to say why it refused.
 */
#include "kerrno.h"
#include "format.h"

struct err_entry {
	int code;
	const char *name;
	const char *str;
};

static const struct err_entry errors[] = {
	{ EPERM, "EPERM", "not allowed here" },
	{ ENOENT, "ENOENT", "no such object" },
	{ EIO, "EIO", "the device failed" },
	{ E2BIG, "E2BIG", "more than fits" },
	{ ENOEXEC, "ENOEXEC", "not an image this kernel can run" },
	{ EAGAIN, "EAGAIN", "not now; try again" },
	{ ENOMEM, "ENOMEM", "out of memory" },
	{ EFAULT, "EFAULT", "an address outside what it may be" },
	{ EBUSY, "EBUSY", "in use" },
	{ EEXIST, "EEXIST", "exists already" },
	{ ENODEV, "ENODEV", "no such device" },
	{ EINVAL, "EINVAL", "invalid argument" },
	{ ENOSPC, "ENOSPC", "no room left" },
	{ ERANGE, "ERANGE", "number out of range" },
	{ ELOOP, "ELOOP", "a loop where a chain must end" },
	{ EPROTO, "EPROTO", "a protocol or version not spoken here" },
	{ EBADMSG, "EBADMSG", "malformed data" },
	{ EOVERFLOW, "EOVERFLOW", "a sum or length that wraps" },
	{ ECANCELED, "ECANCELED", "called off" },
};

/* The entry for err or -err, or NULL. */
static const struct err_entry *find(int err)
{
	if (err < 0)
		err = -err;
	for (size_t i = 0; i < sizeof(errors) / sizeof(errors[0]); i++)
		if (errors[i].code == err)
			return &errors[i];
	return NULL;
}

const char *err_name(int err)
{
	const struct err_entry *e = find(err);

	return e ? e->name : "E?";
}

const char *err_str(int err)
{
	const struct err_entry *e = find(err);

	return e ? e->str : "unknown error";
}

int err_why(char *why, size_t n, int err, const char *fmt, ...)
{
	if (why && n) {
		va_list ap;

		va_start(ap, fmt);
		vsnprintf(why, n, fmt, ap);
		va_end(ap);
	}
	return err;
}

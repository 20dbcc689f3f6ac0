/*
 * test_kerrno.c — lib/kerrno.c: every code has a name and a message, and
 * err_why fills the caller's buffer, bounded, and returns the code.
 */
#include <string.h>

#include "harness.h"
#include "kerrno.h"

TEST(kerrno, names_and_messages)
{
	EXPECT_STR(err_name(-ENOMEM), "ENOMEM");
	EXPECT_STR(err_name(ENOMEM), "ENOMEM");
	EXPECT_STR(err_str(-ENOMEM), "out of memory");
	EXPECT_STR(err_name(-EEXIST), "EEXIST");
	EXPECT_STR(err_name(-EPROTO), "EPROTO");
	/* Every code in the header has its own name and a message. */
	static const int codes[] = { EPERM,  ENOENT, EIO,     E2BIG,     ENOEXEC,  EAGAIN, ENOMEM,
				     EFAULT, EBUSY,  EEXIST,  ENODEV,    EINVAL,   ENOSPC, ERANGE,
				     ELOOP,  EPROTO, EBADMSG, EOVERFLOW, ECANCELED };
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++) {
		EXPECT(strcmp(err_name(-codes[i]), "E?") != 0);
		EXPECT(strcmp(err_str(-codes[i]), "unknown error") != 0);
		for (size_t j = 0; j < i; j++)
			EXPECT(strcmp(err_name(-codes[i]), err_name(-codes[j])) != 0);
	}
	EXPECT_STR(err_name(-9999), "E?");
	EXPECT_STR(err_str(0), "unknown error");
}

TEST(kerrno, why_fills_the_callers_buffer)
{
	char why[24];

	memset(why, 'x', sizeof(why));
	EXPECT_EQ(err_why(why, sizeof(why), -EINVAL, "order %u over %u", 12u, 10u), -EINVAL);
	EXPECT_STR(why, "order 12 over 10");
	/* Truncated, never past the end. */
	memset(why, 'r', sizeof(why));
	EXPECT_EQ(err_why(why, 8, -E2BIG, "%s", "a long reason"), -E2BIG);
	EXPECT_STR(why, "a long ");
	EXPECT_EQ(why[8], 'r');
	/* No buffer: the code alone. */
	EXPECT_EQ(err_why(NULL, 0, -ENOENT, "unused"), -ENOENT);
}

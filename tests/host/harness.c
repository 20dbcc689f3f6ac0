/*
 * harness.c — runs the host unit tests (see harness.h for how to write one).
 *
 *     build/host/host-tests [word...]
 *
 * runs every test, or only those whose "suite.name" contains one of the
 * words. Each test runs in a forked child with a time limit; the child writes
 * its failures into a page shared with the parent, which prints the verdict.
 * The exit status is 0 only if every test passed.
 *
 * This file is plain host C: it uses the C library's vsnprintf, not the
 * kernel's (lib/format.c is one of the things under test).
 */
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/wait.h>
#include <unistd.h>

#include "harness.h"
#include "host.h"

/* Seconds per test: a hang fails, not a slow machine (the largest test
 * takes about 3 s alone, and 10 s was overrun on a loaded 2-core host). */
#define TIME_LIMIT 60

extern const struct host_test __start_host_tests[];
extern const struct host_test __stop_host_tests[];

/* Failures of the running test, one "file:line: message" line each. Lives in
 * a MAP_SHARED page so the parent sees what the child wrote. */
static struct result {
	int failures;
	size_t len;
	char text[8192];
} * result;

void host_fail(const char *file, int line, const char *fmt, ...)
{
	char msg[1024];
	size_t room = sizeof(result->text) - result->len;
	va_list ap;
	int n;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	/* One failure, one line: show control characters from logs escaped. */
	for (char *c = msg; *c; c++) {
		if (*c == '\n' || *c == '\r' || *c == '\t')
			*c = '|';
		else if ((unsigned char)*c < ' ')
			*c = '?';
	}
	result->failures++;
	n = snprintf(result->text + result->len, room, "%s:%d: %s\n", file, line, msg);
	result->len += (size_t)n < room ? (size_t)n : room - 1;
}

void host_stop(void)
{
	exit(1);
}

void host_expect_eq(const char *file, int line, const char *a_expr, const char *b_expr,
		    unsigned long long a, unsigned long long b)
{
	if (a != b)
		host_fail(file, line, "%s is %lld (0x%llx), expected %s = %lld (0x%llx)", a_expr,
			  (long long)a, a, b_expr, (long long)b, b);
}

void host_expect_str(const char *file, int line, const char *a_expr, const char *a, const char *b)
{
	if (a == b || (a && b && strcmp(a, b) == 0))
		return;
	host_fail(file, line, "%s is \"%s\", expected \"%s\"", a_expr, a ? a : "(NULL)",
		  b ? b : "(NULL)");
}

void host_expect_log(const char *file, int line, const char *text, bool present)
{
	if ((strstr(host_log(), text) != NULL) != present)
		host_fail(file, line, "the log %s \"%s\"; it is: \"%s\"", present ? "lacks" : "has",
			  text, host_log());
}

static bool selected(const struct host_test *t, int argc, char **argv)
{
	char full[256];

	if (argc < 2)
		return true;
	snprintf(full, sizeof(full), "%s.%s", t->suite, t->name);
	for (int i = 1; i < argc; i++) {
		if (strstr(full, argv[i]))
			return true;
	}
	return false;
}

/* Run t in a child; returns true if it passed, after printing its line. */
static bool run(const struct host_test *t)
{
	int status;
	pid_t pid;

	memset(result, 0, sizeof(*result));
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		perror("host: fork");
		exit(2);
	}
	if (pid == 0) {
		alarm(TIME_LIMIT);
		t->fn();
		exit(0); /* exit, not _exit: LeakSanitizer checks at exit */
	}
	if (waitpid(pid, &status, 0) < 0) {
		perror("host: waitpid");
		exit(2);
	}

	printf("host: %s.%s: ", t->suite, t->name);
	if (result->failures) {
		/* First failure on the verdict line, any others indented below. */
		char *first = strtok(result->text, "\n"), *more;

		printf("FAIL %s\n", first ? first : "?");
		while ((more = strtok(NULL, "\n")))
			printf("    %s\n", more);
	} else if (WIFSIGNALED(status) && WTERMSIG(status) == SIGALRM) {
		printf("FAIL timed out after %d s\n", TIME_LIMIT);
	} else if (WIFSIGNALED(status)) {
		printf("FAIL killed by signal %d (%s), see above\n", WTERMSIG(status),
		       strsignal(WTERMSIG(status)));
	} else if (WEXITSTATUS(status) != 0) {
		printf("FAIL exited with status %d, see the report above\n", WEXITSTATUS(status));
	} else {
		printf("ok\n");
		return true;
	}
	return false;
}

int main(int argc, char **argv)
{
	int passed = 0, failed = 0;

	result = mmap(NULL, sizeof(*result), PROT_READ | PROT_WRITE, MAP_SHARED | MAP_ANONYMOUS, -1,
		      0);
	if (result == MAP_FAILED) {
		perror("host: mmap");
		return 2;
	}
	for (const struct host_test *t = __start_host_tests; t < __stop_host_tests; t++) {
		if (!selected(t, argc, argv))
			continue;
		if (run(t))
			passed++;
		else
			failed++;
	}
	printf("host: %d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}

/*
 * test_printk.c — kernel/printk.c and kernel/console.c: timestamps, the
 * ring, the console and the emergency output.
 *
 * printk.c's contract: before a console registers, lines go only to the
 * ring; printk_replay() (console_register) writes out the lines the console
 * level shows, printk_replay_all() (panic without a console) all of them,
 * through arch_emergency_putc when there is no console.
 */
#include <string.h>

#include "harness.h"
#include "host.h"
#include "cmdline.h"
#include "console.h"
#include "printk.h"

TEST(printk, before_console_only_the_ring)
{
	host_counter_fix(1234567891, 1000000000);
	pr_warn("hello %d", 42);
	EXPECT_STR(host_log(), ""); /* nothing printed yet */
	EXPECT(console_current() == NULL);

	printk_replay_all(); /* what panic does without a console */
	EXPECT_STR(host_log(), "[    1.234567] hello 42\r\n");
}

TEST(printk, newline_added_once)
{
	host_counter_fix(0, 1000000000);
	pr_err("no newline");
	pr_err("one newline\n");
	pr_err("%s", "");
	printk_replay();
	EXPECT_STR(host_log(), "[    0.000000] no newline\r\n"
			       "[    0.000000] one newline\r\n"
			       "[    0.000000] \r\n");
}

TEST(printk, timestamps)
{
	host_counter_fix(19200000ULL * 3 + 9600000, 19200000); /* arm64's 19.2 MHz */
	pr_err("a");
	host_counter_fix(123456ULL * 1000000000 + 999999999, 1000000000);
	pr_err("b");
	host_counter_fix(12345, 0); /* counter not calibrated yet */
	pr_err("c");
	printk_replay();
	EXPECT_STR(host_log(), "[    3.500000] a\r\n"
			       "[123456.999999] b\r\n"
			       "[    0.000000] c\r\n");
}

TEST(printk, console_replays_and_filters)
{
	host_counter_fix(2000000, 1000000000);
	pr_debug("early debug");
	pr_info("early info");
	host_console_register();
	/* The replay shows the early lines the console level shows. */
	EXPECT_STR(host_log(), "[    0.002000] early info\r\n");

	host_log_clear();
	pr_info("shown");
	pr_debug("hidden");
	printk_set_console_level(LOG_WARN);
	pr_info("hidden too");
	pr_warn("warned");
	EXPECT_STR(host_log(), "[    0.002000] shown\r\n"
			       "[    0.002000] warned\r\n");

	host_log_clear();
	printk_replay_all(); /* the ring kept all of them */
	EXPECT_LOG("] early debug\r\n");
	EXPECT_LOG("] hidden\r\n");
	EXPECT_LOG("] hidden too\r\n");
	host_log_clear();
	printk_replay(); /* at the console's level: warnings and errors */
	EXPECT_STR(host_log(), "[    0.002000] warned\r\n");
}

/* Linux's words for the console level: loglevel=N shows levels below N,
 * quiet errors only, debug everything. */
TEST(printk, loglevel_quiet_debug)
{
	host_counter_fix(0, 1000000000);
	host_console_register();
	EXPECT_EQ(cmdline_parse("quiet"), 0);
	pr_warn("a warning");
	pr_err("an error");
	EXPECT_STR(host_log(), "[    0.000000] an error\r\n");
	host_log_clear();
	EXPECT_EQ(cmdline_parse("debug"), 0);
	pr_debug("a debug line");
	EXPECT_STR(host_log(), "[    0.000000] a debug line\r\n");
	host_log_clear();
	EXPECT_EQ(cmdline_parse("loglevel=7"), 0);
	pr_debug("not shown");
	pr_info("shown");
	EXPECT_STR(host_log(), "[    0.000000] shown\r\n");
	EXPECT_EQ(cmdline_parse("quiet=1 debug=yes"), 2);
}

TEST(printk, long_line_cut)
{
	char msg[1000];
	size_t len;

	memset(msg, 'x', sizeof(msg) - 1);
	msg[sizeof(msg) - 1] = '\0';
	host_counter_fix(0, 1000000000);
	pr_err("%s", msg);
	printk_replay();
	/* The line fills printk's 512-byte buffer: 510 characters, the newline
	 * and the NUL, the last five saying it was cut. The console adds a
	 * '\r'. */
	len = strlen(host_log());
	EXPECT_EQ(len, 510 + 2);
	EXPECT_STR(host_log() + len - 8, "x[...]\r\n");
}

TEST(printk, ring_keeps_the_newest)
{
	/* 2000 lines of 50 bytes: more than the 64 KiB ring holds. */
	host_counter_fix(0, 1000000000);
	for (int i = 0; i < 2000; i++)
		pr_info("line %04d ..............................", i);
	printk_replay();
	EXPECT_NO_LOG("line 0000 ");
	EXPECT_LOG("line 1999 ..............................\r\n");
	EXPECT(strlen(host_log()) <= 64 * 1024 + 2000);
	EXPECT(strlen(host_log()) > 60 * 1024);
}

static unsigned flushes;
static void counting_putc(struct console *con, char c)
{
	(void)con;
	(void)c;
}
static void counting_flush(struct console *con)
{
	(void)con;
	flushes++;
}

/* console_flush reaches the driver's flush (kexec and poweroff rely on it)
 * and is harmless with no console or a driver without one. */
TEST(printk, console_flush_reaches_the_driver)
{
	static struct console plain = { .name = "plain", .putc = counting_putc };
	static struct console flushing = { .name = "flushing",
					   .putc = counting_putc,
					   .flush = counting_flush };

	console_flush(); /* no console yet */
	console_register(&plain);
	console_flush();
	EXPECT_EQ(flushes, 0);
	console_register(&flushing);
	console_flush();
	EXPECT_EQ(flushes, 1);
}

/*
 * test_kexec_timing.c — kernel/kexec_timing.c: a handover's timeline,
 * written by one kernel into a boot FDT and carried on by the next, whose
 * phases add up to the total; the check of a printed line, which must
 * fail when they do not; and the refusal of a damaged timeline.
 *
 * The counter is pinned (host_counter_fix) at 1 MHz, so one tick is one
 * microsecond and the expected lines can be read off the stamps.
 */
#include <string.h>
#include <libfdt.h>

#include "harness.h"
#include "host.h"
#include "kexec_timing.h"
#include "kerrno.h"
#include "kho/handover.h"
#include "printk.h"

#define MHZ 1000000

static char fdt[4096];

/* A boot FDT with /chosen and the zeroed property kexec writes: the
 * property's value. */
static void *timing_prop(void)
{
	void *p;

	REQUIRE(fdt_create_empty_tree(fdt, sizeof(fdt)) == 0);
	REQUIRE(fdt_add_subnode(fdt, 0, "chosen") >= 0);
	REQUIRE(fdt_setprop_placeholder(fdt, fdt_path_offset(fdt, "/chosen"),
					BATON_CHOSEN_KEXEC_TIMING, KEXEC_TIMING_PROP_SIZE,
					&p) == 0);
	memset(p, 0, KEXEC_TIMING_PROP_SIZE);
	return p;
}

static void at(u64 ticks, enum kexec_phase p)
{
	host_counter_fix(ticks, MHZ);
	kexec_timing_enter(p);
}

/* Generation 0 from its kexec call to the jump, at 1000..2000. */
static void outgoing(void)
{
	kexec_timing_reset();
	at(1000, KT_FILL);
	at(1500, KT_PRESERVE);
	at(1600, KT_SERIALIZE);
	host_counter_fix(2000, MHZ);
	EXPECT_EQ(kexec_timing_hand_over(timing_prop()), 0);
	kexec_timing_reset(); /* the jump: this kernel is gone */
}

static int report(u64 end, u64 generation)
{
	char why[ERR_WHY_MAX] = "";
	int err;

	host_counter_fix(end, MHZ);
	err = kexec_timing_report(generation, why, sizeof(why));
	if (err)
		host_fail(__FILE__, __LINE__, "report: %s", why);
	return err;
}

TEST(kexec_timing, the_handover_adds_up)
{
	host_console_register();
	outgoing();
	at(2300, KT_EARLY); /* kernel_main: the jump took 300 */
	kexec_timing_take(fdt);
	at(2400, KT_COUNTER);
	at(2410, KT_EARLY);
	at(2600, KT_EARLY); /* the same phase again: no new stamp */
	EXPECT_EQ(report(3000, 1), 0);
	EXPECT_LOG("kexec: handover 0 -> 1 took: fill 500 us, preserve 100 us, serialize 400 us, "
		   "jump 300 us, early-boot 690 us, counter 10 us, total 2000 us\r\n");
}

TEST(kexec_timing, a_cold_boot_starts_at_kernel_main)
{
	host_console_register();
	kexec_timing_reset();
	at(50, KT_EARLY);
	timing_prop(); /* zeroed: never handed over */
	kexec_timing_take(fdt);
	EXPECT_LOG("the last generation's timeline is unusable (it holds 0 stamps (1..48))");
	at(80, KT_BOOTMEM);
	EXPECT_EQ(report(100, 0), 0);
	EXPECT_LOG("boot: generation 0 took: early-boot 30 us, bootmem 20 us, total 50 us\r\n");
	/* The report ends the timeline: the next stamp starts another. */
	at(200, KT_FILL);
	EXPECT_EQ(report(260, 0), 0);
	EXPECT_LOG("boot: generation 0 took: fill 60 us, total 60 us\r\n");
}

TEST(kexec_timing, rounding_down_each_phase_still_adds_up)
{
	char why[ERR_WHY_MAX];

	host_console_register();
	kexec_timing_reset();
	/* 3 ticks a microsecond: restore's 4 ticks print 1 us, check's 2
	 * print 0, and their 6 ticks 2 us: 1 us is lost to rounding. */
	for (int i = 0; i < 3; i++) {
		host_counter_fix(3000 + 2 * (u64)i, 3 * MHZ);
		kexec_timing_enter(i % 2 ? KT_CHECK : KT_RESTORE);
	}
	host_counter_fix(3006, 3 * MHZ);
	EXPECT_EQ(kexec_timing_report(1, why, sizeof(why)), 0);
	EXPECT_LOG("boot: generation 1 took: restore 1 us, check 0 us, total 2 us\r\n");
}

TEST(kexec_timing, a_line_that_does_not_add_up_fails)
{
	char why[ERR_WHY_MAX];

	EXPECT_EQ(kexec_timing_check_line("x took: fill 5 us, copy 4 us, total 9 us", why,
					  sizeof(why)),
		  0);
	EXPECT_EQ(kexec_timing_check_line("x took: fill 5 us, copy 4 us, total 10 us", why,
					  sizeof(why)),
		  0); /* 1 us lost to rounding */
	EXPECT_EQ(kexec_timing_check_line("x took: fill 5 us, copy 4 us, total 11 us", why,
					  sizeof(why)),
		  -EINVAL);
	EXPECT_STR(why, "the 2 phases add up to 9 us, the total is 11 us");
	EXPECT_EQ(kexec_timing_check_line("x took: fill 5 us, copy 4 us, total 8 us", why,
					  sizeof(why)),
		  -EINVAL);
	EXPECT_EQ(kexec_timing_check_line("x took: fill 5 us, copy 4 us", why, sizeof(why)),
		  -EINVAL);
	EXPECT_STR(why, "the line ends without a total");
	EXPECT_EQ(kexec_timing_check_line("x took: fill five us, total 5 us", why, sizeof(why)),
		  -EINVAL);
	EXPECT_STR(why, "item 1 is not \"<phase> <n> us\"");
	EXPECT_EQ(kexec_timing_check_line("x took: total 0 us", why, sizeof(why)), -EINVAL);
	EXPECT_STR(why, "a total, but no phases");
	EXPECT_EQ(kexec_timing_check_line("kexec: preserve 5 us", why, sizeof(why)), -EINVAL);
}

/* Stamp i of the property: its phase and counter. */
static void set_stamp(unsigned i, u64 phase, u64 counter)
{
	u8 *p = fdt_getprop_w(fdt, fdt_path_offset(fdt, "/chosen"), BATON_CHOSEN_KEXEC_TIMING,
			      NULL);

	fdt64_st(p + 8 + 16 * i, phase);
	fdt64_st(p + 16 + 16 * i, counter);
}

static void expect_refused(const char *why)
{
	host_log_clear();
	kexec_timing_reset();
	at(5000, KT_EARLY);
	kexec_timing_take(fdt);
	EXPECT_LOG(why);
	EXPECT_LOG("timing from this kernel's entry");
	EXPECT_EQ(report(5100, 1), 0);
	EXPECT_LOG("boot: generation 1 took: early-boot 100 us, total 100 us\r\n");
}

TEST(kexec_timing, a_damaged_timeline_is_refused)
{
	host_console_register();
	outgoing();
	set_stamp(1, KT_NR, 1500);
	expect_refused("(stamp 1 names phase 17 (0..16))");
	outgoing();
	set_stamp(2, KT_SERIALIZE, 1400);
	expect_refused("(stamp 2 (serialize) goes back in time)");
	outgoing();
	set_stamp(3, KT_COPY, 2000);
	expect_refused("(it ends in copy, not in the jump)");
	outgoing();
	REQUIRE(fdt_setprop_u64(fdt, fdt_path_offset(fdt, "/chosen"), BATON_CHOSEN_KEXEC_TIMING,
				4) == 0);
	expect_refused("(it is 8 bytes, not 776)");
	outgoing();
	host_log_clear();
	at(1900, KT_EARLY); /* before the last generation's jump */
	kexec_timing_take(fdt);
	EXPECT_LOG("the counter went back at the jump");
}

/* A handover whose outgoing part filled up (fill and preserve in turn,
 * from 100), taken by the next kernel at 10 ticks past the jump: the
 * jump's counter. */
static u64 full_handover(void)
{
	u64 t = 100;

	host_console_register();
	kexec_timing_reset();
	for (int i = 0; i < 2 * KEXEC_TIMING_MAX; i++)
		at(t++, i % 2 ? KT_PRESERVE : KT_FILL);
	host_counter_fix(t, MHZ);
	EXPECT_EQ(kexec_timing_hand_over(timing_prop()), 0);
	kexec_timing_reset();
	at(t + 10, KT_EARLY);
	kexec_timing_take(fdt);
	return t;
}

TEST(kexec_timing, a_full_timeline_keeps_the_jump)
{
	u64 t = full_handover();

	EXPECT_NO_LOG("unusable");
	EXPECT_EQ(report(t + 20, 1), 0);
	/* 47 stamps alternate (24 fill, 23 preserve); the rest stays in fill,
	 * the last slot is the jump's. */
	EXPECT_LOG("kexec: handover 0 -> 1 took: fill 73 us, preserve 23 us, jump 10 us, "
		   "early-boot 10 us, total 116 us (the timeline was full");
}

TEST(kexec_timing, an_unreported_timeline_is_not_handed_over)
{
	full_handover();
	/* No report: the carried part is still there, and would not fit. */
	EXPECT_EQ(kexec_timing_hand_over(timing_prop()), -E2BIG);
}

TEST(kexec_timing, a_counter_going_back_fails_the_report)
{
	char why[ERR_WHY_MAX];

	kexec_timing_reset();
	at(500, KT_CHECK);
	host_counter_fix(400, MHZ);
	EXPECT_EQ(kexec_timing_report(2, why, sizeof(why)), -EINVAL);
	EXPECT_STR(why, "the counter went back during check");
}

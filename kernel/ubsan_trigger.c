/*
 * ubsan_trigger.c — ubsan.trigger=KIND on the command line runs one piece
 * of undefined behaviour of that kind while the command line is parsed,
 * so that a boot test sees the debug build's UBSan runtime (kernel/ubsan.c)
 * report it and power off.
 *
 * Every build has the option. In the debug build the check stops the
 * kernel at the bad operation; in a build without the checks the
 * operation goes by unnoticed (or faults) and the kernel stops with a line
 * that says so: either way the boot ends there, and only a kernel with
 * the check compiled in prints its report line, which the boot case
 * looks for.
 *
 * The operands pass through ubsan_hide(), an empty asm the compiler cannot
 * see through, so that it neither folds the operation at compile time nor
 * warns about it.
 */
#include "cmdline.h"
#include "kstring.h"
#include "panic.h"
#include "types.h"

#define ubsan_hide(x) __asm__ volatile("" : "+r"(x))

static __noinline u32 ubsan_trigger_shift(void)
{
	u32 one = 1, by = 40;

	ubsan_hide(by);
	return one << by;
}

static __noinline u32 ubsan_trigger_overflow(void)
{
	int big = 0x7fffffff, more = 1;

	ubsan_hide(big);
	return (u32)(big + more);
}

static __noinline u32 ubsan_trigger_divide(void)
{
	int n = 42, zero = 0;

	ubsan_hide(zero);
	return (u32)(n / zero);
}

static __noinline u32 ubsan_trigger_bounds(void)
{
	const u32 four[4] = { 1, 2, 3, 4 };
	unsigned i = 4;

	ubsan_hide(i);
	return four[i];
}

static __noinline u32 ubsan_trigger_alignment(void)
{
	u64 words[2] = { 0, 0 };
	uintptr_t odd = (uintptr_t)words + 1;

	ubsan_hide(odd);
	return *(u32 *)odd;
}

static __noinline u32 ubsan_trigger_bool(void)
{
	u8 byte = 2;
	u8 *p = &byte;

	ubsan_hide(p);
	return *(bool *)p ? 1 : 0;
}

static __noinline u32 ubsan_trigger_builtin(void)
{
	unsigned zero = 0;

	ubsan_hide(zero);
	return (u32)__builtin_ctz(zero);
}

static __noinline u32 ubsan_trigger_pointer(void)
{
	char *p = (char *)UINTPTR_MAX - 8;

	ubsan_hide(p);
	return (u32)(uintptr_t)(p + 16);
}

static const struct {
	const char *kind;
	u32 (*run)(void);
} ubsan_triggers[] = {
	{ "shift", ubsan_trigger_shift },         /* 1 << 40 on 32 bits */
	{ "overflow", ubsan_trigger_overflow },   /* INT_MAX + 1 */
	{ "divide", ubsan_trigger_divide },       /* 42 / 0 */
	{ "bounds", ubsan_trigger_bounds },       /* a[4] of a[4] */
	{ "alignment", ubsan_trigger_alignment }, /* a u32 at an odd address */
	{ "bool", ubsan_trigger_bool },           /* a bool holding 2 */
	{ "builtin", ubsan_trigger_builtin },     /* __builtin_ctz(0) */
	{ "pointer", ubsan_trigger_pointer },     /* a pointer wrapped past the top */
};

static int ubsan_trigger(const char *val)
{
	if (!val)
		return -EINVAL;
	for (size_t i = 0; i < ARRAY_SIZE(ubsan_triggers); i++) {
		if (strcmp(val, ubsan_triggers[i].kind) != 0)
			continue;
		u32 got = ubsan_triggers[i].run();

		panic("ubsan.trigger=%s: no report (the result was %u): this kernel is built without UBSan "
		      "(make DEBUG=1)",
		      val, (unsigned)got);
	}
	return -EINVAL;
}
CMDLINE_PARAM(
	"ubsan.trigger", ubsan_trigger,
	"test: undefined behaviour for the debug build's UBSan to stop: shift, overflow, divide, "
	"bounds, alignment, bool, builtin, pointer");

/*
 * compiler.h — attributes and small helpers shared by all C files.
 */
#ifndef BATON_COMPILER_H
#define BATON_COMPILER_H

#define __noreturn __attribute__((noreturn))
#define __noinline __attribute__((noinline))
#define __no_stack_protector __attribute__((no_stack_protector))
#define __packed __attribute__((packed))
#define __aligned(x) __attribute__((aligned(x)))
#define __section(s) __attribute__((section(s)))
#define __used __attribute__((used))
#define __unused __attribute__((unused))
#define __printf(a, b) __attribute__((format(printf, a, b)))

#define likely(x) __builtin_expect(!!(x), 1)
#define unlikely(x) __builtin_expect(!!(x), 0)

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

/* The entries of a linker section between its bounds __start_X and __stop_X.
 * To C the bounds are two objects, whose pointers may be neither compared
 * nor subtracted: their addresses are. Walk the section by index. */
#define SECTION_ENTRIES(start, stop) \
	(((unsigned long)(stop) - (unsigned long)(start)) / sizeof(*(start)))

/* Power-of-two alignment. a must be a power of two. */
#define ALIGN_DOWN(x, a) ((x) & ~((__typeof__(x))(a)-1))
#define ALIGN_UP(x, a) ALIGN_DOWN((x) + ((__typeof__(x))(a)-1), (a))
#define IS_ALIGNED(x, a) (((x) & ((__typeof__(x))(a)-1)) == 0)

#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define MAX(a, b) ((a) > (b) ? (a) : (b))

#define KiB(x) ((u64)(x) << 10)
#define MiB(x) ((u64)(x) << 20)
#define GiB(x) ((u64)(x) << 30)

#endif

/*
 * panic.h — stop the kernel with a message. BUG_ON states an invariant that
 * must never be false; when it is, the kernel stops and names the line.
 */
#ifndef BATON_PANIC_H
#define BATON_PANIC_H

#include "compiler.h"

__printf(1, 2) __noreturn void panic(const char *fmt, ...);

#define BUG_ON(cond)                                                          \
	do {                                                                  \
		if (unlikely(cond))                                           \
			panic("BUG: %s at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

/* BUG_ON for the checks at the entry of an allocator's fast path: on in
 * the kernel and the unit tests, compiled out in a build with NDEBUG (the
 * host benchmark's release build). The condition must have no side
 * effects. */
#ifdef NDEBUG
#define DEBUG_BUG_ON(cond) ((void)sizeof(cond))
#else
#define DEBUG_BUG_ON(cond) BUG_ON(cond)
#endif

#endif

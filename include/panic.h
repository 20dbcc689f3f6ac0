/*
 * panic.h — stop the kernel with a message. BUG_ON states an invariant that
 * must never be false; when it is, the kernel stops and names the line.
 */
#ifndef BATON_PANIC_H
#define BATON_PANIC_H

#include "compiler.h"

__printf(1, 2) __noreturn void panic(const char *fmt, ...);

#define BUG_ON(cond)                                                        \
	do {                                                                \
		if (unlikely(cond))                                         \
			panic("BUG: %s at %s:%d", #cond, __FILE__, __LINE__); \
	} while (0)

#endif

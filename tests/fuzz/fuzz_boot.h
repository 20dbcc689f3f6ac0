/*
 * fuzz_boot.h — what the boot-side fuzzers (fuzz_bootfdt.c, fuzz_cmdline.c)
 * share, in fuzz_boot.c: stand-ins for the UART drivers (drivers/uart/uart.c
 * picks among them; they touch no hardware), and a way to survive the
 * kernel refusing an input with a panic.
 *
 * A panic is how the kernel refuses a boot it cannot do safely ("the
 * device tree's reserved memory cannot be read"): for a fuzzer that is a
 * correct answer, not a finding. The fuzzers are linked with
 * -Wl,--wrap=panic,--wrap=arch_poweroff,--wrap=arch_halt, and inside
 * FUZZ_SURVIVE_PANIC a panic jumps back out instead of stopping the
 * process. A panic that states a broken invariant (BUG_ON, memblock's
 * self-check) still aborts: that is a finding.
 */
#ifndef BATON_TESTS_FUZZ_BOOT_H
#define BATON_TESTS_FUZZ_BOOT_H

#include <setjmp.h>
#include <stdbool.h>

extern jmp_buf *fuzz_panic_jmp;

/* Run stmt; true if it returned, false if it panicked (a refusal). */
#define FUZZ_SURVIVE_PANIC(stmt)                \
	({                                      \
		jmp_buf env_;                   \
		bool ok_ = false;               \
		if (setjmp(env_) == 0) {        \
			fuzz_panic_jmp = &env_; \
			stmt;                   \
			ok_ = true;             \
		}                               \
		fuzz_panic_jmp = NULL;          \
		ok_;                            \
	})

#endif

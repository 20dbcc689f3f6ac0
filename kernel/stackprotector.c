/*
 * stackprotector.c — what gcc's -fstack-protector needs: a canary and a
 * function to call when a function's frame was overwritten.
 *
 * x86-64 code reads the canary at %fs:0x28; arch/x86_64/entry.S points
 * FS_BASE at a block holding a random value before any C runs. (gcc's
 * default under -mcmodel=kernel is %gs:0x28; the Makefile moves it to fs,
 * where Debian's user-space-built libfdt looks, and refuses to link code
 * that reads gs.) arm64 code reads the global __stack_chk_guard, which
 * arch/arm64/head.S fills. Those first values come from the CPU's random
 * instruction or its counter; kernel_main's random_init (random.h) then
 * sets the canary for the rest of the boot from the entropy pool, which
 * the handover's /chosen/rng-seed feeds (each kexec writes a fresh one).
 * Debian's libfdt is built with the protector too, so this is not
 * optional.
 */
#include "panic.h"
#include "types.h"

uintptr_t __stack_chk_guard;

__noreturn void __stack_chk_fail(void);
__noreturn void __stack_chk_fail(void)
{
	panic("stack protector: a stack frame was overwritten (caller %p)",
	      __builtin_return_address(0));
}

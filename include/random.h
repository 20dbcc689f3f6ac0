/*
 * random.h — the kernel's entropy: a small pool that mixes what each boot
 * can get (the CPU's random-number instruction, RDRAND or RNDR, when it has
 * one; the counter; the /chosen/rng-seed bytes a loader, QEMU or the last
 * generation left in the boot FDT) and hands out 64-bit values.
 *
 * Used for the stack-protector canary, which gets a fresh value per boot,
 * and for the rng-seed each kexec passes on (Linux's convention: the
 * property is read once, then wiped, and kexec writes a fresh one).
 *
 * The pool is not a cryptographic generator: it is as good as its inputs,
 * and a boot with no random instruction and no seed has only the counter
 * (the log says which inputs it had).
 */
#ifndef BATON_RANDOM_H
#define BATON_RANDOM_H

#include "compiler.h"
#include "types.h"

/* Bytes of /chosen/rng-seed that kexec writes (Linux's kexec writes 128). */
#define RANDOM_SEED_BYTES 64

/* Seed the pool from the boot FDT (reading and wiping /chosen/rng-seed),
 * the CPU and the counter, and set a fresh stack-protector canary. Called
 * once, by kernel_main, which therefore must not itself check a canary. */
__no_stack_protector void random_init(void *fdt);

/* A 64-bit value from the pool. */
u64 random_u64(void);

/* Write RANDOM_SEED_BYTES fresh bytes as /chosen/rng-seed of fdt (the
 * next kernel's), node chosen; 0 or a libfdt error. */
int random_fdt_seed(void *fdt, int chosen);

/* What the pool was seeded with, for the self-tests. */
struct random_sources {
	bool cpu;        /* RDRAND / RNDR answered */
	u32 seed_bytes;  /* of /chosen/rng-seed, 0 when there was none */
	bool seed_wiped; /* the property was zeroed after reading */
};
extern struct random_sources random_sources;

#endif

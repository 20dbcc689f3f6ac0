/*
 * random.c — the entropy pool (random.h).
 *
 * The pool is four 64-bit lanes. Each input word is XORed into a lane and
 * the lanes are stirred with SipHash's round (add, rotate, XOR across all
 * four: a permutation that spreads every input bit over the whole state in
 * a few rounds); a value out is the four lanes folded after more rounds,
 * and drawing one stirs the pool again, so consecutive values differ.
 */
#include "random.h"
#include "bootfdt.h"
#include "printk.h"
#include "kstring.h"
#include "arch/counter.h"
#include "arch/cpu.h"
#include <libfdt.h>

struct random_sources random_sources;

static u64 pool[4] = { 0x736f6d6570736575ULL, 0x646f72616e646f6dULL, 0x6c7967656e657261ULL,
		       0x7465646279746573ULL };
static unsigned next_lane;

static inline u64 rotl(u64 x, unsigned r)
{
	return (x << r) | (x >> (64 - r));
}

static void stir(unsigned rounds)
{
	u64 v0 = pool[0], v1 = pool[1], v2 = pool[2], v3 = pool[3];

	while (rounds--) {
		/* SipRound laid out as in its paper: not formatted by clang-format. */
		/* clang-format off */
		v0 += v1; v1 = rotl(v1, 13); v1 ^= v0; v0 = rotl(v0, 32);
		v2 += v3; v3 = rotl(v3, 16); v3 ^= v2;
		v0 += v3; v3 = rotl(v3, 21); v3 ^= v0;
		v2 += v1; v1 = rotl(v1, 17); v1 ^= v2; v2 = rotl(v2, 32);
		/* clang-format on */
	}
	pool[0] = v0;
	pool[1] = v1;
	pool[2] = v2;
	pool[3] = v3;
}

static void mix(u64 v)
{
	pool[next_lane] ^= v;
	next_lane = (next_lane + 1) & 3;
	stir(2);
}

u64 random_u64(void)
{
	u64 cpu;

	mix(arch_counter_read());
	if (arch_random_u64(&cpu))
		mix(cpu);
	stir(4);
	return pool[0] ^ pool[1] ^ pool[2] ^ pool[3];
}

/* /chosen/rng-seed: mixed in 8 bytes at a time, then zeroed in place (its
 * length stays), so that nothing read later finds the seed. */
static void take_fdt_seed(void *fdt)
{
	int chosen = bootfdt_chosen(fdt), len = 0;
	u8 *seed = chosen >= 0 ? fdt_getprop_w(fdt, chosen, "rng-seed", &len) : NULL;

	if (!seed || len <= 0)
		return;
	for (int i = 0; i < len; i += 8) {
		u64 w = 0;

		memcpy(&w, seed + i, (size_t)MIN(8, len - i));
		mix(w);
	}
	memset(seed, 0, (size_t)len);
	random_sources.seed_bytes = (u32)len;
	random_sources.seed_wiped = true;
}

void random_init(void *fdt)
{
	u64 cpu, canary;

	mix(arch_counter_read());
	for (int i = 0; i < 4; i++)
		if (arch_random_u64(&cpu)) {
			mix(cpu);
			random_sources.cpu = true;
		}
	take_fdt_seed(fdt);
	mix(arch_counter_read());
	/* The low byte zero, as Linux does: a string overrun that reaches the
	 * canary stops at its NUL instead of copying past it unnoticed. */
	canary = random_u64() & ~0xffUL;
	arch_set_stack_canary(canary);
	if (random_sources.seed_bytes)
		pr_info("random: seeded from %sthe counter and %u bytes of /chosen/rng-seed (wiped); "
			"stack canary set",
			random_sources.cpu ? "the CPU's random instruction, " : "",
			random_sources.seed_bytes);
	else
		pr_info("random: seeded from %sthe counter (no /chosen/rng-seed); stack canary set",
			random_sources.cpu ? "the CPU's random instruction, " : "");
}

int random_fdt_seed(void *fdt, int chosen)
{
	u64 seed[RANDOM_SEED_BYTES / 8];

	for (unsigned i = 0; i < ARRAY_SIZE(seed); i++)
		seed[i] = random_u64();
	return fdt_setprop(fdt, chosen, "rng-seed", seed, sizeof(seed));
}

/*
 * handover_bench.h — the handover benchmark's kernel side
 * (ktest/handover_bench.c, bench.handover=SHAPE:SIZE), run by the kexec
 * chain's steps (ktest/kexec_chain.c).
 */
#ifndef BATON_HANDOVER_BENCH_H
#define BATON_HANDOVER_BENCH_H

#include "types.h"

/* Did the command line ask for the benchmark? */
bool handover_bench_wanted(void);

/* Generation 0: make the set, preserve it and kexec (returns only when
 * that failed, reported as a self-test failure). */
void handover_bench_step(void);

/* Generation 1: restore the set, check it, free it. */
void handover_bench_restore(void);

/* Where a store count opens and closes (tests/bench/plugin/store_watch.c
 * is given their addresses). */
void bench_window_open(void);
void bench_window_close(void);

#endif

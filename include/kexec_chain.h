/*
 * kexec_chain.h — the kexec chain's self-test steps (ktest/kexec_chain.c),
 * which kernel_main runs last.
 */
#ifndef BATON_KEXEC_CHAIN_H
#define BATON_KEXEC_CHAIN_H

/* After a kexec: restore and check what the last generation handed over. */
void kexec_chain_restore(void);

/* While kexec.chain= goes on: preserve a new set and kexec; at its end,
 * kexec.then='s kernel. Returns when there is nothing left to do (or a
 * step failed, reported as a self-test failure). */
void kexec_chain_step(void);

#endif

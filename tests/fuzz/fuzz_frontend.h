/*
 * fuzz_frontend.h — what the x86-64 front ends' fuzzers share
 * (fuzz_bootparams.c: the bzImage's boot_params; fuzz_multiboot2.c: GRUB's
 * multiboot2 information), in fuzz_frontend.c.
 *
 * An input is physical memory from FUZZ_MEM_BASE, copied into a heap
 * block exactly its size; lb_map reaches that and nothing else, so a read
 * outside it is an ASan report. lb_note is silent unless FUZZ_SHOW_LOG is
 * set.
 */
#ifndef BATON_TESTS_FUZZ_FRONTEND_H
#define BATON_TESTS_FUZZ_FRONTEND_H

#include "boot/linux/linuxboot.h"

#define FUZZ_MEM_BASE 0x10000ULL

/* The input as the fake memory (0 on success, -1 out of memory), and
 * giving it back. */
int fuzz_mem_set(const u8 *data, size_t size);
void fuzz_mem_free(void);

/* What a front end hands the kernel must be sound, or abort (a finding):
 * for information it accepted (why NULL), RAM and reservations sorted,
 * disjoint, in whole pages; in any case a boot FDT (with image as
 * baton,image, why as baton,loader-error) that the kernel's own reader
 * accepts, and with the same RAM in /memory when it was accepted. */
void fuzz_frontend_check(const struct lb_info *info, struct lb_range image, const char *why);

#endif

/*
 * kexec.h — Baton hands over to a fresh copy of itself (docs/design.md
 * section 7): the pristine image it was booted from, kept as a folio and
 * preserved across every generation.
 */
#ifndef BATON_KEXEC_H
#define BATON_KEXEC_H

#include "types.h"
#include "kerrno.h"

/* At boot, after the allocators and KHO: take the image copy the loader
 * (or the last generation) named in /chosen/baton,image -- restored if it
 * was preserved, copied into a folio if not -- and the generation number. */
void kexec_init(const void *boot_fdt);

u64 kexec_generation(void);
/* kexec.chain=N (0 without one), and the folio pages kexec holds: the
 * image copy, and what kexec.then's vmalloc area takes as folios. */
u64 kexec_chain_length(void);
u64 kexec_image_pages(void);
/* Whether this generation will kexec again (the chain goes on, or
 * kexec.then has a kernel to enter). */
bool kexec_will_kexec(void);

/* Preserve the image, serialize KHO, place the image and a new boot FDT in
 * scratch, and enter it. Returns only on failure: a negative code (kerrno.h)
 * and the line kexec_call_off prints, with everything the attempt did
 * undone (the handover dropped, the image unpreserved, its pages given
 * back): what callers preserved is still preserved, and kexec() may be
 * called again. */
int kexec(void);

/* The one line that says a kexec will not happen: "kexec: called off
 * (<ERR>): <why>; nothing was handed over, this kernel keeps running".
 * kexec() prints it; so does a caller that gives up before calling it. */
void kexec_call_off(int err, const char *why);

/* kexec.then=initrd: whether it was asked for, and the kexec into that
 * kernel (the same steps as kexec(), without Baton's own files); -ENOENT
 * when it was not asked for. */
bool kexec_then_wanted(void);
int kexec_then(void);

#endif

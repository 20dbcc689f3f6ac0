/*
 * kexec_timing.h — a handover's timeline (kernel/kexec_timing.c): from the
 * kexec call in one generation to the end of the next, every stretch of
 * time is in exactly one named phase, so the phases add up to the total.
 *
 * The callers mark the boundaries: kexec_timing_enter(p) says "from now
 * on the time is p's". The outgoing kernel hands its part of the timeline
 * over in /chosen/baton,kexec-timing; the incoming one carries on and
 * prints the whole at its end (kexec_timing_report):
 *
 *   kexec: handover 1 -> 2 took: fill 2101 us, preserve 41 us, ..., total 9123 us
 */
#ifndef BATON_KEXEC_TIMING_H
#define BATON_KEXEC_TIMING_H

#include "types.h"

/* The phases, in the order a handover meets them, with the names the line
 * prints. A phase may be met more than once (early-boot is). */
enum kexec_phase {
	KT_FILL,      /* fill: the self-test making and filling the set it hands on */
	KT_PRESERVE,  /* preserve: KHO's preserve calls, the clients' and the image copy's */
	KT_SERIALIZE, /* serialize: kho_serialize */
	KT_KEXEC,     /* kexec: the image's check, the slot, the next boot FDT */
	KT_COPY,      /* copy: the image copied into its slot */
	KT_JUMP,      /* jump: kexec's last line, the arch's jump, up to the next image's entry */
	KT_ENTRY,     /* entry: the image's entry code (head.S or entry.S) up to kernel_main */
	KT_EARLY,     /* early-boot: vectors, the boot FDT's check, command line, console */
	KT_COUNTER,   /* counter: the counter's frequency (x86-64: the TSC calibration) */
	KT_BOOTMEM,   /* bootmem: RAM and reservations into memblock, the direct map */
	KT_VALIDATE,  /* validate: KHO reading and validating the handover (kho_boot) */
	KT_BUDDY,     /* buddy-init: the memdesc array and the buddy allocator */
	KT_MARK,      /* mark: KHO marking the preserved memory in the memmap */
	KT_MM,        /* mm-init: slab, folio and vmalloc, the allocator's report */
	KT_RESTORE,   /* restore: KHO's restore calls, the image copy's and the clients' */
	KT_CHECK,     /* check: the self-tests checking what they restored, and freeing */
	KT_KTESTS,    /* ktests: the boot self-tests that ktest= asks for */
	KT_NR
};

/* Stamps each kernel's part of a timeline holds (a handover meets about
 * 10 before the jump and 20 after). */
#define KEXEC_TIMING_MAX 48

/* /chosen/baton,kexec-timing: u64 count, then KEXEC_TIMING_MAX pairs
 * <u64 phase, u64 counter> (count of them used, in order), big-endian.
 * kexec writes it zeroed with the next boot FDT; kexec_timing_hand_over
 * fills it once the image is in place. */
#define KEXEC_TIMING_PROP_SIZE (8 + 16 * KEXEC_TIMING_MAX)

/* From now on the time is phase p's (nothing, if it already is). The first
 * call after a report starts a new timeline. */
void kexec_timing_enter(enum kexec_phase p);

/* The first stamp of a boot: phase p began at counter at, a reading the
 * arch's entry code took before it called kernel_main (the entry phase). */
void kexec_timing_enter_at(enum kexec_phase p, u64 at);

/* The counter, read for one stamp. A function of its own, so that a
 * measuring tool can mark every stamp (tests/bench/insns marks it). */
u64 kexec_timing_stamp(void);

/* Put the last generation's part of the timeline (the boot FDT's
 * /chosen/baton,kexec-timing) before this generation's. Without it (a
 * cold boot, another kernel's handover), the timeline starts at this
 * kernel's entry (kexec_timing_enter_at); an unusable one is ignored with
 * a line saying why. */
void kexec_timing_take(const void *fdt);

/* Enter the jump and write the timeline into prop, the value of the next
 * boot FDT's baton,kexec-timing (KEXEC_TIMING_PROP_SIZE bytes), once
 * nothing but the jump is left. 0, or -E2BIG when the timeline still
 * holds the last generation's part (it was not reported since). */
int kexec_timing_hand_over(void *prop);

/* End the timeline now and print it: "kexec: handover G-1 -> G took:
 * <phase> <us> us, ..., total <us> us", or "boot: generation G took: ..."
 * when nothing was carried over; with kexec.timing=stamps also the stamps.
 * Then check the printed line with kexec_timing_check_line. 0, or a
 * negative code with why. */
int kexec_timing_report(u64 generation, char *why, size_t n);

/* Does a printed timing line add up: its phases' microseconds sum to its
 * total, less at most one per phase (each is rounded down)? 0, or
 * -EINVAL with why. */
int kexec_timing_check_line(const char *line, char *why, size_t n);

/* Forget the timeline (the host tests start each kernel with it). */
void kexec_timing_reset(void);

#endif

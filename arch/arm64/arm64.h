/*
 * arm64.h — system-register access and the arm64 arch code's private
 * declarations. Private to arch/arm64/.
 */
#ifndef BATON_ARM64_H
#define BATON_ARM64_H

#include "compiler.h"
#include "types.h"

#define read_sysreg(r)                                      \
	({                                                  \
		u64 v_;                                     \
		__asm__ volatile("mrs %0, " #r : "=r"(v_)); \
		v_;                                         \
	})

/* The register state vectors.S saves, lowest address first; shared with
 * assembly. */
struct trap_frame {
	u64 x[31]; /* x0..x30 */
	u64 sp;    /* the interrupted sp */
	u64 elr, spsr, esr, far;
};
_Static_assert(sizeof(struct trap_frame) == 36 * 8,
	       "struct trap_frame must match the layout in vectors.S");

extern u64 image_phys_base;
/* linker/arm64.ld: the Image file's end, and the room after bss holding
 * the pristine copy of the file (head.S takes it). */
extern char _image_file_end[], __pristine_start[];

/* The identity map of the image (TTBR0) is off while the kernel runs, so
 * that page zero and every low address fault (mmu.c); kexec turns it back
 * on for the trampoline. */
void arm64_identity_map_off(void);
void arm64_identity_map_on(void);
extern u64 arm64_boot_el;
extern u64 arm64_boot_x1_x3[3]; /* as entered; the protocol wants 0 */

/* Warn when the loader broke booting.rst's register contract. */
void arm64_boot_protocol_check(void);

void psci_init(const void *fdt);
void arm64_cpus_init(const void *fdt);
/* Turn the machine off; returns false when there is no way to (no PSCI, no
 * board device), true when the way there is failed. */
bool psci_system_off(void);
/* Reset the machine (PSCI SYSTEM_RESET, or the board's reset device);
 * returns, with a line why, when it did not happen. */
void psci_system_reset(void);

#endif

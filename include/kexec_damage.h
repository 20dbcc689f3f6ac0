/*
 * kexec_damage.h — fault injection for the boot tests (kernel/kexec_damage.c):
 * kexec.damage=KIND makes kexec() damage its own serialized handover just
 * before the jump, so the next generation must refuse it. Never armed
 * unless the command line asks.
 */
#ifndef BATON_KEXEC_DAMAGE_H
#define BATON_KEXEC_DAMAGE_H

#include "kho.h"

/* What a damage may aim at, all in place by the time of the jump. */
struct kexec_damage_target {
	const struct kho_handover *h; /* the KHO root FDT and scratch array */
	void *next_fdt;               /* the next kernel's boot FDT, as built */
	phys_addr_t next_kernel;      /* a page of the next kernel's image */
	phys_addr_t image_copy;       /* the preserved image copy: one block */
	unsigned int image_order;     /* of that order */
};

/* Did the command line ask for a damage? */
bool kexec_damage_armed(void);

/* Apply it (once), saying on the console what it did. */
void kexec_damage(const struct kexec_damage_target *t);

#endif

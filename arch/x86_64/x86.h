/*
 * x86.h — x86-64 instructions as inline functions, and the constants of the
 * x86 arch code. Private to arch/x86_64/.
 */
#ifndef BATON_X86_H
#define BATON_X86_H

#include "types.h"
#include "regs.h"
#include "portio.h"

extern u64 gdt[5];

static inline u64 rdtsc(void)
{
	u32 lo, hi;

	__asm__ volatile("rdtsc" : "=a"(lo), "=d"(hi));
	return ((u64)hi << 32) | lo;
}

static inline void cpuid(u32 leaf, u32 sub, u32 r[4])
{
	__asm__ volatile("cpuid"
			 : "=a"(r[0]), "=b"(r[1]), "=c"(r[2]), "=d"(r[3])
			 : "a"(leaf), "c"(sub));
}

static inline u64 rdmsr(u32 msr)
{
	u32 lo, hi;

	__asm__ volatile("rdmsr" : "=a"(lo), "=d"(hi) : "c"(msr));
	return ((u64)hi << 32) | lo;
}

static inline void wrmsr(u32 msr, u64 v)
{
	__asm__ volatile("wrmsr" : : "c"(msr), "a"((u32)v), "d"((u32)(v >> 32)) : "memory");
}

static inline u64 read_cr2(void)
{
	u64 v;

	__asm__ volatile("mov %%cr2, %0" : "=r"(v));
	return v;
}

/* The register state saved by the exception stubs (vectors.S), lowest
 * address first. The layout is shared with assembly. */
struct trap_frame {
	u64 r15, r14, r13, r12, r11, r10, r9, r8;
	u64 rbp, rdi, rsi, rdx, rcx, rbx, rax;
	u64 vector, error;
	u64 rip, cs, rflags, rsp, ss; /* pushed by the CPU */
};
_Static_assert(sizeof(struct trap_frame) == 22 * 8,
	       "struct trap_frame must match the push order in vectors.S");

void traps_init(void);
void acpi_init(const void *fdt);
/* Power off through ACPI S5; returns false when acpi_init found no way to,
 * true when it was tried and the machine is still on. */
bool acpi_poweroff(void);
/* Reset through the FADT's reset register; false when there is none,
 * true when it was written and the machine is still running. */
bool acpi_reset(void);
/* The APIC ids of the enabled CPUs the MADT lists, in its order: up to max
 * of them into ids; returns how many it lists (may be more than max), or
 * -1 when acpi_init found no valid MADT. */
int acpi_madt_apic_ids(u32 *ids, unsigned max);

/* The application processors (smp.c): smp_park_aps sends them INIT, from
 * arch_init, before memory the firmware left them in can be reused;
 * smp_reserve_probe_page keeps a page below 640 KiB for the self-test
 * that wakes them (called from arch_reserve_firmware, before the first
 * MiB is reserved whole). */
void smp_park_aps(void);
void smp_reserve_probe_page(const void *fdt);
/* Extend the direct map over [pa, pa + size) above 4 GiB (pgtable.c). */
bool x86_map_direct(phys_addr_t pa, u64 size);

/* kexec into a Linux bzImage (kexec_bzimage.c). kexec_bzimage_check lays
 * one out: span bytes from a 2 MiB-aligned base, entered at +entry_off, its
 * zero page at +params_off; or returns a negative code (kerrno.h) with what
 * is wrong in why (n bytes, or NULL).
 * kexec_bzimage_enter makes the zero page from the boot FDT and enters; it
 * returns only if the FDT cannot say enough (with a line). */
int kexec_bzimage_check(const void *file, u64 size, u64 *span, u64 *entry_off, u64 *params_off,
			char *why, size_t n);
void kexec_bzimage_place(const void *file, u64 size, void *dest);
void kexec_bzimage_enter(phys_addr_t entry, phys_addr_t start, u64 params_off, const void *fdt);

/* Memory protection (protect.c): x86_protect_kernel maps the image W^X
 * and drops the identity map; x86_identity_map_on puts the identity map of
 * the low 4 GiB back, for a kexec's last jump. x86_pte_nx is the NX bit,
 * or 0 on a CPU without one. */
void x86_protect_kernel(void);
void x86_identity_map_on(void);
extern u64 x86_pte_nx;

/* Set by entry.S: where the loader put the image. */
extern u64 image_phys_base;

#endif

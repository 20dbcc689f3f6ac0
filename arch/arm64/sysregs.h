/*
 * sysregs.h — system-register bits the arm64 code sets by name, shared by
 * C and assembly (head.S, el2_stub.S, trampoline.S, cache.c). Values from
 * the Arm ARM; only what Baton uses.
 */
#ifndef BATON_ARM64_SYSREGS_H
#define BATON_ARM64_SYSREGS_H

/* SCTLR_ELx */
#define SCTLR_M (1 << 0)  /* stage 1 MMU */
#define SCTLR_C (1 << 2)  /* data cache */
#define SCTLR_I (1 << 12) /* instruction cache */
/* SCTLR_EL1 with every RES1 bit set and everything else off: MMU and
 * caches off, little-endian, no alignment checks. */
#define SCTLR_EL1_RES1 0x30d00800

/* SCTLR_EL2 (HCR_EL2.E2H = 0) with every RES1 bit set and everything else
 * off: the state booting.rst wants a kernel entered at EL2 to find. */
#define SCTLR_EL2_RES1 0x30c50830

/* CurrentEL's value at EL2 (the EL is in bits 3:2). */
#define CURRENT_EL2 (2 << 2)

/* HCR_EL2.RW: EL1 is AArch64. */
#define HCR_EL2_RW 0x80000000

/* ESR_ELx exception class of an hvc from AArch64. */
#define ESR_EC_SHIFT 26
#define ESR_EC_HVC64 0x16

/*
 * The EL2 stub's one call (el2_stub.S), made with hvc #0 from EL1:
 *   x0 = EL2_STUB_SOFT_RESTART, x1 = entry (physical), x2 = FDT (physical)
 * enters entry at EL2, MMU off, with x0 = FDT and x1..x3 = 0: the boot
 * protocol, at the exception level the first kernel was given. Any other
 * x0 returns with x0 = -1.
 */
#define EL2_STUB_SOFT_RESTART 0xba70

#endif

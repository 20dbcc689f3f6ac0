/*
 * kexec.c (arm64) — not written yet: arm64 kexec needs the caches cleaned
 * to PoC and the MMU turned off from an identity-mapped trampoline (the
 * arm64 issue). Until then it says so and returns.
 */
#include "elf64.h"
#include "printk.h"
#include "arch/kexec.h"

const u16 arch_kexec_machine = EM_AARCH64;
const phys_addr_t arch_kexec_max_phys = ~0ULL;

void arch_kexec_jump(phys_addr_t entry, phys_addr_t fdt)
{
	(void)entry;
	(void)fdt;
	pr_err("kexec: not supported on arm64 yet");
}

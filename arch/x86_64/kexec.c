/*
 * kexec.c (x86-64) — entering the next kernel. kernel/kexec.c has already
 * copied the new image and its FDT into scratch, which is below 4 GiB and
 * disjoint from everything this kernel uses, so nothing needs copying at
 * the last moment: the boot page tables still identity-map the low 4 GiB
 * (entry.S, PML4[0]), which is what the entry protocol asks for.
 */
#include "x86.h"
#include "elf64.h"
#include "arch/kexec.h"

const u16 arch_kexec_machine = EM_X86_64;
const phys_addr_t arch_kexec_max_phys = 1ULL << 32;

void arch_kexec_jump(phys_addr_t entry, phys_addr_t fdt)
{
	__asm__ volatile("cli\n\t"
			 "xor %%esi, %%esi\n\t"
			 "jmp *%1"
			 : : "D"(fdt), "r"(entry) : "memory");
	__builtin_unreachable();
}

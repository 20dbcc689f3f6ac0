/*
 * kexec.c (x86-64) — the kernel file is the ELF the EFI loader read (it
 * names it in /chosen/baton,image), placed with kernel/elf_load.c as the
 * loader placed it; entering the next kernel is a jump. kernel/kexec.c
 * has already copied the new image and its FDT into scratch, which is below
 * 4 GiB and disjoint from everything this kernel uses, so nothing needs
 * copying at the last moment: the boot page tables still identity-map the
 * low 4 GiB (entry.S, PML4[0]), which is what the entry protocol asks for,
 * and x86 caches are coherent with every way of reading memory.
 */
#include "x86.h"
#include "elf64.h"
#include "elf_load.h"
#include "console.h"
#include "arch/kexec.h"

const phys_addr_t arch_kexec_max_phys = 1ULL << 32;

const char *arch_kexec_image_check(const void *file, u64 size, struct kexec_layout *l)
{
	struct elf_layout el;
	const char *why = elf_layout(file, size, EM_X86_64, &el);

	if (!why)
		*l = (struct kexec_layout){ el.span, el.entry_off };
	return why;
}

void arch_kexec_image_place(const void *file, u64 size, void *dest, const struct kexec_layout *l)
{
	struct elf_layout el;

	(void)l;
	if (!elf_layout(file, size, EM_X86_64, &el))
		elf_copy(file, dest, &el);
}

bool arch_kexec_own_image(phys_addr_t *base, u64 *size)
{
	(void)base;
	(void)size;
	return false;
}

void arch_kexec_jump(phys_addr_t entry, phys_addr_t fdt, phys_addr_t start, u64 size)
{
	(void)start;
	(void)size;
	console_flush(); /* the next kernel reprograms COM1 at once */
	__asm__ volatile("cli\n\t"
			 "xor %%esi, %%esi\n\t"
			 "jmp *%1"
			 : : "D"(fdt), "r"(entry) : "memory");
	__builtin_unreachable();
}

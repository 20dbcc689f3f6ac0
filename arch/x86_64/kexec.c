/*
 * kexec.c (x86-64) — the kernel file is the ELF the EFI loader read (it
 * names it in /chosen/baton,image), placed with lib/elf_load.c as the
 * loader placed it; entering the next kernel is a jump. kernel/kexec.c
 * has already copied the new image and its FDT into scratch, which is below
 * 4 GiB and disjoint from everything this kernel uses, so nothing needs
 * copying at the last moment: the boot page tables still identity-map the
 * low 4 GiB (entry.S, PML4[0]), which is what the entry protocol asks for,
 * and x86 caches are coherent with every way of reading memory.
 *
 * A Linux bzImage (kexec.then's kernel) goes through kexec_bzimage.c
 * instead: the same slot, entered by Linux's 64-bit boot protocol with a
 * zero page made from the same boot FDT.
 */
#include "x86.h"
#include "elf64.h"
#include "elf_load.h"
#include "bzimage.h"
#include "console.h"
#include "kerrno.h"
#include "arch/kexec.h"
#include "arch/mmu.h"

const phys_addr_t arch_kexec_max_phys = 1ULL << 32;

/* What was placed last: Baton's ELF (0), or a bzImage whose zero page
 * goes at this offset in the slot. */
static u64 bzimage_params_off;

int arch_kexec_image_check(const void *file, u64 size, struct kexec_layout *l, char *why, size_t n)
{
	struct elf_layout el;
	u64 params_off;
	int err;

	if (bzimage_is(file, size))
		return kexec_bzimage_check(file, size, &l->span, &l->entry_off, &params_off, why,
					   n);
	err = elf_layout(file, size, EM_X86_64, &el, why, n);
	if (!err)
		*l = (struct kexec_layout){ el.span, el.entry_off };
	return err;
}

void arch_kexec_image_place(const void *file, u64 size, void *dest, const struct kexec_layout *l)
{
	struct elf_layout el;
	u64 span, entry_off;

	(void)l;
	bzimage_params_off = 0;
	if (bzimage_is(file, size) &&
	    !kexec_bzimage_check(file, size, &span, &entry_off, &bzimage_params_off, NULL, 0))
		kexec_bzimage_place(file, size, dest);
	else if (!elf_layout(file, size, EM_X86_64, &el, NULL, 0))
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
	(void)size;
	if (bzimage_params_off) {
		kexec_bzimage_enter(entry, start, bzimage_params_off, phys_to_virt(fdt));
		return; /* the FDT could not be turned into a zero page (said why) */
	}
	console_flush(); /* the next kernel reprograms COM1 at once */
	x86_identity_map_on();
	__asm__ volatile("cli\n\t"
			 "xor %%esi, %%esi\n\t"
			 "jmp *%1"
			 :
			 : "D"(fdt), "r"(entry)
			 : "memory");
	__builtin_unreachable();
}

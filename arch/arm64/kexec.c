/*
 * kexec.c (arm64) — the arm64 side of kexec (include/arch/kexec.h).
 *
 * The kernel file is the Image. Whoever loaded the first generation, head.S
 * copied the file at entry into the room after bss (linker/arm64.ld), so a
 * pristine copy always exists: arch_kexec_own_image names it, and
 * kernel/kexec.c keeps it in a folio from then on.
 *
 * Leaving (booting.rst): kernel/kexec.c has already placed the next Image
 * and its FDT in a scratch slot through the cacheable direct map. Here the
 * slot is cleaned and invalidated to the point of coherency (the next
 * kernel starts with the MMU and caches off, reads it from memory, and
 * writes its own bss there uncached, so no dirty line may remain to be
 * evicted over it later), interrupts are masked, and the trampoline
 * (trampoline.S) is called at its physical address, through the identity
 * map of the image TTBR0 keeps, to turn the MMU off and enter. A kernel
 * entered at EL2 goes back there through the EL2 stub (el2_stub.S), so the
 * next kernel gets EL2 too; one entered at EL1 hands over at EL1.
 */
#include "arm64.h"
#include "arm64_image.h"
#include "console.h"
#include "kernel.h"
#include "kstring.h"
#include "printk.h"
#include "arch/kexec.h"
#include "arch/mmu.h"

__noreturn void arm64_kexec_trampoline(u64 entry, u64 fdt, u64 via_el2);

const phys_addr_t arch_kexec_max_phys = ~0ULL;

int arch_kexec_image_check(const void *file, u64 size, struct kexec_layout *l, char *why, size_t n)
{
	return arm64_image_check(file, size, &l->span, &l->entry_off, why, n);
}

void arch_kexec_image_place(const void *file, u64 size, void *dest, const struct kexec_layout *l)
{
	/* bss and the room for the pristine copy are the new kernel's to
	 * clear and fill; only the file is copied. */
	memcpy((u8 *)dest + l->entry_off, file, size);
}

bool arch_kexec_own_image(phys_addr_t *base, u64 *size)
{
	*base = image_phys_base + (u64)(__pristine_start - _kernel_start);
	*size = (u64)(_image_file_end - _kernel_start);
	return true;
}

/* Clean and invalidate [va, va + size) to the point of coherency. */
static void dcache_clean_inval_poc(const void *va, u64 size)
{
	u64 line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf); /* DminLine, in words */
	u64 p = (u64)(uintptr_t)va & ~(line - 1);

	for (; p < (u64)(uintptr_t)va + size; p += line)
		__asm__ volatile("dc civac, %0" : : "r"(p) : "memory");
	__asm__ volatile("dsb sy" ::: "memory");
}

void arch_kexec_jump(phys_addr_t entry, phys_addr_t fdt, phys_addr_t start, u64 size)
{
	u64 via_el2 = arm64_boot_el == 2;
	u64 tramp = image_phys_base +
		    ((u64)(uintptr_t)arm64_kexec_trampoline - (u64)(uintptr_t)_kernel_start);

	if (via_el2)
		pr_info("kexec: handing over at EL2, through the EL2 stub");
	else
		pr_info("kexec: handing over at EL%llu", (unsigned long long)arm64_boot_el);
	console_flush(); /* the next kernel reprograms the UART at once */
	__asm__ volatile("msr daifset, #0xf" ::: "memory");
	dcache_clean_inval_poc(phys_to_virt(start), size);
	arm64_identity_map_on();
	((void (*)(u64, u64, u64))(uintptr_t)tramp)(entry, fdt, via_el2);
}

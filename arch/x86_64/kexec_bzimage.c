/*
 * kexec_bzimage.c (x86-64) — kexec into a Linux bzImage: the Linux x86
 * boot protocol's 64-bit entry (include/bootparam.h), the mirror of
 * Baton's own bzImage front end. kexec.c (x86-64) calls these when the
 * kernel file is a bzImage rather than Baton's ELF.
 *
 * The slot kernel/kexec.c picks in scratch holds, from its 2 MiB-aligned
 * base:
 *
 *     base                      the protected-mode part, entered at +0x200,
 *                               with init_size bytes for it to decompress
 *     base + params_off         boot_params (the zero page)
 *                + 4 KiB        the command line
 *                + 8 KiB        the setup_data chain (SETUP_KEXEC_KHO) and
 *                               the GDT the entry protocol asks for
 *
 * and the next boot FDT after that, which kexec_bzimage_enter turns into
 * the zero page: /memory as e820 RAM, every reservation as e820 reserved,
 * bootargs and the ACPI RSDP as the EFI loader puts them in the zero page
 * it makes (lib/zeropage.c), then KHO's root FDT and scratch array as
 * Linux reads them on x86 (a setup_data, not /chosen).
 */
#include "x86.h"
#include "bootfdt.h"
#include "bootparam.h"
#include "bzimage.h"
#include "console.h"
#include "kerrno.h"
#include "page.h"
#include "kstring.h"
#include "printk.h"
#include "zeropage.h"
#include "kho/abi.h"
#include "arch/mmu.h"

#define PARAMS_BYTES (3 * PAGE_SIZE)
#define LOADER_UNDEFINED 0xff /* type_of_loader: "no assigned id" */

/* The bzImage placed last: its layout and setup header, for the entry. */
static struct bzimage_layout placed;
static struct setup_header placed_hdr;

int kexec_bzimage_check(const void *file, u64 size, u64 *span, u64 *entry_off, u64 *params_off,
			char *why, size_t n)
{
	struct bzimage_layout l;
	int err = bzimage_check(file, size, &l, why, n); /* as Linux's kexec checks it */

	if (err)
		return err;
	if (l.align > (2u << 20)) /* the slot is 2 MiB-aligned, no more */
		return err_why(why, n, -ENOEXEC,
			       "a bzImage asking for a kernel_alignment above 2 MiB");
	*entry_off = BP_STARTUP64_OFFSET;
	*params_off = ALIGN_UP(l.init_size, PAGE_SIZE);
	*span = *params_off + PARAMS_BYTES;
	return 0;
}

void kexec_bzimage_place(const void *file, u64 size, void *dest)
{
	if (bzimage_check(file, size, &placed, NULL, 0))
		return;
	/* The header as far as the file has it (Linux copies no more). */
	memset(&placed_hdr, 0, sizeof(placed_hdr));
	memcpy(&placed_hdr, (const u8 *)file + BP_HDR_OFFSET,
	       MIN((u64)placed.hdr_end - BP_HDR_OFFSET, (u64)sizeof(placed_hdr)));
	memcpy(dest, (const u8 *)file + placed.setup_size, placed.pm_size);
}

/* The zero page at bp (physical bp_pa) from the boot FDT, for a kernel
 * loaded at load: what any loader puts there from a boot FDT
 * (lib/zeropage.c, as the EFI loader does), and KHO. false, with a line,
 * when the FDT cannot say enough. */
static bool fill_params(struct boot_params *bp, phys_addr_t bp_pa, phys_addr_t load,
			const void *fdt)
{
	const struct zeropage_cmdline cl = {
		.buf = (char *)bp + PAGE_SIZE,
		.pa = bp_pa + PAGE_SIZE,
		.max = MIN(placed.cmdline_size, (u32)PAGE_SIZE - 1),
	};
	struct setup_data *sd = (void *)((u8 *)bp + 2 * PAGE_SIZE);
	struct kho_data *kho = (struct kho_data *)sd->data;
	struct mem_range kfdt, scratch;
	char why[ERR_WHY_MAX];
	int err;

	memset(bp, 0, PARAMS_BYTES);
	bp->hdr = placed_hdr;
	bp->hdr.type_of_loader = LOADER_UNDEFINED;
	bp->hdr.code32_start = (u32)load;
	bp->hdr.ramdisk_image = 0;
	bp->hdr.ramdisk_size = 0;
	err = zeropage_from_fdt(bp, fdt, &cl, why, sizeof(why));
	if (err) {
		pr_err("kexec: the boot FDT makes no zero page for the bzImage (%s): %s; not "
		       "entering it",
		       err_name(err), why);
		return false;
	}
	if (bootfdt_chosen_range(fdt, KHO_CHOSEN_FDT, &kfdt) &&
	    bootfdt_chosen_range(fdt, KHO_CHOSEN_SCRATCH, &scratch)) {
		sd->next = 0;
		sd->type = SETUP_KEXEC_KHO;
		sd->len = sizeof(*kho);
		*kho = (struct kho_data){ kfdt.base, kfdt.size, scratch.base, scratch.size };
		bp->hdr.setup_data = bp_pa + 2 * PAGE_SIZE;
	}
	return true;
}

void kexec_bzimage_enter(phys_addr_t entry, phys_addr_t start, u64 params_off, const void *fdt)
{
	phys_addr_t bp_pa = start + params_off;
	struct boot_params *bp = phys_to_virt(bp_pa);
	/* The GDT the 64-bit protocol asks for (__BOOT_CS 0x10, __BOOT_DS
	 * 0x18, flat), in the identity-mapped slot after the setup_data. */
	u64 *linux_gdt = (u64 *)((u8 *)bp + 2 * PAGE_SIZE + 256);
	phys_addr_t gdt_pa = bp_pa + 2 * PAGE_SIZE + 256;
	struct {
		u16 limit;
		u64 base;
	} __packed desc = { 4 * 8 - 1, gdt_pa };

	if (!fill_params(bp, bp_pa, start, fdt))
		return;
	linux_gdt[0] = linux_gdt[1] = 0;
	linux_gdt[2] = 0x00af9a000000ffffULL; /* 64-bit code */
	linux_gdt[3] = 0x00cf92000000ffffULL; /* data */
	pr_info("kexec: a Linux bzImage (boot protocol %u.%u): boot_params at 0x%llx, %u e820 "
		"entries%s",
		placed_hdr.version >> 8, placed_hdr.version & 0xff, (unsigned long long)bp_pa,
		bp->e820_entries, bp->hdr.setup_data ? ", KHO in setup_data" : "");
	console_flush();
	x86_identity_map_on(); /* the GDT and the entry are physical addresses */
	__asm__ volatile("cli\n\t"
			 "lgdt %0\n\t"
			 "mov $0x18, %%eax\n\t"
			 "mov %%eax, %%ds\n\t"
			 "mov %%eax, %%es\n\t"
			 "mov %%eax, %%ss\n\t"
			 "mov %%eax, %%fs\n\t"
			 "mov %%eax, %%gs\n\t"
			 "xor %%edi, %%edi\n\t"
			 "pushq $0x10\n\t"
			 "pushq %1\n\t"
			 "lretq"
			 :
			 : "m"(desc), "r"(entry), "S"(bp_pa)
			 : "memory", "rax", "rdi");
	__builtin_unreachable();
}

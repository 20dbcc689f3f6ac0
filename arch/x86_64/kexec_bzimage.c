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
 * and the next boot FDT after that, which bzimage_enter turns into the
 * zero page: /memory as e820 RAM, every reservation as e820 reserved,
 * bootargs, the ACPI RSDP, and KHO's root FDT and scratch array as Linux
 * reads them on x86 (a setup_data, not /chosen).
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
#include "kho/abi.h"
#include "arch/mmu.h"
#include "kho/handover.h"
#include <libfdt.h>

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

static void e820_add(struct boot_params *bp, u64 base, u64 size, u32 type)
{
	if (size && bp->e820_entries < E820_MAX_ENTRIES_ZEROPAGE)
		bp->e820_table[bp->e820_entries++] = (struct boot_e820_entry){ base, size, type };
}

/* The zero page at bp (physical bp_pa) from the boot FDT, for a kernel
 * loaded at load. false, with a line, when the FDT cannot say enough. */
static bool fill_params(struct boot_params *bp, phys_addr_t bp_pa, phys_addr_t load,
			const void *fdt)
{
	static struct mem_range ram[32];
	static struct bootfdt_resv resv[64];
	char *cmdline = (char *)bp + PAGE_SIZE;
	struct setup_data *sd = (void *)((u8 *)bp + 2 * PAGE_SIZE);
	struct kho_data *kho = (struct kho_data *)sd->data;
	const char *args = bootfdt_bootargs(fdt);
	struct mem_range kfdt, scratch;
	int nram = bootfdt_memory(fdt, ram, ARRAY_SIZE(ram));
	int nresv = bootfdt_reserved(fdt, resv, ARRAY_SIZE(resv));
	u64 len = strlen(args), rsdp;

	if (nram <= 0 || nresv < 0 || nram + nresv > E820_MAX_ENTRIES_ZEROPAGE) {
		pr_err("kexec: the boot FDT's memory (%d ranges, %d reserved) does not make an e820 "
		       "table", nram, nresv);
		return false;
	}
	if (len > placed.cmdline_size || len >= PAGE_SIZE) {
		pr_err("kexec: the command line (%llu bytes) is longer than the bzImage takes (%u)",
		       (unsigned long long)len, placed.cmdline_size);
		return false;
	}
	memset(bp, 0, PARAMS_BYTES);
	bp->hdr = placed_hdr;
	bp->hdr.type_of_loader = LOADER_UNDEFINED;
	bp->hdr.code32_start = (u32)load;
	bp->hdr.ramdisk_image = 0;
	bp->hdr.ramdisk_size = 0;
	memcpy(cmdline, args, len + 1);
	bp->hdr.cmd_line_ptr = (u32)(bp_pa + PAGE_SIZE);
	bp->ext_cmd_line_ptr = (u32)((bp_pa + PAGE_SIZE) >> 32);
	for (int i = 0; i < nram; i++)
		e820_add(bp, ram[i].base, ram[i].size, E820_TYPE_RAM);
	/* Linux resolves overlaps in favour of the higher type: reserved. */
	for (int i = 0; i < nresv; i++)
		e820_add(bp, resv[i].base, resv[i].size, E820_TYPE_RESERVED);
	if (bootfdt_chosen_u64(fdt, BATON_CHOSEN_ACPI_RSDP, &rsdp))
		bp->acpi_rsdp_addr = rsdp;
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
		"entries%s", placed_hdr.version >> 8, placed_hdr.version & 0xff,
		(unsigned long long)bp_pa, bp->e820_entries,
		bp->hdr.setup_data ? ", KHO in setup_data" : "");
	console_flush();
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
			 : : "m"(desc), "r"(entry), "S"(bp_pa) : "memory", "rax", "rdi");
	__builtin_unreachable();
}

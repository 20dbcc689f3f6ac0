/*
 * zeropage.h — the Linux x86 zero page (struct boot_params, bootparam.h)
 * from a Baton boot FDT (docs/design.md section 3), for both of Baton's ways
 * into a bzImage's 64-bit entry: the EFI loader booting one
 * (boot/efi/bzimage.c) and kexec into a Linux bzImage
 * (arch/x86_64/kexec_bzimage.c). What only one of them has (efi_info; the
 * KHO setup_data and the GDT) each adds itself.
 */
#ifndef BATON_ZEROPAGE_H
#define BATON_ZEROPAGE_H

#include "bootparam.h"
#include "types.h"

/* Where the command line goes: buf, with room for max bytes and a NUL,
 * which the booted kernel reads at physical address pa. max is the
 * bzImage's cmdline_size, or less when buf is smaller. */
struct zeropage_cmdline {
	char *buf;
	u64 pa;
	u32 max;
};

/*
 * Fill, in bp (its setup header already the caller's), from fdt:
 *   e820_table, e820_entries  RAM (type 1) from every enabled /memory
 *                  node, in address order; then reserved (type 2) from the
 *                  memory reservation block and every enabled
 *                  /reserved-memory child, lying over that RAM as BIOS maps
 *                  do (the booted kernel lets the reservation win); ranges
 *                  of size 0 add nothing;
 *   cmd_line_ptr, ext_cmd_line_ptr  /chosen/bootargs copied to cl ("" when
 *                  absent);
 *   acpi_rsdp_addr  /chosen/baton,acpi-rsdp, 0 when absent.
 * Nothing else in bp is touched.
 *
 * Returns 0, or a negative code (include/kerrno.h) with why in why (n
 * bytes; NULL when only the code is wanted), bp then half written: -E2BIG
 * for more than E820_MAX_ENTRIES_ZEROPAGE entries or a command line over
 * cl->max, -ENOENT for no RAM, -EINVAL for cell counts or a
 * /reserved-memory ranges that are not read, -EBADMSG for a malformed
 * property or block, -EOVERFLOW for a range that wraps past 2^64.
 */
int zeropage_from_fdt(struct boot_params *bp, const void *fdt, const struct zeropage_cmdline *cl,
		      char *why, size_t n);

#endif

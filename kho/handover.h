/*
 * handover.h — what a boot FDT's /chosen says, beside the KHO ABI
 * (kho/abi.h): Linux's two handover properties and Baton's own, named in
 * one place, and the one function that writes a handover into /chosen.
 *
 * Linux's (kho/abi.h): linux,kho-fdt and linux,kho-scratch, <addr size> in
 * the root's cells, the KHO root FDT and the scratch array.
 *
 * Baton's, written by kexec for its next generation (kernel/kexec.c):
 *   baton,image        <addr size>  the image copy the last Baton preserved
 *                                   (a folio; validation rule 16), or, on a
 *                                   cold boot, the file the loader read
 *   baton,then-image   struct kho_vmalloc + u64 size: kexec.then's kernel
 *   baton,generation   u64          this generation's number
 *   baton,kexec-timing u64 preserve, serialize, jump_at (counter ticks)
 * and by the loaders (boot/efi/, boot/linux/):
 *   baton,loader       string       which loader built the tree
 *   baton,acpi-rsdp    u64          the ACPI RSDP (x86-64)
 *   baton,loader-image <addr size>  the kernel file a loader placed for a
 *                                   boot that carries another kernel's
 *                                   handover (not preserved: copied)
 *   baton,loader-error string       why the loader could not go on; the
 *                                   kernel says it and powers off
 */
#ifndef BATON_KHO_HANDOVER_H
#define BATON_KHO_HANDOVER_H

#include "types.h"
#include "kho/abi.h"

#define BATON_CHOSEN_IMAGE "baton,image"
#define BATON_CHOSEN_THEN_IMAGE "baton,then-image"
#define BATON_CHOSEN_GENERATION "baton,generation"
#define BATON_CHOSEN_KEXEC_TIMING "baton,kexec-timing"
#define BATON_CHOSEN_LOADER "baton,loader"
#define BATON_CHOSEN_ACPI_RSDP "baton,acpi-rsdp"
#define BATON_CHOSEN_LOADER_IMAGE "baton,loader-image"
#define BATON_CHOSEN_LOADER_ERROR "baton,loader-error"

/* Write the handover into the FDT's /chosen (made if missing): its root
 * FDT (fdt, fdt_size) and scratch array (scratch, scratch_size) as
 * linux,kho-fdt and linux,kho-scratch, replacing any there, as <addr size>
 * in the root's #address-cells and #size-cells, as Linux writes them on
 * arm64. Returns 0 or a negative libfdt error (no room: -FDT_ERR_NOSPACE). */
int kho_chosen_write(void *fdt, phys_addr_t kfdt, u64 kfdt_size, phys_addr_t scratch,
		     u64 scratch_size);
/* A minimal boot FDT of size bytes at buf that carries nothing but the
 * handover h (#address-cells and #size-cells 2, /chosen): what the host
 * tests, the fuzzer's seeds and the bench boot their next kernel on. */
struct kho_handover;
int kho_handover_fdt(void *buf, int size, const struct kho_handover *h);

/* Set one <addr size> property of the node chosen, replacing it. */
int kho_chosen_set_range(void *fdt, int chosen, const char *name, u64 base, u64 size);

#endif

/*
 * handover.h — what a boot FDT's /chosen says, beside the KHO ABI
 * (kho/abi.h): Linux's two handover properties and Baton's own, named in
 * one place, for the kernel and the loaders alike (a header of names only;
 * the one writer of a handover into /chosen is kho_chosen_write, kho.h).
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
 *   baton,kexec-timing u64 count, then KEXEC_TIMING_MAX pairs <u64
 *                                   phase, u64 counter>: the handover's
 *                                   timeline so far (kexec_timing.h)
 *   baton,counter-frequency u64     the CPU counter's ticks per second as
 *                                   this generation knew it: x86-64 takes
 *                                   it instead of calibrating the TSC again
 *                                   (arm64 reads CNTFRQ_EL0)
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

#include "kho/abi.h"

#define BATON_CHOSEN_IMAGE "baton,image"
#define BATON_CHOSEN_THEN_IMAGE "baton,then-image"
#define BATON_CHOSEN_GENERATION "baton,generation"
#define BATON_CHOSEN_KEXEC_TIMING "baton,kexec-timing"
#define BATON_CHOSEN_COUNTER_FREQ "baton,counter-frequency"
#define BATON_CHOSEN_LOADER "baton,loader"
#define BATON_CHOSEN_ACPI_RSDP "baton,acpi-rsdp"
#define BATON_CHOSEN_LOADER_IMAGE "baton,loader-image"
#define BATON_CHOSEN_LOADER_ERROR "baton,loader-error"

#endif

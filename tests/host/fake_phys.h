/*
 * fake_phys.h — the fake physical memory and console that the front ends'
 * plain C (boot/linux/linuxboot.h, boot/multiboot2/mb2boot.h) runs against
 * in the host tests: tests/host/fake_phys.c defines their lb_map and
 * lb_note, and what test_linuxboot.c and test_multiboot2.c build machines
 * with.
 *
 * The memory: 32 MiB at physical 0 (so the BIOS areas exist), 1 MiB at
 * 4 GiB, and the last page below 2^64; anything else is out of reach, as an
 * address past what a CPU can map is to the front ends. The front ends'
 * lines go to the host log (host.h). Each test runs in a child of its own
 * (harness.h), so it starts zeroed, with an empty log.
 */
#ifndef BATON_TESTS_HOST_FAKE_PHYS_H
#define BATON_TESTS_HOST_FAKE_PHYS_H

#include <stdbool.h>
#include "types.h"

#define FAKE_LOW_SIZE (32ULL << 20)
#define FAKE_HIGH_BASE (4ULL << 30)
#define FAKE_HIGH_SIZE (1ULL << 20)
#define FAKE_TOP_BASE 0xfffffffffffff000ULL

/* A pointer to pa, which must be in the fake memory (REQUIRE). */
void *fake_at(u64 pa);

/* An ACPI 2.0 RSDP at pa, its first checksum right. */
void fake_rsdp(u64 pa);

/* An EFI system table at st ("IBI SYST") whose configuration table, at
 * tab, lists the ACPI 1.0 RSDP rsdp10 and then the ACPI 2.0 one rsdp20
 * (an entry of 0 is left out). */
void fake_efi_systab(u64 st, u64 tab, u64 rsdp10, u64 rsdp20);

/* A line lb_note wrote, or not (lb_note writes into the host log). */
#define EXPECT_NOTE(text) EXPECT_LOG(text)
#define EXPECT_NO_NOTE(text) EXPECT_NO_LOG(text)

#endif

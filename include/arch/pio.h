/*
 * arch/pio.h — port I/O, for devices the FDT places in ISA I/O space.
 * x86-64 has it; arm64 does not and says so through arch_has_pio.
 */
#ifndef BATON_ARCH_PIO_H
#define BATON_ARCH_PIO_H

#include "types.h"

extern const bool arch_has_pio;
u8 arch_pio_read8(u16 port);
void arch_pio_write8(u16 port, u8 value);

#endif

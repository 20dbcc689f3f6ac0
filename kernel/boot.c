/*
 * boot.c — what kernel_main (kernel/main.c) records of this boot for every
 * layer to read (include/kernel.h): the boot FDT once it is validated, and
 * the CPU counter at entry. They live here, in the base, so that the layers
 * below the init list read them without depending on it.
 */
#include "kernel.h"

const void *boot_fdt;
u64 boot_counter_start;

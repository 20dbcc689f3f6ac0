/*
 * boot.c — what kernel_main (kernel/main.c) records of this boot for every
 * layer to read (include/kernel.h): the boot FDT once it is validated. It
 * lives here, in the base, so that the layers below the init list read it
 * without depending on it.
 */
#include "kernel.h"

const void *boot_fdt;

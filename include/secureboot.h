/*
 * secureboot.h — what the EFI loader tells the kernel about UEFI Secure
 * Boot, in /chosen (docs/secure-boot.md).
 *
 * baton,secure-boot = "uefi": the firmware had Secure Boot on and started
 * a signed unified image (make image SIGN=...), and the kernel and its
 * command line came from that image's own .kernel and .cmdline sections,
 * which the signature covers. The EFI loader writes it (boot/efi/fdt.c);
 * kexec carries it from generation to generation with the rest of /chosen,
 * because each generation enters only the copy of that verified image
 * (kernel/kexec.c), and drops it for any other kernel (kexec.then).
 * Absent: nothing verified this kernel.
 */
#ifndef BATON_SECUREBOOT_H
#define BATON_SECUREBOOT_H

#define BATON_CHOSEN_SECURE_BOOT "baton,secure-boot"
#define BATON_SECURE_BOOT_UEFI "uefi"

#endif

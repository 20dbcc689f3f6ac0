/*
 * pe.h — finding a named section in a PE/COFF image as the firmware loaded
 * it (headers at the image base, each section at its VirtualAddress). The
 * EFI loader reads its own image with it (bundle.c): a unified image
 * carries the kernel in .kernel and the command line in .cmdline. Plain C,
 * no EFI headers, so the host unit tests (tests/host/test_pe.c) run it as
 * it is.
 *
 * The image is the one the firmware verified when Secure Boot is on, so
 * its bytes are trusted; its layout is still checked, so that a wrong
 * build gives one clear line instead of a read past the image.
 */
#ifndef BATON_EFI_PE_H
#define BATON_EFI_PE_H

#include "types.h"
#include "kerrno.h"

/* A PE section name is at most 8 bytes, NUL-padded when shorter. */
#define PE_NAME_MAX 8

/* Where a section's bytes are: offset from the image base, and size. */
struct pe_span {
	u64 offset;
	u64 size;
};

/* Find the section called name in the loaded image (size bytes from its
 * base). Returns 1 and fills *out when it is there, 0 when it is not, or a
 * negative code with why (n bytes): headers that are not PE or lie past
 * size, a section past size, two sections of that name. */
int pe_section(const void *image, u64 size, const char *name, struct pe_span *out, char *why,
	       size_t n);

#endif

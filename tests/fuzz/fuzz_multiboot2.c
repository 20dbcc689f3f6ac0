/*
 * fuzz_multiboot2.c — libFuzzer target over the multiboot2 front end's
 * reading of GRUB's information (boot/multiboot2/info.c, with
 * boot/linux/'s e820.c, rsdp.c, cmdline.c and fdt.c), as
 * tests/host/test_multiboot2.c runs it, with any bytes.
 *
 * An input is physical memory from FUZZ_MEM_BASE (fuzz_frontend.h): the
 * information at its start, every address in it (modules, the EFI system
 * table) free to point into the input or anywhere else. For information
 * the front end accepts, what it hands the kernel must be sound
 * (fuzz_frontend.c: sorted ranges, a boot FDT the kernel's reader takes,
 * with the same RAM), and the kernel file it names must lie in memory it
 * could read. Information it refuses must still give a sound FDT with
 * baton,loader-error. Any of these failing aborts: a finding.
 *
 * Built with -DFUZZ_SEEDS it is instead the seed writer: information
 * shaped as GRUB 2.06 writes it on BIOS and on UEFI, one file each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_frontend.h"
#include "elf64.h"
#include "multiboot2.h"
#include "boot/multiboot2/mb2boot.h"

#ifndef FUZZ_SEEDS

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct lb_info info;
	static struct mb2_extra x;
	const char *why;

	if (fuzz_mem_set(data, size))
		return 0;
	why = mb2_info_read(MB2_BOOTLOADER_MAGIC, FUZZ_MEM_BASE, &info, &x);
	if (x.image.size && !lb_map(x.image.base, x.image.size)) {
		fprintf(stderr, "baton,image 0x%llx+0x%llx is not memory the front end read\n",
			(unsigned long long)x.image.base, (unsigned long long)x.image.size);
		abort();
	}
	fuzz_frontend_check(&info, x.image, why);
	fuzz_mem_free();
	return 0;
}

#else /* FUZZ_SEEDS */

static u8 seed[0x4000];
static u32 len;

/* A tag: its head, then n bytes of body, padded to 8. */
static void put_tag(u32 type, const void *body, u32 n)
{
	struct mb2_tag head = { type, (u32)sizeof(head) + n };

	memcpy(seed + len, &head, sizeof(head));
	memcpy(seed + len + sizeof(head), body, n);
	len += ALIGN_UP(head.size, (u32)MB2_ALIGN);
}

static void put_string(u32 type, const char *s)
{
	put_tag(type, s, (u32)strlen(s) + 1);
}

/* The start every seed shares: the command line, the loader, the module
 * "baton,image" at 0x2000 of the seed (a Baton-shaped ELF's headers: one
 * PT_LOAD at KERNEL_VBASE, as lib/elf_load.c wants it). */
static void begin(void)
{
	static const struct {
		struct elf64_ehdr eh;
		struct elf64_phdr ph;
	} elf = { { "\177ELF\2\1\1", ET_EXEC, EM_X86_64, 1, 0xffffffff80000000ULL, 64, 0, 0, 64, 56,
		    1, 0, 0, 0 },
		  { PT_LOAD, 5, 0, 0xffffffff80000000ULL, 0x1000000, 0x100, 0x80000, 0x1000 } };
	u32 module[2] = { FUZZ_MEM_BASE + 0x2000, FUZZ_MEM_BASE + 0x3000 };
	u8 body[sizeof(module) + sizeof(MB2_IMAGE_MODULE)];

	memset(seed, 0, sizeof(seed));
	memcpy(seed + 0x2000, &elf, sizeof(elf));
	len = sizeof(struct mb2_info);
	put_string(MB2_TAG_CMDLINE, "ktest=all kexec.chain=3");
	put_string(MB2_TAG_LOADER_NAME, "GRUB 2.06-13+deb12u2");
	memcpy(body, module, sizeof(module));
	memcpy(body + sizeof(module), MB2_IMAGE_MODULE, sizeof(MB2_IMAGE_MODULE));
	put_tag(MB2_TAG_MODULE, body, sizeof(body));
}

static void put(const char *dir, const char *name)
{
	char path[512];
	FILE *f;

	put_tag(MB2_TAG_END, NULL, 0);
	memcpy(seed, &len, sizeof(len));
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(seed, 1, 0x4000, f) != 0x4000) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	/* tag 6 (entry size 24, version 0) as GRUB on SeaBIOS; tag 17
	 * (descriptors of 48 bytes, version 1) as GRUB on OVMF; the tags'
	 * heads are alike. */
	struct {
		u32 size, version;
		struct mb2_mmap_entry e[3];
	} bios = { 24,
		   0,
		   { { 0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0 },
		     { 0x100000, 0x1fee0000, MB2_MEMORY_AVAILABLE, 0 },
		     { 0x1ffe0000, 0x20000, MB2_MEMORY_RESERVED, 0 } } };
	struct {
		u32 size, version;
		struct {
			struct mb2_efi_memdesc d;
			u64 pad;
		} d[3];
	} efi = { 48,
		  1,
		  { { { 7, 0, 0, 0, 0xa0, 0xf }, 0 },
		    { { 4, 0, 0x100000, 0, 0x1000, 0xf }, 0 },
		    { { 6, 0, 0x1100000, 0, 0x10, 0x800000000000000fULL }, 0 } } };
	u8 rsdp[20] = "RSD PTR ";
	u64 systab = FUZZ_MEM_BASE + 0x3000;

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	for (int i = 0; i < 8; i++)
		rsdp[8] -= (u8) "RSD PTR "[i];

	begin();
	put_tag(MB2_TAG_MMAP, &bios, sizeof(bios));
	put_tag(MB2_TAG_ACPI_OLD, rsdp, sizeof(rsdp));
	put(argv[1], "bios");

	begin();
	put_tag(MB2_TAG_MMAP, &bios, sizeof(bios));
	put_tag(MB2_TAG_EFI64, &systab, sizeof(systab));
	put_tag(MB2_TAG_ACPI_NEW, rsdp, sizeof(rsdp));
	put_tag(MB2_TAG_EFI_MMAP, &efi, sizeof(efi));
	memcpy(seed + 0x3000, "IBI SYST", 8); /* no configuration table */
	put(argv[1], "uefi");
	return 0;
}

#endif /* FUZZ_SEEDS */

/*
 * multiboot2.h — the Multiboot2 specification's layouts (version 2.0, as
 * GRUB 2.06 implements it), in one place for both sides of Baton's
 * multiboot2 boot: the header GRUB looks for in baton.elf
 * (arch/x86_64/multiboot2.S, assembly) and the boot information GRUB hands
 * over, which the multiboot2 front end reads (boot/multiboot2/).
 *
 * The facts:
 *   - the header: 8-byte aligned in the first 32 KiB of the file, magic,
 *     architecture, length, and a checksum that makes the four words sum
 *     to 0, then 8-byte aligned tags (u16 type, u16 flags, u32 size), the
 *     last one type 0, size 8;
 *   - the entry: 32-bit protected mode, paging off, flat segments, no
 *     stack, eax = MB2_BOOTLOADER_MAGIC, ebx = the information's physical
 *     address;
 *   - the information: u32 total_size, u32 reserved, then 8-byte aligned
 *     tags (u32 type, u32 size, size not counting the padding), ended by a
 *     tag of type 0, size 8. Everything lies below 4 GiB and is
 *     little-endian.
 * The structures' sizes are pinned below with _Static_assert.
 */
#ifndef BATON_MULTIBOOT2_H
#define BATON_MULTIBOOT2_H

#define MB2_HEADER_MAGIC 0xe85250d6
#define MB2_ARCH_I386 0 /* 32-bit protected mode */
#define MB2_BOOTLOADER_MAGIC 0x36d76289
#define MB2_SEARCH 32768 /* the header lies in the file's first 32 KiB */
#define MB2_ALIGN 8      /* header, header tags and information tags */

/* Header tags. */
#define MB2_HEADER_TAG_END 0
#define MB2_HEADER_TAG_INFO_REQUEST 1 /* u32 tag types the kernel needs */
#define MB2_HEADER_TAG_ENTRY 3        /* u32 physical entry (32-bit) */
#define MB2_HEADER_TAG_FRAMEBUFFER 5  /* u32 width, height, depth: 0 = any */
#define MB2_HEADER_TAG_OPTIONAL 1     /* flags: a loader may ignore the tag */

/* Information tags. */
#define MB2_TAG_END 0
#define MB2_TAG_CMDLINE 1     /* a string */
#define MB2_TAG_LOADER_NAME 2 /* a string */
#define MB2_TAG_MODULE 3      /* u32 start, end, then its string */
#define MB2_TAG_BASIC_MEMINFO 4
#define MB2_TAG_BOOTDEV 5
#define MB2_TAG_MMAP 6 /* u32 entry_size, entry_version, entries */
#define MB2_TAG_VBE 7
#define MB2_TAG_FRAMEBUFFER 8
#define MB2_TAG_ELF_SECTIONS 9
#define MB2_TAG_APM 10
#define MB2_TAG_EFI32 11 /* the EFI system table, 32-bit firmware */
#define MB2_TAG_EFI64 12 /* u64: the EFI system table */
#define MB2_TAG_SMBIOS 13
#define MB2_TAG_ACPI_OLD 14 /* a copy of the ACPI 1.0 RSDP */
#define MB2_TAG_ACPI_NEW 15 /* a copy of the ACPI 2.0 RSDP */
#define MB2_TAG_NETWORK 16
#define MB2_TAG_EFI_MMAP 17 /* u32 descriptor size, version, descriptors */
#define MB2_TAG_EFI_BS 18   /* boot services were not exited */
#define MB2_TAG_EFI32_IH 19
#define MB2_TAG_EFI64_IH 20
#define MB2_TAG_LOAD_BASE_ADDR 21

/* Memory map entry types (the e820 numbers, Linux's too). */
#define MB2_MEMORY_AVAILABLE 1
#define MB2_MEMORY_RESERVED 2
#define MB2_MEMORY_ACPI_RECLAIMABLE 3
#define MB2_MEMORY_NVS 4
#define MB2_MEMORY_BADRAM 5

/* Framebuffer types. */
#define MB2_FRAMEBUFFER_INDEXED 0
#define MB2_FRAMEBUFFER_RGB 1
#define MB2_FRAMEBUFFER_EGA_TEXT 2

#ifndef __ASSEMBLY__

#include "types.h"

struct mb2_info {
	u32 total_size; /* header and tags, end tag included */
	u32 reserved;
};

struct mb2_tag {
	u32 type;
	u32 size; /* header included, padding to 8 not */
};

struct mb2_tag_string { /* MB2_TAG_CMDLINE, MB2_TAG_LOADER_NAME */
	struct mb2_tag tag;
	char string[];
};

struct mb2_tag_module {
	struct mb2_tag tag;
	u32 mod_start;
	u32 mod_end; /* exclusive */
	char string[];
};

struct mb2_mmap_entry {
	u64 base;
	u64 length;
	u32 type;
	u32 zero;
};

struct mb2_tag_mmap {
	struct mb2_tag tag;
	u32 entry_size;    /* 24, or more for later versions */
	u32 entry_version; /* 0 */
	struct mb2_mmap_entry entries[];
};

struct mb2_tag_framebuffer { /* the common part; color info follows */
	struct mb2_tag tag;
	u64 addr;
	u32 pitch;
	u32 width;
	u32 height;
	u8 bpp;
	u8 type;
	u16 reserved;
};

struct mb2_tag_efi64 {
	struct mb2_tag tag;
	u64 pointer;
};

struct mb2_tag_efi_mmap {
	struct mb2_tag tag;
	u32 descr_size;
	u32 descr_version;
	u8 descr[]; /* EFI_MEMORY_DESCRIPTORs, descr_size apart */
};

/* The part of an EFI_MEMORY_DESCRIPTOR read here (UEFI 2.x). */
struct mb2_efi_memdesc {
	u32 type;
	u32 pad;
	u64 phys_start;
	u64 virt_start;
	u64 pages; /* of 4 KiB */
	u64 attribute;
};

_Static_assert(sizeof(struct mb2_info) == 8, "multiboot2 information header");
_Static_assert(sizeof(struct mb2_tag) == 8, "multiboot2 tag header");
_Static_assert(sizeof(struct mb2_tag_module) == 16, "module tag: the string at 16");
_Static_assert(sizeof(struct mb2_mmap_entry) == 24, "memory map entry version 0");
_Static_assert(sizeof(struct mb2_tag_mmap) == 16, "mmap tag: entries at 16");
_Static_assert(sizeof(struct mb2_tag_framebuffer) == 32, "framebuffer tag: color info at 32");
_Static_assert(sizeof(struct mb2_tag_efi64) == 16, "EFI64 tag");
_Static_assert(sizeof(struct mb2_tag_efi_mmap) == 16, "EFI mmap tag: descriptors at 16");
_Static_assert(sizeof(struct mb2_efi_memdesc) == 40, "EFI memory descriptor, version 1");
_Static_assert(__builtin_offsetof(struct mb2_tag_efi_mmap, descr_size) ==
			       __builtin_offsetof(struct mb2_tag_mmap, entry_size) &&
		       __builtin_offsetof(struct mb2_tag_efi_mmap, descr) ==
			       __builtin_offsetof(struct mb2_tag_mmap, entries),
	       "tags 6 and 17 start alike: an entry size, then a version, then entries");

#endif
#endif

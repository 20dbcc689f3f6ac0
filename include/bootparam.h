/*
 * bootparam.h — the Linux x86 boot protocol's layouts, in one place for both
 * directions: Baton's bzImage front end (boot/linux/) reads a boot_params a
 * loader filled in; Baton kexecing a Linux bzImage will fill one in.
 *
 * The facts are Linux's (Documentation/arch/x86/boot.rst and zero-page.rst,
 * arch/x86/include/uapi/asm/bootparam.h and setup_data.h of Linux 7.3):
 *
 *   - a bzImage starts with the real-mode setup: (setup_sects + 1) sectors
 *     of 512 bytes, the first one a boot sector whose bytes 0x1f1.. are the
 *     setup header (struct setup_header, "HdrS" at 0x202); the protected-mode
 *     part follows, its 32-bit entry at offset 0 and its 64-bit entry at
 *     0x200;
 *   - struct boot_params (the "zero page", 4 KiB) is what a loader hands the
 *     kernel: a copy of the setup header at 0x1f1, the e820 memory map,
 *     pointers to the command line and the initrd, and the 64-bit physical
 *     address of a chain of struct setup_data (more e820 entries, the RNG
 *     seed, Kexec HandOver's FDT and scratch, ...);
 *   - everything is little-endian, fields are packed at fixed offsets.
 *
 * The offsets are pinned below with _Static_assert: a field moved by one
 * byte breaks every loader. The constants are also visible to assembly
 * (boot/linux/header.S writes the setup header).
 */
#ifndef BATON_BOOTPARAM_H
#define BATON_BOOTPARAM_H

/* The setup header's values (boot.rst, "Details of Header Fields"). */
#define BP_HDR_OFFSET 0x1f1     /* the setup header inside a boot_params / a bzImage */
#define BP_HDR_MAGIC 0x53726448 /* "HdrS" at 0x202 */
#define BP_BOOT_FLAG 0xaa55     /* at 0x1fe */
#define BP_SECTOR 512
#define BP_DEFAULT_SETUP_SECTS 4  /* what setup_sects == 0 means */
#define BP_STARTUP64_OFFSET 0x200 /* 64-bit entry, from the protected-mode start */
#define BP_HIGH_LOAD 0x100000     /* where a bzImage's protected-mode part loads by default */

/* loadflags */
#define LOADED_HIGH (1 << 0) /* a bzImage: protected mode at 0x100000 */
#define KASLR_FLAG (1 << 1)
#define QUIET_FLAG (1 << 5)
#define KEEP_SEGMENTS (1 << 6)
#define CAN_USE_HEAP (1 << 7) /* heap_end_ptr is valid */

/* xloadflags */
#define XLF_KERNEL_64 (1 << 0)              /* the 64-bit entry at 0x200 exists */
#define XLF_CAN_BE_LOADED_ABOVE_4G (1 << 1) /* kernel, boot_params, cmdline, initrd */
#define XLF_EFI_HANDOVER_32 (1 << 2)
#define XLF_EFI_HANDOVER_64 (1 << 3)
#define XLF_EFI_KEXEC (1 << 4)
#define XLF_5LEVEL (1 << 5) /* may be entered with 5-level paging on */

/* e820 types (zero-page.rst and Linux's e820/types.h). */
#define E820_TYPE_RAM 1
#define E820_TYPE_RESERVED 2
#define E820_TYPE_ACPI 3 /* ACPI tables: RAM once they are read */
#define E820_TYPE_NVS 4  /* ACPI non-volatile storage */
#define E820_TYPE_UNUSABLE 5
#define E820_TYPE_PMEM 7  /* persistent memory */
#define E820_TYPE_PRAM 12 /* legacy persistent memory */
#define E820_MAX_ENTRIES_ZEROPAGE 128

/* setup_data types (setup_data.h). */
#define SETUP_NONE 0
#define SETUP_E820_EXT 1 /* more struct boot_e820_entry */
#define SETUP_DTB 2
#define SETUP_PCI 3
#define SETUP_EFI 4 /* the EFI runtime map a kexec passes on */
#define SETUP_APPLE_PROPERTIES 5
#define SETUP_JAILHOUSE 6
#define SETUP_CC_BLOB 7
#define SETUP_IMA 8
#define SETUP_RNG_SEED 9   /* random bytes for the next kernel */
#define SETUP_KEXEC_KHO 10 /* struct kho_data */
#define SETUP_ENUM_MAX SETUP_KEXEC_KHO
#define SETUP_INDIRECT (1U << 31) /* data is a struct setup_indirect */
#define SETUP_TYPE_MAX (SETUP_ENUM_MAX | SETUP_INDIRECT)

/* boot_params.efi_info.efi_loader_signature: "EL64" / "EL32". */
#define EFI64_LOADER_SIGNATURE 0x34364c45
#define EFI32_LOADER_SIGNATURE 0x32334c45

/* kernel_info (boot.rst, protocol 2.15): "LToP". */
#define KERNEL_INFO_MAGIC 0x506f544c

#ifndef __ASSEMBLY__

#include "compiler.h"
#include "types.h"

struct setup_header {
	u8 setup_sects; /* 0x1f1: setup sectors after the boot sector */
	u16 root_flags;
	u32 syssize; /* protected-mode part, in 16-byte units */
	u16 ram_size;
	u16 vid_mode;
	u16 root_dev;
	u16 boot_flag; /* 0xaa55 */
	u16 jump;      /* 0x200: a short jump; its second byte + 0x202 ends the header */
	u32 header;    /* "HdrS" */
	u16 version;   /* 0x020f is 2.15 */
	u32 realmode_swtch;
	u16 start_sys_seg;
	u16 kernel_version; /* version string's offset in the setup, less 0x200 */
	u8 type_of_loader;  /* written by the loader: 0x72 GRUB 2, 0xd0 kexec, ... */
	u8 loadflags;
	u16 setup_move_size;
	u32 code32_start; /* where the loader put the protected-mode part */
	u32 ramdisk_image;
	u32 ramdisk_size;
	u32 bootsect_kludge;
	u16 heap_end_ptr;
	u8 ext_loader_ver;
	u8 ext_loader_type;
	u32 cmd_line_ptr;
	u32 initrd_addr_max;
	u32 kernel_alignment;
	u8 relocatable_kernel;
	u8 min_alignment; /* log2 */
	u16 xloadflags;
	u32 cmdline_size; /* longest command line, without its NUL */
	u32 hardware_subarch;
	u64 hardware_subarch_data;
	u32 payload_offset; /* from the protected-mode start */
	u32 payload_length;
	u64 setup_data; /* physical address of the first struct setup_data */
	u64 pref_address;
	u32 init_size; /* bytes from the load address needed before the memory map is read */
	u32 handover_offset;
	u32 kernel_info_offset; /* from the protected-mode start */
} __packed;

struct boot_e820_entry {
	u64 addr;
	u64 size;
	u32 type;
} __packed;

struct efi_info {
	u32 efi_loader_signature; /* "EL64" */
	u32 efi_systab;
	u32 efi_memdesc_size;
	u32 efi_memdesc_version;
	u32 efi_memmap;
	u32 efi_memmap_size;
	u32 efi_systab_hi;
	u32 efi_memmap_hi;
} __packed;

/* The zero page. Fields Baton does not read are kept as opaque bytes. */
/* The zero page's offsets in one column: not formatted by clang-format. */
/* clang-format off */
struct boot_params {
	u8 screen_info[0x40];            /* 0x000 */
	u8 apm_bios_info[0x14];          /* 0x040 */
	u8 _pad2[4];                     /* 0x054 */
	u64 tboot_addr;                  /* 0x058 */
	u8 ist_info[0x10];               /* 0x060 */
	u64 acpi_rsdp_addr;              /* 0x070 */
	u8 _pad3[8];                     /* 0x078 */
	u8 hd0_info[16];                 /* 0x080 */
	u8 hd1_info[16];                 /* 0x090 */
	u8 sys_desc_table[16];           /* 0x0a0 */
	u8 olpc_ofw_header[16];          /* 0x0b0 */
	u32 ext_ramdisk_image;           /* 0x0c0: bits 32..63 of hdr.ramdisk_image */
	u32 ext_ramdisk_size;            /* 0x0c4 */
	u32 ext_cmd_line_ptr;            /* 0x0c8 */
	u8 _pad4[112];                   /* 0x0cc */
	u32 cc_blob_address;             /* 0x13c */
	u8 edid_info[0x80];              /* 0x140 */
	struct efi_info efi_info;        /* 0x1c0 */
	u32 alt_mem_k;                   /* 0x1e0 */
	u32 scratch;                     /* 0x1e4: the 32-bit entry's first stack */
	u8 e820_entries;                 /* 0x1e8 */
	u8 eddbuf_entries;               /* 0x1e9 */
	u8 edd_mbr_sig_buf_entries;      /* 0x1ea */
	u8 kbd_status;                   /* 0x1eb */
	u8 secure_boot;                  /* 0x1ec */
	u8 _pad5[2];                     /* 0x1ed */
	u8 sentinel;                     /* 0x1ef: non-zero when a loader copied too much */
	u8 _pad6[1];                     /* 0x1f0 */
	struct setup_header hdr;         /* 0x1f1 */
	u8 _pad7[0x290 - 0x1f1 - sizeof(struct setup_header)];
	u32 edd_mbr_sig_buffer[16];      /* 0x290 */
	struct boot_e820_entry e820_table[E820_MAX_ENTRIES_ZEROPAGE]; /* 0x2d0 */
	u8 _pad8[48];                    /* 0xcd0 */
	u8 eddbuf[6 * 82];               /* 0xd00 */
	u8 _pad9[276];                   /* 0xeec */
} __packed;
/* clang-format on */

/* A node of the setup_data chain: next is a physical address, 0 ends it;
 * len bytes of data follow the 16-byte head. */
struct setup_data {
	u64 next;
	u32 type;
	u32 len;
	u8 data[];
} __packed;

/* The data of a SETUP_INDIRECT node: type is SETUP_INDIRECT | SETUP_*. */
struct setup_indirect {
	u32 type;
	u32 reserved;
	u64 len;
	u64 addr;
} __packed;

/* SETUP_KEXEC_KHO: where the Kexec HandOver root FDT and the scratch array
 * ({u64 addr; u64 size} each) are (Linux 7.3, setup_data.h). */
struct kho_data {
	u64 fdt_addr;
	u64 fdt_size;
	u64 scratch_addr;
	u64 scratch_size;
} __packed;

/* kernel_info: in the protected-mode part, at hdr.kernel_info_offset. */
struct kernel_info {
	u32 header;     /* "LToP" */
	u32 size;       /* the fixed part, header included */
	u32 size_total; /* with the variable part */
	u32 setup_type_max;
} __packed;

_Static_assert(sizeof(struct setup_header) == 0x26c - 0x1f1, "setup header: 0x1f1..0x26c");
_Static_assert(__builtin_offsetof(struct setup_header, jump) == 0x200 - 0x1f1, "jump at 0x200");
_Static_assert(__builtin_offsetof(struct setup_header, code32_start) == 0x214 - 0x1f1, "0x214");
_Static_assert(__builtin_offsetof(struct setup_header, cmd_line_ptr) == 0x228 - 0x1f1, "0x228");
_Static_assert(__builtin_offsetof(struct setup_header, xloadflags) == 0x236 - 0x1f1, "0x236");
_Static_assert(__builtin_offsetof(struct setup_header, setup_data) == 0x250 - 0x1f1, "0x250");
_Static_assert(__builtin_offsetof(struct setup_header, init_size) == 0x260 - 0x1f1, "0x260");
_Static_assert(__builtin_offsetof(struct setup_header, kernel_info_offset) == 0x268 - 0x1f1,
	       "0x268");
_Static_assert(sizeof(struct boot_e820_entry) == 20, "an e820 entry is 20 bytes");
_Static_assert(sizeof(struct boot_params) == 4096, "the zero page is one page");
_Static_assert(__builtin_offsetof(struct boot_params, acpi_rsdp_addr) == 0x070, "0x070");
_Static_assert(__builtin_offsetof(struct boot_params, ext_ramdisk_image) == 0x0c0, "0x0c0");
_Static_assert(__builtin_offsetof(struct boot_params, ext_cmd_line_ptr) == 0x0c8, "0x0c8");
_Static_assert(__builtin_offsetof(struct boot_params, efi_info) == 0x1c0, "0x1c0");
_Static_assert(__builtin_offsetof(struct boot_params, scratch) == 0x1e4, "0x1e4");
_Static_assert(__builtin_offsetof(struct boot_params, e820_entries) == 0x1e8, "0x1e8");
_Static_assert(__builtin_offsetof(struct boot_params, sentinel) == 0x1ef, "0x1ef");
_Static_assert(__builtin_offsetof(struct boot_params, hdr) == BP_HDR_OFFSET, "0x1f1");
_Static_assert(__builtin_offsetof(struct boot_params, e820_table) == 0x2d0, "0x2d0");
_Static_assert(__builtin_offsetof(struct boot_params, eddbuf) == 0xd00, "0xd00");
_Static_assert(sizeof(struct setup_data) == 16, "setup_data head is 16 bytes");
_Static_assert(sizeof(struct setup_indirect) == 24, "setup_indirect is 24 bytes");
_Static_assert(sizeof(struct kho_data) == 32, "kho_data is four u64");

#endif /* __ASSEMBLY__ */

#endif

/*
 * header.S — the real-mode setup of build/x86_64/bzImage: the first
 * (SETUP_SECTS + 1) sectors of the file, which loaders read first
 * (Documentation/arch/x86/boot.rst, boot protocol 2.15).
 *
 *   0x000  a boot sector that only says this is not one
 *   0x1ef  the sentinel (0xff): a loader that copies this whole sector into
 *          its boot_params instead of the header alone gets it too, and the
 *          front end then ignores the fields such a copy fills with junk
 *   0x1f1  the setup header (include/bootparam.h's struct setup_header);
 *          the values the Makefile computes from the protected-mode part's
 *          link (syssize, init_size, payload, kernel_info) come in as -D
 *   0x26c  the 16-bit entry, where the jump at 0x200 lands: loaders that
 *          start a kernel in real mode (QEMU's -kernel under SeaBIOS,
 *          GRUB's linux16) come here with cs = setup segment + 0x20. It
 *          makes a zeroed boot_params of its own (boot.rst asks loaders to
 *          hand the 32-bit entry a clean one), copies in the header the
 *          loader filled, asks the BIOS for the e820 map (int 0x15,
 *          eax 0xe820), opens A20 and jumps to the 32-bit entry at
 *          code32_start in flat protected mode, esi = that boot_params,
 *          as boot.rst's 32-bit protocol says.
 *
 * Everything here is addressed from the setup segment, so the setup runs
 * wherever the loader put it in the first MiB.
 */
#include "bootparam.h"

#define SMAP 0x534d4150
#define BP_E820_ENTRIES 0x1e8
#define BP_E820_TABLE 0x2d0
#define SETUP_SECTS 12                  /* 13 sectors: up to 6.5 KiB */

	.code16
	.section .setup, "ax"
	.globl _setup_start
_setup_start:
	/* Booted as a boot sector (0x7c00): say so through the BIOS, stop. */
	ljmp	$0x07c0, $1f
1:	mov	%cs, %ax
	mov	%ax, %ds
	mov	$bs_msg, %si
	cld
2:	lodsb
	test	%al, %al
	jz	3f
	mov	$0x0e, %ah
	mov	$7, %bx
	int	$0x10
	jmp	2b
3:	cli
	hlt
	jmp	3b
bs_msg:
	.asciz	"Baton's bzImage is not a boot sector: boot it with a boot loader (GRUB's `linux`).\r\n"

	.org	0x1ef
	.byte	0xff                            /* sentinel */

	.org	BP_HDR_OFFSET
hdr:
setup_sects:		.byte	SETUP_SECTS
root_flags:		.word	0
syssize:		.long	SYSSIZE
ram_size:		.word	0
vid_mode:		.word	0xffff          /* "normal" */
root_dev:		.word	0
boot_flag:		.word	BP_BOOT_FLAG
	/* 0x200: the 16-bit entry jumps over the header; this byte + 0x202
	 * is also where the header ends. */
jump:			.byte	0xeb, hdr_end - 0x202
header:			.long	BP_HDR_MAGIC
version:		.word	0x020f
realmode_swtch:		.long	0
start_sys_seg:		.word	0x1000
kernel_version:		.word	version_string - 0x200
type_of_loader:		.byte	0
loadflags:		.byte	LOADED_HIGH
setup_move_size:	.word	0x8000
code32_start:		.long	BP_HIGH_LOAD
ramdisk_image:		.long	0
ramdisk_size:		.long	0
bootsect_kludge:	.long	0
heap_end_ptr:		.word	0
ext_loader_ver:		.byte	0
ext_loader_type:	.byte	0
cmd_line_ptr:		.long	0
initrd_addr_max:	.long	0x7fffffff
kernel_alignment:	.long	0x200000
relocatable_kernel:	.byte	1
min_alignment:		.byte	12              /* the front end moves the kernel itself */
xloadflags:		.word	XLF_KERNEL_64 | XLF_CAN_BE_LOADED_ABOVE_4G
cmdline_size:		.long	CMDLINE_SIZE
hardware_subarch:	.long	0
hardware_subarch_data:	.quad	0
payload_offset:		.long	PAYLOAD_OFFSET  /* the kernel ELF, uncompressed */
payload_length:		.long	PAYLOAD_LENGTH
setup_data:		.quad	0
pref_address:		.quad	0x1000000
init_size:		.long	INIT_SIZE
handover_offset:	.long	0
kernel_info_offset:	.long	KERNEL_INFO_OFFSET
hdr_end:

	/* The 16-bit entry. */
	cli
	cld
	mov	%cs, %ax
	sub	$0x20, %ax
	mov	%ax, %ds
	mov	%ax, %es
	mov	%ax, %ss
	mov	$rm_stack_top, %sp

	/* Our boot_params: zero in the file; the header as the loader left it. */
	mov	$BP_HDR_OFFSET, %si
	mov	$(bp_buf + BP_HDR_OFFSET), %di
	mov	$(hdr_end - hdr), %cx
	rep movsb

	/* The e820 map, at most 128 entries of 20 bytes. */
	xor	%ebx, %ebx
	mov	$(bp_buf + BP_E820_TABLE), %di
	xor	%bp, %bp
4:	mov	$0xe820, %eax
	mov	$20, %ecx
	mov	$SMAP, %edx
	int	$0x15
	jc	5f
	cmp	$SMAP, %eax
	jne	5f
	inc	%bp
	add	$20, %di
	cmp	$E820_MAX_ENTRIES_ZEROPAGE, %bp
	jae	5f
	test	%ebx, %ebx
	jnz	4b
5:	mov	%bp, %ax
	mov	%al, (bp_buf + BP_E820_ENTRIES)

	/* A20 through the fast gate (port 0x92 bit 1; bit 0 would reset). */
	in	$0x92, %al
	or	$2, %al
	and	$0xfe, %al
	out	%al, $0x92

	/* Linear addresses: ours, the boot_params, the GDT, the 32-bit code. */
	cli
	xor	%eax, %eax
	mov	%ds, %ax
	shl	$4, %eax
	lea	bp_buf(%eax), %esi
	lea	rm_gdt(%eax), %edx
	mov	%edx, (rm_gdt_desc + 2)
	lea	rm_pm32(%eax), %edx
	mov	%edx, (rm_pm_jump + 2)
	lgdtl	rm_gdt_desc
	mov	%cr0, %eax
	or	$1, %eax
	mov	%eax, %cr0
rm_pm_jump:
	.byte	0x66, 0xea                      /* ljmpl $0x10, $rm_pm32 (linear) */
	.long	0
	.word	0x10

	.code32
rm_pm32:
	mov	$0x18, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	mov	%eax, %fs
	mov	%eax, %gs
	xor	%ebp, %ebp
	xor	%edi, %edi
	xor	%ebx, %ebx
	jmp	*(BP_HDR_OFFSET + 0x214 - 0x1f1)(%esi)  /* hdr.code32_start */

	.balign	8
rm_gdt:
	.quad	0
	.quad	0
	.quad	0x00cf9a000000ffff              /* 0x10: 32-bit code, flat */
	.quad	0x00cf92000000ffff              /* 0x18: data, flat */
rm_gdt_end:
rm_gdt_desc:
	.word	rm_gdt_end - rm_gdt - 1
	.long	0

version_string:
	.asciz	VERSION_STRING

	.balign	16
bp_buf:
	.fill	4096, 1, 0
	.fill	1024, 1, 0
rm_stack_top:

	.org	(SETUP_SECTS + 1) * BP_SECTOR

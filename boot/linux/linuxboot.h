/*
 * linuxboot.h — the bzImage front end (boot/linux/): Baton booted through
 * the Linux x86 boot protocol, by any loader that boots Linux (GRUB's
 * `linux`, QEMU's -kernel, Linux's kexec_file_load). The protected-mode
 * part of build/x86_64/bzImage is this front end plus Baton's own kernel
 * ELF as its payload; the front end turns the loader's boot_params into the
 * boot FDT of docs/design.md section 3 and enters _start like every other path.
 *
 * The pieces, one concept a file:
 *   header.S     the real-mode setup: the setup header loaders read, and a
 *                16-bit entry that fetches the e820 map and goes to 32 bits
 *   entry.S      the 32-bit entry (offset 0), the 64-bit entry (0x200);
 *                both end in lb_main with our stack
 *   longmode.S   from 32-bit protected mode into long mode (longmode.h)
 *   vectors.S    the fault vectors
 *   bzimage.ld   the protected-mode part and the init_size window
 *   payload.S    the kernel ELF inside it
 *   main.c       lb_main: the steps in order
 *   cpu.c        our relocations, the canary, SSE, the fault vectors' IDT,
 *                and the jump into the kernel (lb_enter)
 *   idmap.c      our own identity map, 0..4 GiB plus what we read above it
 *   serial.c     lines on COM1 (lb_note), and the stop for what cannot
 *                reach the kernel (lb_stop)
 *   e820.c       e820 entries into RAM and reservation ranges
 *   bootparams.c boot_params and its setup_data chain into struct lb_info
 *   cmdline.c    a command line into struct lb_info, cut to the kernel's size,
 *                and the front ends' own keys on it
 *   rsdp.c       the ACPI RSDP: from boot_params, EFI or the BIOS area
 *   place.c      where the kernel and its FDT go
 *   fdt.c        struct lb_info into the boot FDT
 *
 * bootparams.c, cmdline.c, e820.c, rsdp.c, place.c and fdt.c are plain C
 * that reach physical memory only through lb_map() and speak only through
 * lb_note(), so the host unit tests (tests/host/test_linuxboot.c) and a
 * fuzzer (tests/fuzz/fuzz_bootparams.c) run them as they are against a
 * fake physical memory. linux.mk builds it all; docs/bzimage.md tells
 * it. The multiboot2 front end (boot/multiboot2/) is the same program
 * with another entry and another reader: every piece here but header.S,
 * entry.S, bzimage.ld, payload.S, main.c, bootparams.c and place.c is
 * linked into it as it is.
 */
#ifndef BATON_LINUXBOOT_H
#define BATON_LINUXBOOT_H

#include "bootparam.h"
#include "cmdline.h"
#include "types.h"

#define LB_FDT_SIZE (64 * 1024)        /* the boot FDT we write */
#define LB_MAX_E820 512                /* entries read: the zero page's and SETUP_E820_EXT's */
#define LB_MAX_RANGES 128              /* RAM or reserved ranges after sorting them out */
#define LB_MAX_SETUP 64                /* setup_data nodes followed before giving up */
#define LB_MAX_BUSY (8 + LB_MAX_SETUP) /* ranges the loader filled that we must not overwrite */
#define LB_MAX_SCRATCH 16              /* KHO scratch areas considered when placing */
#define LB_4G 0x100000000ULL

struct lb_range {
	u64 base;
	u64 size;
};

/* Everything the front end takes from a boot_params, read before anything
 * is written. Each range list is sorted by base and has no overlaps. */
struct lb_info {
	const char *loader;           /* /chosen/baton,loader: "bzimage-x86_64", ... */
	const char *model;            /* the root's model: which way the PC booted */
	u64 bp;                       /* where the boot_params is */
	u8 loader_type;               /* hdr.type_of_loader */
	char cmdline[CMDLINE_MAX];    /* bootargs, cut between words when too long */
	u64 initrd_base, initrd_size; /* size 0: none */
	bool kho;                     /* a SETUP_KEXEC_KHO entry was taken */
	struct kho_data kho_data;
	u64 rsdp;                           /* 0: none found */
	struct lb_range ram[LB_MAX_RANGES]; /* RAM the kernel may own (/memory) */
	int nr_ram;
	struct lb_range resv[LB_MAX_RANGES]; /* RAM the firmware keeps (memreserve) */
	int nr_resv;
	struct lb_range busy[LB_MAX_BUSY]; /* what the loader put in memory, unsorted */
	int nr_busy;
	struct lb_range scratch[LB_MAX_SCRATCH]; /* KHO scratch, from the handover's array */
	int nr_scratch;
};

/* --- provided by the front end (idmap.c, serial.c), or by the host tests --- */

/* A pointer through which [pa, pa + len) can be read and written, or NULL
 * when it cannot be reached (wraps, or no table left to map it). */
void *lb_map(u64 pa, u64 len);

/* One line on the console, "<lb_name>: " and a newline added. */
__printf(1, 2) void lb_note(const char *fmt, ...);

/* --- the front end only (cpu.c, idmap.c, serial.c) --- */

/* Relocations, canary, SSE, fault vectors; base is our load address. */
void lb_cpu_init(u64 base);
/* Our identity map, with our window [win, win + win_size) in it; NULL, or
 * why it cannot be made. */
const char *lb_idmap_init(u64 win, u64 win_size);
/* The front end's name, which starts its lines (serial.c): "bzimage",
 * "multiboot2"; each front end's main sets it once relocated. */
extern const char *lb_name;
/* A line saying why, then halt: for what cannot reach the kernel. */
__noreturn void lb_stop(const char *why);
/* Into the kernel (docs/design.md section 3): cli, rdi = fdt, rsi = 0, jump to
 * entry, under our identity map, which covers the kernel, its FDT and us. */
__noreturn void lb_enter(u64 entry, u64 fdt);

/* --- e820.c --- */

/* The entries (n of them) sorted out: RAM is types 1, 3, 4 and 7 (as the EFI
 * loader counts RAM), of which 3 and 4 (ACPI) are also reserved; anything
 * else is a hole, and a hole wins where entries overlap. RAM ranges are
 * trimmed to whole pages, reservations widened to them. Entries of size 0
 * are skipped, and entries that run past 2^52 (where x86 physical
 * addresses end) or wrap past 2^64 too, each with a line.
 * Returns false (and a line) when more ranges come out than fit. */
bool e820_sort_out(const struct boot_e820_entry *e, int n, struct lb_info *out);
/* e820_sort_out, then whether the boot can go on: NULL, or why not (more
 * ranges than fit, no RAM at all). */
const char *e820_use(const struct boot_e820_entry *e, int n, struct lb_info *out);

/* --- cmdline.c --- */

/* The command line s (len bytes, then a byte that may be written: its NUL,
 * or where a scan stopped) into out->cmdline, cut between words to the
 * kernel's CMDLINE_MAX as the EFI loader cuts it (boot/efi/bootargs.c),
 * with a line when it is cut. s is changed in place. */
void lb_cmdline_take(char *s, size_t len, struct lb_info *out);
/* Is word (a whole "key" or "key=value") on the command line? */
bool lb_cmdline_has(const char *line, const char *word);

/* --- bootparams.c --- */

/* Read the boot_params at bp_pa into *out. Returns NULL, or why the boot
 * cannot go on (out is still filled as far as it could be, for the line). */
const char *bootparams_read(u64 bp_pa, struct lb_info *out);

/* --- rsdp.c --- */

/* The ACPI RSDP: boot_params.acpi_rsdp_addr when it holds a valid one
 * (trust_bp: the sentinel did not void it), else the EFI system table's
 * configuration table (efi_info, "EL64"), else the legacy BIOS areas (the
 * EBDA's first KiB, 0xe0000-0xfffff). 0 when there is none. */
u64 rsdp_find(const struct boot_params *bp, bool trust_bp);
/* Is there an RSDP at pa ("RSD PTR " and the ACPI 1.0 checksum)? */
bool rsdp_valid(u64 pa);
/* The RSDP the EFI system table at systab lists: its ACPI 2.0 entry, else
 * its ACPI 1.0 one; 0 when none is valid. */
u64 rsdp_from_efi(u64 systab);
/* The RSDP in the legacy BIOS areas, or 0. */
u64 rsdp_from_bios(void);

/* --- place.c --- */

/* Where the kernel (span bytes) and its FDT go: a 2 MiB-aligned slot below
 * 4 GiB for span rounded to pages plus LB_FDT_SIZE. First choice: the first
 * 2 MiB boundary in our window after the file (win_file bytes from win),
 * when the slot ends before the front end's work area (win_work) and
 * nothing the loader put in memory is there. Else the lowest slot in RAM
 * (in KHO scratch on a KHO boot) clear of the whole window (win_size) and
 * of everything the loader put in memory. 0 when there is none. */
u64 place_kernel(const struct lb_info *info, u64 win, u64 win_file, u64 win_work, u64 win_size,
		 u64 span);

/* --- fdt.c --- */

/* The boot FDT (docs/design.md section 3) into buf (size bytes), for a kernel
 * whose pristine ELF file is at image (baton,image; none when image.size
 * is 0), as info->loader says it was booted. why, when not NULL,
 * is written as /chosen/baton,loader-error: the kernel stops with it. info
 * may then be partly filled. Returns 0 or a libfdt error. */
int lb_fdt_build(void *buf, int size, const struct lb_info *info, struct lb_range image,
		 const char *why);
/* lb_fdt_build into LB_FDT_SIZE bytes at buf; a tree too big for that is
 * said on the console and written again without memory, saying so in
 * baton,loader-error (the kernel stops with it). 0, or a libfdt error when
 * not even that could be written. */
int lb_fdt_write(void *buf, struct lb_info *info, struct lb_range image, const char *why);

#endif

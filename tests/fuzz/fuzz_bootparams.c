/*
 * fuzz_bootparams.c — libFuzzer target over the bzImage front end's reading
 * of a loader's boot_params (boot/linux/: bootparams.c, e820.c, rsdp.c,
 * place.c, fdt.c), as tests/host/test_linuxboot.c runs it, with any bytes.
 *
 * An input is physical memory from MEM_BASE (fuzz_frontend.h): the
 * boot_params at its start, every pointer in it (command line, setup_data,
 * EFI system table, KHO scratch array) free to point into the input or
 * anywhere else. For a boot_params the front end accepts:
 *   - /memory and the reservations come out sorted, disjoint, page-aligned;
 *   - the boot FDT it writes is one the kernel's own reader accepts
 *     (bootfdt_check), with the same RAM in /memory (fuzz_frontend.c);
 *   - place_kernel's slot, when there is one, is 2 MiB-aligned, below
 *     4 GiB, in RAM and clear of everything the loader put in memory.
 * Any of these failing aborts: a finding. For one it refuses, the FDT with
 * baton,loader-error must still be sound.
 *
 * Built with -DFUZZ_SEEDS it is instead the seed writer: boot_params
 * shaped as GRUB, QEMU and Linux's kexec fill them in, one file each.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_frontend.h"

#define MEM_BASE FUZZ_MEM_BASE
#define SZ_2M 0x200000ULL

#ifndef FUZZ_SEEDS

static void check_place(const struct lb_info *info)
{
	/* A window below 4 GiB and one above, as GRUB and kexec put it. */
	static const u64 wins[] = { 0x1600000, 0x17e0000, 0x1ff000000ULL };
	u64 span = 0x6a000, need = span + LB_FDT_SIZE;

	for (size_t w = 0; w < sizeof(wins) / sizeof(wins[0]); w++) {
		u64 s = place_kernel(info, wins[w], 0x27000, 0x2a0000, 0x2c6000, span);
		bool in_ram = false;

		if (!s)
			continue;
		if (s & (SZ_2M - 1) || s + need > LB_4G)
			abort();
		for (int i = 0; i < info->nr_busy; i++)
			if (s < info->busy[i].base + info->busy[i].size &&
			    info->busy[i].base < s + need)
				abort();
		for (int i = 0; i < info->nr_ram; i++)
			in_ram |= info->ram[i].base <= s &&
				  s + need <= info->ram[i].base + info->ram[i].size;
		/* The window's own slot is trusted to be RAM (the loader gave
		 * it); any other must be. */
		if (!in_ram && (s < wins[w] || s >= wins[w] + 0x2c6000))
			abort();
	}
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	static struct lb_info info;
	const struct lb_range image = { 0x1009000, 0x1d000 };
	const char *why;

	if (fuzz_mem_set(data, size))
		return 0;
	why = bootparams_read(MEM_BASE, &info);
	if (!why)
		check_place(&info);
	fuzz_frontend_check(&info, image, why);
	fuzz_mem_free();
	return 0;
}

#else /* FUZZ_SEEDS */

static u8 seed[0x8000];

static struct boot_params *bp_new(void)
{
	struct boot_params *bp = (void *)seed;

	memset(seed, 0, sizeof(seed));
	bp->hdr.header = BP_HDR_MAGIC;
	bp->hdr.version = 0x020f;
	bp->hdr.type_of_loader = 0x72;
	bp->e820_table[bp->e820_entries++] = (struct boot_e820_entry){ 0, 0x9fc00, E820_TYPE_RAM };
	bp->e820_table[bp->e820_entries++] = (struct boot_e820_entry){ 0x9fc00, 0x400, 2 };
	bp->e820_table[bp->e820_entries++] = (struct boot_e820_entry){ 0x100000, 0x1fee0000, 1 };
	bp->e820_table[bp->e820_entries++] = (struct boot_e820_entry){ 0x1ffe0000, 0x20000, 3 };
	strcpy((char *)seed + 0x1000, "BOOT_IMAGE=/bzImage ktest=all kexec.chain=3");
	bp->hdr.cmd_line_ptr = MEM_BASE + 0x1000;
	return bp;
}

/* A setup_data node at offset off of the seed, pointing at next (0: last). */
static void node(u64 off, u64 next, u32 type, u32 len, const void *data)
{
	struct setup_data *s = (void *)(seed + off);

	s->next = next ? MEM_BASE + next : 0;
	s->type = type;
	s->len = len;
	memcpy(s->data, data, len);
}

static void put(const char *dir, const char *name, size_t len)
{
	char path[512];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "wb");
	if (!f || fwrite(seed, 1, len, f) != len) {
		perror(path);
		exit(1);
	}
	fclose(f);
}

int main(int argc, char **argv)
{
	struct boot_params *bp;
	struct boot_e820_entry ext[2] = { { 0x100000000ULL, 0x40000000, 1 },
					  { 0x140000000ULL, 0x1000, 4 } };
	struct kho_data kho = { 0x1100000, 0x1000, MEM_BASE + 0x3000, 32 };
	u64 scratch[4] = { 0x1200000, 0x1000000, 0x100000000ULL, 0x2000000 };
	u8 rng[32] = { 1, 2, 3 };

	if (argc != 2) {
		fprintf(stderr, "usage: %s DIR\n", argv[0]);
		return 2;
	}
	bp_new();
	put(argv[1], "grub", 0x2000);

	bp = bp_new(); /* the sentinel set, ext fields junk */
	bp->sentinel = 0xff;
	bp->ext_cmd_line_ptr = 0xdeadbeef;
	put(argv[1], "sentinel", 0x2000);

	bp = bp_new(); /* Linux's kexec: RSDP, E820_EXT, KHO, RNG, EFI */
	bp->acpi_rsdp_addr = MEM_BASE + 0x4000;
	memcpy(seed + 0x4000, "RSD PTR ", 8);
	seed[0x4000 + 8] = (u8) - (0x52 + 0x53 + 0x44 + 0x20 + 0x50 + 0x54 + 0x52 + 0x20);
	memcpy(seed + 0x3000, scratch, sizeof(scratch));
	bp->hdr.setup_data = MEM_BASE + 0x2000;
	node(0x2000, 0x2100, SETUP_E820_EXT, sizeof(ext), ext);
	node(0x2100, 0x2200, SETUP_KEXEC_KHO, sizeof(kho), &kho);
	node(0x2200, 0x2300, SETUP_RNG_SEED, sizeof(rng), rng);
	node(0x2300, 0, SETUP_EFI, 16, rng);
	put(argv[1], "kexec", 0x5000);

	bp = bp_new(); /* a chain that loops */
	bp->hdr.setup_data = MEM_BASE + 0x2000;
	node(0x2000, 0x2100, SETUP_DTB, 8, rng);
	node(0x2100, 0x2000, SETUP_PCI, 8, rng);
	put(argv[1], "loop", 0x3000);
	return 0;
}

#endif /* FUZZ_SEEDS */

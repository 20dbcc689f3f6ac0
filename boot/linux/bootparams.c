/*
 * bootparams.c — a loader's boot_params read into struct lb_info
 * (linuxboot.h): the command line, the initrd, the e820 map, the ACPI RSDP
 * and the setup_data chain. Called once by main.c before anything is
 * written; the host tests call it on fake memory.
 *
 * Nothing in it is trusted. Every pointer is reached through lb_map, which
 * refuses what wraps or cannot be mapped. The setup_data chain is followed
 * for at most LB_MAX_SETUP nodes, a node seen before (a loop) ends it, and
 * a node whose head or data cannot be read ends it, each with a line; what
 * was read before stays. A boot_params whose sentinel is set (the loader
 * copied more than the setup header into it) has its ext_* fields and
 * acpi_rsdp_addr ignored, as Linux ignores them (sanitize_boot_params).
 *
 * The setup_data types taken:
 *   SETUP_E820_EXT   more e820 entries, after the zero page's
 *   SETUP_KEXEC_KHO  struct kho_data -> /chosen linux,kho-fdt and
 *                    linux,kho-scratch (the scratch array is also read, to
 *                    place the kernel in scratch)
 * Every other type is skipped with a line saying so.
 */
#include "linuxboot.h"
#include "kstring.h"

#define CMDLINE_SCAN (1 << 20) /* a command line with no NUL in 1 MiB is cut there */

static void busy(struct lb_info *out, u64 base, u64 size)
{
	if (size && out->nr_busy < LB_MAX_BUSY)
		out->busy[out->nr_busy++] = (struct lb_range){ base, size };
}

/* The command line at pa into out->cmdline (lb_cmdline_take). */
static void read_cmdline(u64 pa, struct lb_info *out)
{
	u64 len = 0, chunk;
	char *s;

	if (!pa)
		return;
	/* Find the NUL a page at a time: each page is mapped before it is
	 * read. */
	for (;;) {
		chunk = 0x1000 - ((pa + len) & 0xfff);
		s = lb_map(pa + len, chunk);
		if (!s) {
			lb_note("command line at 0x%llx: unreadable after %llu bytes; those are taken",
				(unsigned long long)pa, (unsigned long long)len);
			break;
		}
		while (chunk && *s) {
			s++;
			chunk--;
			len++;
		}
		if (chunk || len >= CMDLINE_SCAN)
			break;
	}
	if (len >= CMDLINE_SCAN) {
		lb_note("command line at 0x%llx: no end in its first %d bytes; those are taken",
			(unsigned long long)pa, CMDLINE_SCAN);
		len = CMDLINE_SCAN;
	}
	busy(out, pa, len + 1);
	s = lb_map(pa, len + 1);
	if (s && len)
		lb_cmdline_take(s, (size_t)len, out);
}

static const char *setup_name(u32 type)
{
	switch (type) {
	case SETUP_DTB:
		return "SETUP_DTB: a device tree; the front end writes its own";
	case SETUP_PCI:
		return "SETUP_PCI: PCI option ROMs";
	case SETUP_EFI:
		return "SETUP_EFI: the EFI runtime map; Baton calls no EFI runtime service";
	case SETUP_APPLE_PROPERTIES:
		return "SETUP_APPLE_PROPERTIES";
	case SETUP_JAILHOUSE:
		return "SETUP_JAILHOUSE";
	case SETUP_CC_BLOB:
		return "SETUP_CC_BLOB: confidential computing";
	case SETUP_IMA:
		return "SETUP_IMA: an IMA log";
	case SETUP_RNG_SEED:
		return "SETUP_RNG_SEED: random bytes; nothing in Baton takes them yet";
	}
	return "unknown";
}

/* SETUP_KEXEC_KHO: the handover's root FDT and scratch array, checked only
 * for what the front end itself relies on (the kernel validates the rest). */
static void take_kho(const struct kho_data *k, int i, struct lb_info *out)
{
	const u64 *areas;
	u64 n;

	if (out->kho) {
		lb_note("setup_data %d: a second SETUP_KEXEC_KHO: ignored", i);
		return;
	}
	if (!k->fdt_addr || !k->fdt_size || k->fdt_addr + k->fdt_size < k->fdt_addr ||
	    !k->scratch_addr || !k->scratch_size ||
	    k->scratch_addr + k->scratch_size < k->scratch_addr || k->scratch_size % 16) {
		lb_note("setup_data %d: SETUP_KEXEC_KHO with FDT 0x%llx+0x%llx, scratch 0x%llx+0x%llx "
			"is not a handover: ignored (a cold boot)",
			i, (unsigned long long)k->fdt_addr, (unsigned long long)k->fdt_size,
			(unsigned long long)k->scratch_addr, (unsigned long long)k->scratch_size);
		return;
	}
	out->kho = true;
	out->kho_data = *k;
	busy(out, k->fdt_addr, k->fdt_size);
	busy(out, k->scratch_addr, k->scratch_size);
	n = k->scratch_size / 16;
	areas = lb_map(k->scratch_addr, k->scratch_size);
	if (!areas) {
		lb_note("setup_data %d: the KHO scratch array at 0x%llx cannot be read: the kernel is "
			"placed in our own window or not at all",
			i, (unsigned long long)k->scratch_addr);
		return;
	}
	for (u64 a = 0; a < n && out->nr_scratch < LB_MAX_SCRATCH; a++) {
		u64 base, size;

		memcpy(&base, &areas[2 * a], 8);
		memcpy(&size, &areas[2 * a + 1], 8);
		if (size && base + size > base)
			out->scratch[out->nr_scratch++] = (struct lb_range){ base, size };
	}
}

/* Follow the chain from pa; e820 entries found go to e820[*n..]. */
static void walk_setup_data(u64 pa, struct boot_e820_entry *e820, int *n, struct lb_info *out)
{
	u64 seen[LB_MAX_SETUP];
	int i;

	for (i = 0; pa; i++) {
		const struct setup_data *sd;
		struct setup_data head;
		const u8 *data = NULL;

		if (i == LB_MAX_SETUP) {
			lb_note("setup_data: more than %d entries; the rest is ignored",
				LB_MAX_SETUP);
			return;
		}
		for (int j = 0; j < i; j++) {
			if (seen[j] == pa) {
				lb_note("setup_data %d at 0x%llx is entry %d again: the chain loops; the "
					"rest is ignored",
					i, (unsigned long long)pa, j);
				return;
			}
		}
		seen[i] = pa;
		sd = lb_map(pa, sizeof(*sd));
		if (!sd) {
			lb_note("setup_data %d at 0x%llx cannot be read: the rest is ignored", i,
				(unsigned long long)pa);
			return;
		}
		memcpy(&head, sd, sizeof(head));
		if (pa + sizeof(head) + head.len < pa ||
		    (head.len && !(data = lb_map(pa + sizeof(head), head.len)))) {
			lb_note("setup_data %d at 0x%llx: its %u bytes of data cannot be read (they run "
				"past 2^64 or out of reach): the rest is ignored",
				i, (unsigned long long)pa, head.len);
			return;
		}
		busy(out, pa, sizeof(head) + head.len);

		switch (head.type) {
		case SETUP_E820_EXT: {
			u32 k = head.len / sizeof(struct boot_e820_entry);

			if (head.len % sizeof(struct boot_e820_entry))
				lb_note("setup_data %d: SETUP_E820_EXT of %u bytes is not whole entries; "
					"%u read",
					i, head.len, k);
			if (k > (u32)(LB_MAX_E820 - *n)) {
				lb_note("setup_data %d: e820 entries past the first %d are ignored",
					i, LB_MAX_E820);
				k = (u32)(LB_MAX_E820 - *n);
			}
			if (k) /* data is NULL when len is 0 */
				memcpy(&e820[*n], data, k * sizeof(struct boot_e820_entry));
			*n += (int)k;
			break;
		}
		case SETUP_KEXEC_KHO: {
			struct kho_data k;

			if (head.len < sizeof(k)) {
				lb_note("setup_data %d: SETUP_KEXEC_KHO of %u bytes, not %zu: ignored",
					i, head.len, sizeof(k));
				break;
			}
			memcpy(&k, data, sizeof(k));
			take_kho(&k, i, out);
			break;
		}
		default:
			if (head.type & SETUP_INDIRECT)
				lb_note("setup_data %d: an indirect entry (type 0x%x) is not followed: skipped",
					i, head.type);
			else
				lb_note("setup_data %d: type %u (%s) skipped", i, head.type,
					setup_name(head.type));
		}
		pa = head.next;
	}
}

const char *bootparams_read(u64 bp_pa, struct lb_info *out)
{
	static struct boot_e820_entry e820[LB_MAX_E820];
	const struct boot_params *bp;
	u64 rd_base, rd_size;
	bool trust;
	int n;

	memset(out, 0, sizeof(*out));
	out->loader = "bzimage-x86_64";
	out->model = "PC (Linux x86 boot protocol, Baton bzImage)";
	out->bp = bp_pa;
	if (!bp_pa || !(bp = lb_map(bp_pa, sizeof(*bp))))
		return "no boot_params (rsi/esi is 0 or out of reach)";
	busy(out, bp_pa, sizeof(*bp));
	/* "HdrS" only: GRUB 2.06 clears boot_flag's bytes in its copy. */
	if (bp->hdr.header != BP_HDR_MAGIC)
		return "the boot_params has no setup header (no \"HdrS\" at 0x202): not a boot_params";
	out->loader_type = bp->hdr.type_of_loader;
	trust = bp->sentinel == 0;
	if (!trust)
		lb_note("boot_params: the sentinel at 0x1ef is set (the loader copied more than the "
			"setup header): its ext_* fields and acpi_rsdp_addr are ignored");

	read_cmdline(bp->hdr.cmd_line_ptr | (trust ? (u64)bp->ext_cmd_line_ptr << 32 : 0), out);

	rd_base = bp->hdr.ramdisk_image | (trust ? (u64)bp->ext_ramdisk_image << 32 : 0);
	rd_size = bp->hdr.ramdisk_size | (trust ? (u64)bp->ext_ramdisk_size << 32 : 0);
	if (rd_size && rd_base + rd_size > rd_base) {
		out->initrd_base = rd_base;
		out->initrd_size = rd_size;
		busy(out, rd_base, rd_size);
	} else if (rd_size) {
		lb_note("boot_params: the initrd 0x%llx + 0x%llx runs past 2^64: ignored",
			(unsigned long long)rd_base, (unsigned long long)rd_size);
	}

	n = bp->e820_entries;
	if (n > E820_MAX_ENTRIES_ZEROPAGE) {
		lb_note("boot_params: e820_entries is %d, the zero page holds %d: those are read",
			n, E820_MAX_ENTRIES_ZEROPAGE);
		n = E820_MAX_ENTRIES_ZEROPAGE;
	}
	memcpy(e820, bp->e820_table, (size_t)n * sizeof(e820[0]));
	walk_setup_data(bp->hdr.setup_data, e820, &n, out);

	out->rsdp = rsdp_find(bp, trust);
	if (!out->rsdp)
		lb_note("no ACPI RSDP (not in boot_params, EFI or the BIOS area): the kernel will halt "
			"where it would power off");

	if (n == 0)
		return "the loader passed no e820 memory map (e820_entries is 0, no SETUP_E820_EXT)";
	return e820_use(e820, n, out);
}

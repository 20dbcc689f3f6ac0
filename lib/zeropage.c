/*
 * zeropage.c — the zero page's e820 map, command line and ACPI RSDP from
 * a boot FDT (include/zeropage.h), for the EFI loader's bzImage mode and
 * kexec into a Linux bzImage.
 *
 * libfdt and lib only, no log and no kernel reader (kernel/bootfdt.c): the
 * EFI loader runs it after ExitBootServices. It reads the tree as
 * bootfdt_memory and bootfdt_reserved do, and trusts it as little: cell
 * counts, property lengths and ranges are checked, and whatever cannot be
 * passed on whole (a range that wraps, one entry too many) is refused with
 * its reason rather than dropped, because a reservation left out of e820
 * is memory the next kernel may hand out.
 */
#include "zeropage.h"
#include "kerrno.h"
#include "kstring.h"
#include "kho/handover.h"
#include <libfdt.h>
#include "fdt_read.h"

/* Append [base, base + size) as type; what names it in a refusal. */
static int e820_add(struct boot_params *bp, u64 base, u64 size, u32 type, const char *what,
		    char *why, size_t n)
{
	if (size == 0)
		return 0;
	if (base + size < base)
		return err_why(why, n, -EOVERFLOW, "%s: 0x%llx+0x%llx wraps past 2^64", what,
			       (unsigned long long)base, (unsigned long long)size);
	if (bp->e820_entries >= E820_MAX_ENTRIES_ZEROPAGE)
		return err_why(why, n, -E2BIG,
			       "more than %d e820 entries: %s 0x%llx+0x%llx is one too many",
			       E820_MAX_ENTRIES_ZEROPAGE, what, (unsigned long long)base,
			       (unsigned long long)size);
	bp->e820_table[bp->e820_entries++] = (struct boot_e820_entry){ base, size, type };
	return 0;
}

/* Every range of node's reg, read in its parent's cells, as type. */
static int e820_add_reg(struct boot_params *bp, const void *fdt, int node, u32 type, char *why,
			size_t n)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac = fdt_address_cells(fdt, parent), sc = fdt_size_cells(fdt, parent), len;
	char path[64];
	const char *name = fdt_get_path(fdt, node, path, sizeof(path)) == 0
				   ? path
				   : fdt_get_name(fdt, node, NULL);
	const fdt32_t *reg;

	if (ac < 1 || ac > 2 || sc < 1 || sc > 2)
		return err_why(
			why, n, -EINVAL,
			"%s: #address-cells %d, #size-cells %d: only 1 or 2 of each are read", name,
			ac, sc);
	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return 0;
	if (len % ((ac + sc) * 4))
		return err_why(why, n, -EBADMSG, "%s: reg is %d bytes, not a multiple of %d", name,
			       len, (ac + sc) * 4);
	for (int i = 0; i < len / 4; i += ac + sc) {
		int err = e820_add(bp, fdt_read_cells(reg + i, ac),
				   fdt_read_cells(reg + i + ac, sc), type, name, why, n);

		if (err)
			return err;
	}
	return 0;
}

/* RAM: every enabled /memory node (device_type "memory", under the root). */
static int e820_ram(struct boot_params *bp, const void *fdt, char *why, size_t n)
{
	int node, len, err;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", &len);

		if (!type || len != sizeof("memory") || memcmp(type, "memory", len) != 0 ||
		    !fdt_node_okay(fdt, node))
			continue;
		err = e820_add_reg(bp, fdt, node, E820_TYPE_RAM, why, n);
		if (err)
			return err;
	}
	if (bp->e820_entries == 0)
		return err_why(why, n, -ENOENT, "no RAM: no /memory node with a range in its reg");
	/* In address order, as the kernel's reader has them, whatever the
	 * nodes' order (insertion sort: at most 128). */
	for (int i = 1; i < bp->e820_entries; i++) {
		struct boot_e820_entry e = bp->e820_table[i];
		int j = i;

		for (; j > 0 && bp->e820_table[j - 1].addr > e.addr; j--)
			bp->e820_table[j] = bp->e820_table[j - 1];
		bp->e820_table[j] = e;
	}
	return 0;
}

/* Reserved: the memory reservation block, then every enabled
 * /reserved-memory child with a reg (one with only a size asks for a
 * driver's region: there is nothing there yet to keep). */
static int e820_reserved(struct boot_params *bp, const void *fdt, char *why, size_t n)
{
	int count = fdt_num_mem_rsv(fdt), rmem, node, len, err;

	if (count < 0)
		return err_why(why, n, -EBADMSG, "the memory reservation block is damaged");
	for (int i = 0; i < count; i++) {
		u64 base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size) < 0)
			return err_why(why, n, -EBADMSG,
				       "memory reservation block entry %d cannot be read", i);
		err = e820_add(bp, base, size, E820_TYPE_RESERVED, "memreserve", why, n);
		if (err)
			return err;
	}
	rmem = fdt_path_offset(fdt, "/reserved-memory");
	if (rmem < 0)
		return 0;
	if (fdt_getprop(fdt, rmem, "ranges", &len) && len != 0)
		return err_why(why, n, -EINVAL,
			       "/reserved-memory has a non-empty ranges (%d bytes): its children's "
			       "addresses would need translating",
			       len);
	fdt_for_each_subnode(node, fdt, rmem) {
		if (!fdt_node_okay(fdt, node))
			continue;
		err = e820_add_reg(bp, fdt, node, E820_TYPE_RESERVED, why, n);
		if (err)
			return err;
	}
	return 0;
}

/* /chosen/bootargs into cl, and the pointer to it. */
static int cmdline(struct boot_params *bp, const void *fdt, int chosen,
		   const struct zeropage_cmdline *cl, char *why, size_t n)
{
	int len = 0;
	const char *args = chosen >= 0 ? fdt_getprop(fdt, chosen, "bootargs", &len) : NULL;
	size_t bytes;

	if (!args) {
		args = "";
		len = 1;
	}
	if (len < 1 || args[len - 1] != '\0')
		return err_why(why, n, -EBADMSG, "/chosen/bootargs is not a string");
	bytes = strlen(args);
	if (bytes > cl->max)
		return err_why(why, n, -E2BIG,
			       "/chosen/bootargs is %zu bytes, more than the %u taken", bytes,
			       cl->max);
	memcpy(cl->buf, args, bytes + 1);
	bp->hdr.cmd_line_ptr = (u32)cl->pa;
	bp->ext_cmd_line_ptr = (u32)(cl->pa >> 32);
	return 0;
}

/* /chosen/baton,acpi-rsdp, one cell or two. */
static int rsdp(struct boot_params *bp, const void *fdt, int chosen, char *why, size_t n)
{
	int len = 0;
	const fdt32_t *p =
		chosen >= 0 ? fdt_getprop(fdt, chosen, BATON_CHOSEN_ACPI_RSDP, &len) : NULL;

	if (p && len != 4 && len != 8)
		return err_why(why, n, -EBADMSG, "/chosen/%s is %d bytes, not 4 or 8",
			       BATON_CHOSEN_ACPI_RSDP, len);
	bp->acpi_rsdp_addr = p ? fdt_read_cells(p, len / 4) : 0;
	return 0;
}

int zeropage_from_fdt(struct boot_params *bp, const void *fdt, const struct zeropage_cmdline *cl,
		      char *why, size_t n)
{
	int err = fdt_check_header(fdt), chosen;

	if (err)
		return err_why(why, n, -EBADMSG, "not an FDT: %s", fdt_strerror(err));
	chosen = fdt_path_offset(fdt, "/chosen");
	bp->e820_entries = 0;
	err = e820_ram(bp, fdt, why, n);
	if (!err)
		err = e820_reserved(bp, fdt, why, n);
	if (!err)
		err = cmdline(bp, fdt, chosen, cl, why, n);
	if (!err)
		err = rsdp(bp, fdt, chosen, why, n);
	return err;
}

/*
 * bootfdt.c — validates the boot FDT and reads the machine out of it:
 * memory, reservations, the command line, device registers.
 *
 * kernel_main calls bootfdt_check first, before anything else touches the
 * blob; a blob that fails stops the boot with the sentence it writes. The
 * host unit tests (tests/host/test_bootfdt.c) feed it malformed blobs.
 */
#include "bootfdt.h"
#include "printk.h"
#include "kstring.h"
#include "kerrno.h"
#include <libfdt.h>
#include "fdt_read.h"

int bootfdt_check(const void *fdt, u64 avail, char *why, size_t n)
{
	u32 total;
	int err;

	if (!fdt)
		return err_why(why, n, -EFAULT, "there is none (address 0)");
	if (avail < sizeof(struct fdt_header))
		return err_why(why, n, -EBADMSG, "it is smaller than an FDT header");
	if (fdt_magic(fdt) != FDT_MAGIC)
		return err_why(why, n, -EBADMSG, "bad magic 0x%08x (expected 0x%08x)",
			       fdt_magic(fdt), FDT_MAGIC);
	/* Only the current format (version 17, readable as 16): libfdt's code
	 * for the old formats trusts their layout, and Debian's 1.6.1 crashes
	 * in fdt_check_full on a "version 7" blob (found by the KHO fuzzer). */
	if (fdt_version(fdt) < 17 || fdt_last_comp_version(fdt) > 17)
		return err_why(why, n, -EPROTO, "version %u (last compatible %u); only 17 is read",
			       fdt_version(fdt), fdt_last_comp_version(fdt));
	total = fdt_totalsize(fdt);
	if (total > BOOTFDT_MAX_SIZE || total > avail)
		return err_why(why, n, -E2BIG, "totalsize %u is larger than the %llu bytes allowed",
			       total, (unsigned long long)MIN(avail, (u64)BOOTFDT_MAX_SIZE));
	/* Header fields, block bounds, then every tag of the structure block
	 * and every property name offset. */
	err = fdt_check_full(fdt, total);
	if (err)
		return err_why(why, n, -EBADMSG, "damaged: %s", fdt_strerror(err));
	if (fdt_path_offset(fdt, "/") < 0)
		return err_why(why, n, -EBADMSG, "it has no root node");
	return 0;
}

/* Cell counts that govern the reg of node's children. Only 1 and 2 address
 * cells fit a u64; anything else is refused by the callers. */
static int addr_cells(const void *fdt, int node)
{
	return fdt_address_cells(fdt, node);
}

static int size_cells(const void *fdt, int node)
{
	return fdt_size_cells(fdt, node);
}

static void sort_ranges(struct mem_range *r, int n)
{
	for (int i = 1; i < n; i++) { /* insertion sort: n is small */
		struct mem_range t = r[i];
		int j = i;

		for (; j > 0 && r[j - 1].base > t.base; j--)
			r[j] = r[j - 1];
		r[j] = t;
	}
}

/* The reg of node, checked against its parent's cell counts: *reg and the
 * cells per entry (*ac address, *sc size). The caller names the parent it
 * is walking: libfdt finds a parent only by walking the tree from its
 * root, which made reading N reservations O(N x the tree). Returns the
 * number of entries (0 without a reg), or -1 (and logs why). */
static int reg_entries(const void *fdt, int parent, int node, const char *what, const fdt32_t **reg,
		       int *ac, int *sc)
{
	int len, entry;

	*ac = parent >= 0 ? addr_cells(fdt, parent) : -1;
	*sc = parent >= 0 ? size_cells(fdt, parent) : -1;
	if (*ac < 1 || *ac > 2 || *sc < 0 || *sc > 2) {
		pr_err("bootfdt: %s %s: #address-cells %d / #size-cells %d not supported", what,
		       fdt_get_name(fdt, node, NULL), *ac, *sc);
		return -EINVAL;
	}
	*reg = fdt_getprop(fdt, node, "reg", &len);
	if (!*reg)
		return 0;
	entry = (*ac + *sc) * 4;
	if (len % entry) {
		pr_err("bootfdt: %s %s: reg is %d bytes, not a multiple of %d", what,
		       fdt_get_name(fdt, node, NULL), len, entry);
		return -EINVAL;
	}
	return len / entry;
}

/* Append the reg entries of node to out[*n..max). */
static int read_reg_ranges(const void *fdt, int parent, int node, struct mem_range *out, int *n,
			   int max, const char *what)
{
	const fdt32_t *reg;
	int ac, sc, count = reg_entries(fdt, parent, node, what, &reg, &ac, &sc);

	if (count < 0)
		return count;
	for (int i = 0; i < count; i++) {
		u64 base = fdt_read_cells(reg + i * (ac + sc), ac);
		u64 size = fdt_read_cells(reg + i * (ac + sc) + ac, sc);

		if (size == 0)
			continue;
		if (base + size < base) {
			pr_err("bootfdt: %s %s: range 0x%llx+0x%llx wraps around", what,
			       fdt_get_name(fdt, node, NULL), (unsigned long long)base,
			       (unsigned long long)size);
			return -EOVERFLOW;
		}
		if (*n >= max) {
			pr_err("bootfdt: more than %d %s ranges", max, what);
			return -E2BIG;
		}
		out[*n].base = base;
		out[*n].size = size;
		(*n)++;
	}
	return 0;
}

bool bootfdt_node_enabled(const void *fdt, int node)
{
	return fdt_node_okay(fdt, node);
}

int bootfdt_memory(const void *fdt, struct mem_range *out, int max)
{
	int node, n = 0, merged = 0, err;

	fdt_for_each_subnode(node, fdt, 0) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);

		int first = n;

		if (!type || strcmp(type, "memory") != 0 || !bootfdt_node_enabled(fdt, node))
			continue;
		err = read_reg_ranges(fdt, 0, node, out, &n, max, "memory");
		if (err < 0)
			return err;
		for (int i = first; i < n; i++)
			pr_debug("bootfdt: memory 0x%llx-0x%llx (%s)",
				 (unsigned long long)out[i].base,
				 (unsigned long long)(out[i].base + out[i].size - 1),
				 fdt_get_name(fdt, node, NULL));
	}
	sort_ranges(out, n);
	for (int i = 0; i < n; i++) {
		if (merged && out[merged - 1].base + out[merged - 1].size > out[i].base) {
			pr_err("bootfdt: memory ranges 0x%llx and 0x%llx overlap",
			       (unsigned long long)out[merged - 1].base,
			       (unsigned long long)out[i].base);
			return -EINVAL;
		}
		if (merged && out[merged - 1].base + out[merged - 1].size == out[i].base)
			out[merged - 1].size += out[i].size;
		else
			out[merged++] = out[i];
	}
	return merged;
}

static int add_resv(struct bootfdt_resv *out, int *n, int max, u64 base, u64 size,
		    const char *source, const char *name, bool no_map)
{
	if (size == 0)
		return 0;
	if (base + size < base) {
		pr_err("bootfdt: %s%s%s: range 0x%llx+0x%llx wraps around", source,
		       *name ? " " : "", name, (unsigned long long)base, (unsigned long long)size);
		return -EOVERFLOW;
	}
	if (*n >= max) {
		pr_err("bootfdt: more than %d reserved ranges (%s%s%s is one too many)", max,
		       source, *name ? " " : "", name);
		return -E2BIG;
	}
	out[*n] = (struct bootfdt_resv){
		.base = base, .size = size, .no_map = no_map, .source = source, .name = name
	};
	(*n)++;
	return 0;
}

/*
 * Every range here must be read, or the boot stops (bootmem_init): one
 * dropped would hand firmware memory to the allocator. So a reservation
 * that wraps, a reg that does not parse, cell counts that do not fit, a
 * /reserved-memory whose children's addresses need translating (its
 * "ranges" must be empty, the devicetree spec says), and more ranges than
 * out holds are all errors, never skipped.
 */
int bootfdt_reserved(const void *fdt, struct bootfdt_resv *out, int max)
{
	int n = 0, node, rmem, len, err;

	if (fdt_num_mem_rsv(fdt) < 0) {
		pr_err("bootfdt: the memory reservation block is damaged");
		return -EBADMSG;
	}
	for (int i = 0; i < fdt_num_mem_rsv(fdt); i++) {
		u64 base, size;

		if (fdt_get_mem_rsv(fdt, i, &base, &size) < 0) {
			pr_err("bootfdt: memory reservation block entry %d cannot be read", i);
			return -EBADMSG;
		}
		err = add_resv(out, &n, max, base, size, "memreserve", "", false);
		if (err < 0)
			return err;
	}
	rmem = fdt_path_offset(fdt, "/reserved-memory");
	if (rmem < 0)
		return n;
	if (fdt_getprop(fdt, rmem, "ranges", &len) && len != 0) {
		pr_err("bootfdt: /reserved-memory has a non-empty ranges (%d bytes): its children's "
		       "addresses would need translating, which is not done",
		       len);
		return -EINVAL;
	}
	fdt_for_each_subnode(node, fdt, rmem) {
		const char *name = fdt_get_name(fdt, node, NULL);
		bool no_map = fdt_getprop(fdt, node, "no-map", NULL) != NULL;
		const fdt32_t *reg;
		int ac, sc, count;

		/* Nodes with a size and no reg ask the OS to allocate a
		 * region for a driver: Baton has no such driver. */
		if (!bootfdt_node_enabled(fdt, node))
			continue;
		count = reg_entries(fdt, rmem, node, "reserved-memory", &reg, &ac, &sc);
		if (count < 0)
			return count;
		for (int i = 0; i < count; i++) {
			err = add_resv(out, &n, max, fdt_read_cells(reg + i * (ac + sc), ac),
				       fdt_read_cells(reg + i * (ac + sc) + ac, sc),
				       "reserved-memory", name ? name : "?", no_map);
			if (err < 0)
				return err;
		}
	}
	return n;
}

/*
 * /chosen of the boot FDT, found once. libfdt finds a node by walking every
 * node before it: 150,000 instructions in QEMU's arm64 tree, and the boot
 * asks for /chosen a dozen times. The boot FDT does not change once
 * kernel_main has validated it, so its offset is kept (as Linux keeps
 * of_chosen); any other tree is looked up each time.
 */
static const void *chosen_fdt;
static int chosen_offset;

void bootfdt_remember_chosen(const void *fdt)
{
	chosen_fdt = NULL;
	chosen_offset = fdt_path_offset(fdt, "/chosen");
	chosen_fdt = fdt;
}

int bootfdt_chosen(const void *fdt)
{
	return fdt == chosen_fdt ? chosen_offset : fdt_path_offset(fdt, "/chosen");
}

const char *bootfdt_chosen_string(const void *fdt, const char *name)
{
	int chosen = bootfdt_chosen(fdt), len;
	const char *s = chosen >= 0 ? fdt_getprop(fdt, chosen, name, &len) : NULL;

	return s && len >= 1 && s[len - 1] == '\0' ? s : NULL;
}

const char *bootfdt_bootargs(const void *fdt)
{
	int chosen = bootfdt_chosen(fdt), len;
	const char *args;

	if (chosen < 0)
		return "";
	args = fdt_getprop(fdt, chosen, "bootargs", &len);
	if (!args || len < 1 || args[len - 1] != '\0') {
		if (args)
			pr_warn("bootfdt: /chosen/bootargs is not a string, ignored");
		return "";
	}
	return args;
}

static bool chosen_u64(const void *fdt, int chosen, const char *name, u64 *out)
{
	const fdt32_t *p;
	int len;

	if (chosen < 0)
		return false;
	p = fdt_getprop(fdt, chosen, name, &len);
	if (!p || (len != 4 && len != 8))
		return false;
	*out = fdt_read_cells(p, len / 4);
	return true;
}

bool bootfdt_chosen_u64(const void *fdt, const char *name, u64 *out)
{
	return chosen_u64(fdt, bootfdt_chosen(fdt), name, out);
}

bool bootfdt_chosen_range(const void *fdt, const char *name, struct mem_range *out)
{
	int chosen = bootfdt_chosen(fdt), len, ac, sc;
	const fdt32_t *p;

	if (chosen < 0)
		return false;
	p = fdt_getprop(fdt, chosen, name, &len);
	if (!p)
		return false;
	/* The root's cell counts, as fdt_appendprop_addrrange writes it (and
	 * Linux reads linux,kho-fdt): a Raspberry Pi's root has 1 and 1. */
	ac = addr_cells(fdt, 0);
	sc = size_cells(fdt, 0);
	if (ac >= 1 && ac <= 2 && sc >= 1 && sc <= 2 && len == (ac + sc) * 4) {
		out->base = fdt_read_cells(p, ac);
		out->size = fdt_read_cells(p + ac, sc);
	} else if (len == 16) { /* two u64s whatever the root says (a loader's own) */
		out->base = fdt_read_cells(p, 2);
		out->size = fdt_read_cells(p + 2, 2);
	} else {
		return false;
	}
	return out->size != 0 && out->base + out->size > out->base;
}

bool bootfdt_initrd_at(const void *fdt, int chosen, struct mem_range *out)
{
	u64 start, end;

	if (!chosen_u64(fdt, chosen, "linux,initrd-start", &start) ||
	    !chosen_u64(fdt, chosen, "linux,initrd-end", &end))
		return false;
	if (end <= start) {
		pr_warn("bootfdt: /chosen's initrd 0x%llx-0x%llx is empty or backwards, ignored",
			(unsigned long long)start, (unsigned long long)end);
		return false;
	}
	out->base = start;
	out->size = end - start;
	return true;
}

bool bootfdt_initrd(const void *fdt, struct mem_range *out)
{
	return bootfdt_initrd_at(fdt, bootfdt_chosen(fdt), out);
}

u32 bootfdt_u32(const void *fdt, int node, const char *name, u32 def)
{
	const fdt32_t *p;
	int len;

	p = fdt_getprop(fdt, node, name, &len);
	return p && len == 4 ? fdt32_to_cpu(*p) : def;
}

static bool is_isa(const void *fdt, int node)
{
	const char *type = fdt_getprop(fdt, node, "device_type", NULL);

	return (type && strcmp(type, "isa") == 0) ||
	       fdt_node_check_compatible(fdt, node, "isa") == 0;
}

/* Translate addr (a child address of bus) into bus's parent's space through
 * bus's "ranges". Returns 0, or -1 if no range covers it. */
static int translate_up(const void *fdt, int bus, u64 *addr)
{
	int parent = fdt_parent_offset(fdt, bus);
	int cac = addr_cells(fdt, bus), pac, csc = size_cells(fdt, bus);
	const fdt32_t *r;
	int len, entry;

	r = fdt_getprop(fdt, bus, "ranges", &len);
	if (!r) {
		pr_err("bootfdt: %s has no ranges: its children are not reachable",
		       fdt_get_name(fdt, bus, NULL));
		return -EINVAL;
	}
	if (len == 0)
		return 0; /* empty ranges: identity */
	pac = addr_cells(fdt, parent);
	if (cac < 1 || cac > 2 || pac < 1 || pac > 2 || csc < 1 || csc > 2) {
		pr_err("bootfdt: %s: ranges with #address-cells %d, parent #address-cells %d, "
		       "#size-cells %d: only 1 or 2 of each is read",
		       fdt_get_name(fdt, bus, NULL), cac, pac, csc);
		return -EINVAL;
	}
	entry = cac + pac + csc;
	if (len % (entry * 4)) {
		pr_err("bootfdt: %s: ranges is %d bytes, not a multiple of %d",
		       fdt_get_name(fdt, bus, NULL), len, entry * 4);
		return -EINVAL;
	}
	for (int i = 0; i + entry * 4 <= len; i += entry * 4) {
		const fdt32_t *e = r + i / 4;
		u64 child = fdt_read_cells(e, cac);
		u64 par = fdt_read_cells(e + cac, pac);
		u64 size = fdt_read_cells(e + cac + pac, csc);

		if (*addr >= child && *addr - child < size) {
			*addr = par + (*addr - child);
			return 0;
		}
	}
	pr_err("bootfdt: %s: no range covers 0x%llx", fdt_get_name(fdt, bus, NULL),
	       (unsigned long long)*addr);
	return -ERANGE;
}

int bootfdt_reg(const void *fdt, int node, int index, struct fdt_reg *out)
{
	int parent = fdt_parent_offset(fdt, node);
	int ac, sc, len, entry;
	const fdt32_t *reg;

	if (parent < 0) {
		pr_err("bootfdt: the root node has no reg");
		return -EINVAL;
	}
	ac = addr_cells(fdt, parent);
	sc = size_cells(fdt, parent);
	reg = fdt_getprop(fdt, node, "reg", &len);
	out->io_port = false;
	if (!reg || ac < 1 || ac > 2 || sc < 0 || sc > 2 || (index + 1) * (ac + sc) * 4 > len) {
		pr_err("bootfdt: %s: no usable reg entry %d", fdt_get_name(fdt, node, NULL), index);
		return -EINVAL;
	}
	entry = ac + sc;
	reg += index * entry;

	if (is_isa(fdt, parent)) {
		/* ISA binding: cell 0 is the space (1 = I/O, 0 = memory). */
		if (ac != 2) {
			pr_err("bootfdt: %s: ISA bus with #address-cells %d, not 2",
			       fdt_get_name(fdt, parent, NULL), ac);
			return -EINVAL;
		}
		out->io_port = fdt32_to_cpu(reg[0]) & 1;
		out->addr = fdt32_to_cpu(reg[1]);
		out->size = fdt_read_cells(reg + ac, sc);
		if (out->io_port)
			return 0; /* ports are not translated through memory buses */
	} else {
		out->addr = fdt_read_cells(reg, ac);
		out->size = fdt_read_cells(reg + ac, sc);
	}
	for (int bus = parent; bus > 0; bus = fdt_parent_offset(fdt, bus)) {
		int err = translate_up(fdt, bus, &out->addr);

		if (err < 0)
			return err;
	}
	return 0;
}

/*
 * Paths. The devicetree spec: a path is absolute ("/soc/serial@7e215040"),
 * or starts with an alias ("serial1" or "serial1/child"), and the value
 * of an /aliases property is itself an absolute path. libfdt resolves an
 * alias whose value is not absolute by resolving that value again, so an
 * alias naming itself recurses until the stack overflows: such an alias is
 * refused here before libfdt sees it.
 */
int bootfdt_path(const void *fdt, const char *path, int len)
{
	const char *alias, *slash;
	int node, alen, nlen;

	if (len <= 0)
		return -FDT_ERR_BADPATH;
	if (path[0] == '/')
		return fdt_path_offset_namelen(fdt, path, len);
	slash = memchr(path, '/', len);
	nlen = slash ? (int)(slash - path) : len;
	node = fdt_path_offset(fdt, "/aliases");
	alias = node >= 0 ? fdt_getprop_namelen(fdt, node, path, nlen, &alen) : NULL;
	if (!alias)
		return -FDT_ERR_NOTFOUND;
	if (alen < 2 || alias[alen - 1] != '\0' || alias[0] != '/') {
		char name[32];

		snprintf(name, MIN(sizeof(name), (size_t)nlen + 1), "%s", path);
		pr_err("bootfdt: alias '%s' is not an absolute path; an alias may not name an alias",
		       name);
		return -FDT_ERR_BADPATH;
	}
	node = fdt_path_offset_namelen(fdt, alias, alen - 1);
	/* The rest, one component at a time below the alias's node. */
	for (const char *p = path + nlen, *end = path + len; node >= 0 && p < end;) {
		const char *c = p + 1, *next;

		next = memchr(c, '/', end - c);
		next = next ? next : end;
		if (next > c)
			node = fdt_subnode_offset_namelen(fdt, node, c, (int)(next - c));
		p = next;
	}
	return node;
}

int bootfdt_stdout(const void *fdt, const char **options)
{
	int chosen = bootfdt_chosen(fdt), len, node;
	const char *path, *colon;

	*options = NULL;
	path = chosen >= 0 ? fdt_getprop(fdt, chosen, "stdout-path", &len) : NULL;
	if (!path)
		path = chosen >= 0 ? fdt_getprop(fdt, chosen, "linux,stdout-path", &len) : NULL;
	if (!path)
		return -FDT_ERR_NOTFOUND;
	if (len < 2 || path[len - 1] != '\0') {
		pr_err("bootfdt: /chosen/stdout-path is not a string");
		return -FDT_ERR_BADVALUE;
	}
	colon = strchr(path, ':');
	if (colon)
		*options = colon + 1;
	node = bootfdt_path(fdt, path, colon ? (int)(colon - path) : len - 1);
	if (node < 0)
		pr_err("bootfdt: stdout-path '%s' names no node (%s)", path, fdt_strerror(node));
	return node;
}

u64 bootfdt_content_size(const void *fdt)
{
	u64 end;

	/* The usual order, reservation block first: it has no size field and
	 * ends with an empty entry somewhere before the structure block. */
	if (fdt_off_mem_rsvmap(fdt) > fdt_off_dt_struct(fdt) ||
	    fdt_off_mem_rsvmap(fdt) > fdt_off_dt_strings(fdt))
		return 0;
	end = (u64)fdt_off_mem_rsvmap(fdt) + 16;

	end = MAX(end, (u64)fdt_off_dt_struct(fdt) + fdt_size_dt_struct(fdt));
	end = MAX(end, (u64)fdt_off_dt_strings(fdt) + fdt_size_dt_strings(fdt));
	return ALIGN_UP(end, 8);
}

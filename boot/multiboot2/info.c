/*
 * info.c — the multiboot2 information (include/multiboot2.h) read into
 * struct lb_info and struct mb2_extra (mb2_info_read, mb2boot.h), as
 * boot/linux/bootparams.c reads a boot_params. Called once by main.c
 * before anything is written; the host tests call it on fake memory.
 *
 * Nothing in it is trusted. Unless eax holds multiboot2's magic, ebx is
 * not read at all. total_size must cover the header and at most
 * MB2_MAX_INFO bytes; every tag must lie inside it (a size of at least 8,
 * and what its type needs); the walk ends at the end tag, or at the first
 * tag that does not fit, with a line. Strings are read within their tag.
 *
 * The tags taken (the first of each kind; every module):
 *    1  command line    /chosen/bootargs, cut as the kernel needs
 *                       (boot/linux/cmdline.c)
 *    2  loader name     said in the front end's lines
 *    3  modules         MB2_IMAGE_MODULE: the kernel file kexec reuses
 *                       (baton,image), checked as Baton's ELF as kexec
 *                       checks it; MB2_INITRD_MODULE: the initrd; any other
 *                       is named and left alone
 *    6  memory map      e820's types: boot/linux/e820.c sorts it out
 *                       (e820_use)
 *   17  EFI memory map  preferred to tag 6 when there is one (GRUB on
 *                       UEFI): each descriptor counts as the EFI loader
 *                       counts it (boot/efi/fdt.c): loader, boot services
 *                       and conventional memory are RAM; runtime services,
 *                       ACPI reclaim and NVS are RAM the firmware keeps
 *                       (memreserve); persistent memory is RAM; anything
 *                       else is a hole
 *   12  EFI64 system table   where the ACPI RSDP is (boot/linux/rsdp.c)
 *   14, 15 copies of the ACPI RSDP: the RSDP itself is looked for first
 *                       (the EFI system table, else the BIOS areas), since
 *                       its address is what the kernel reads and kexec
 *                       passes on; only without it is a tag's copy used
 *                       where it lies, its page added to the map as ACPI
 *                       memory so that the kernel keeps it
 *    8  framebuffer     noted: Baton's console is COM1
 *   11  EFI32 system table, 18 boot services not exited: noted
 * Every other tag is skipped.
 */
#include "mb2boot.h"
#include "multiboot2.h"
#include "compiler.h"
#include "elf64.h"
#include "elf_load.h"
#include "format.h"
#include "kstring.h"

/* EFI memory types (UEFI 2.10, 7.2 "EFI_MEMORY_TYPE"). */
enum {
	EFI_RESERVED,
	EFI_LOADER_CODE,
	EFI_LOADER_DATA,
	EFI_BS_CODE,
	EFI_BS_DATA,
	EFI_RT_CODE,
	EFI_RT_DATA,
	EFI_CONVENTIONAL,
	EFI_UNUSABLE,
	EFI_ACPI_RECLAIM,
	EFI_ACPI_NVS,
	EFI_MMIO,
	EFI_MMIO_PORT,
	EFI_PAL_CODE,
	EFI_PERSISTENT,
};

#define PAGE 0x1000ULL
#define NR_KINDS (MB2_TAG_LOAD_BASE_ADDR + 1)
#define MAX_MODULES 16

static struct boot_e820_entry e820[LB_MAX_E820];

/* How the EFI loader counts a descriptor's memory, as an e820 type: RAM,
 * RAM the firmware keeps (NVS: e820.c reserves it), ACPI tables (reserved
 * too), persistent memory, or a hole. */
static u32 efi_as_e820(u32 type)
{
	switch (type) {
	case EFI_LOADER_CODE:
	case EFI_LOADER_DATA:
	case EFI_BS_CODE:
	case EFI_BS_DATA:
	case EFI_CONVENTIONAL:
		return E820_TYPE_RAM;
	case EFI_RT_CODE:
	case EFI_RT_DATA:
	case EFI_ACPI_NVS:
		return E820_TYPE_NVS;
	case EFI_ACPI_RECLAIM:
		return E820_TYPE_ACPI;
	case EFI_PERSISTENT:
		return E820_TYPE_PMEM;
	}
	return E820_TYPE_RESERVED;
}

/* The multiboot2 memory map's types are e820's; 5 (bad RAM) and anything
 * unknown are holes. */
static u32 mb2_as_e820(u32 type)
{
	switch (type) {
	case MB2_MEMORY_AVAILABLE:
		return E820_TYPE_RAM;
	case MB2_MEMORY_ACPI_RECLAIMABLE:
		return E820_TYPE_ACPI;
	case MB2_MEMORY_NVS:
		return E820_TYPE_NVS;
	}
	return E820_TYPE_RESERVED;
}

static bool add_entry(int *n, u64 base, u64 size, u32 type)
{
	if (*n == LB_MAX_E820)
		return false;
	e820[(*n)++] = (struct boot_e820_entry){ base, size, type };
	return true;
}

/* Tag 6 or, efi, tag 17 into e820[]: the number of entries taken. Both
 * tags start alike: the tag, an entry size, a version. */
static int take_map(const struct mb2_tag *t, bool efi)
{
	const struct mb2_tag_mmap *m = (const void *)t;
	const char *what = efi ? "the EFI memory map (tag 17)" : "multiboot2's (tag 6)";
	u32 len = t->size < sizeof(*m) ? 0 : t->size - (u32)sizeof(*m);
	u32 min = efi ? sizeof(struct mb2_efi_memdesc) : sizeof(struct mb2_mmap_entry);
	int n = 0;

	if (t->size < sizeof(*m) || m->entry_size < min) {
		lb_note("memory map: %s: %u bytes, entries of %u: not a map; ignored", what,
			t->size, t->size < sizeof(*m) ? 0 : m->entry_size);
		return 0;
	}
	for (u32 off = 0; off + m->entry_size <= len; off += m->entry_size) {
		const u8 *rec = (const u8 *)m->entries + off;
		struct mb2_efi_memdesc d;
		struct mb2_mmap_entry e;

		if (efi) {
			memcpy(&d, rec, sizeof(d));
			/* e820.c leaves out what runs past 2^52 */
			e = (struct mb2_mmap_entry){ d.phys_start, MIN(d.pages, ~0ULL >> 12) * PAGE,
						     efi_as_e820(d.type), 0 };
		} else {
			memcpy(&e, rec, sizeof(e));
			e.type = mb2_as_e820(e.type);
		}
		if (!add_entry(&n, e.base, e.length, e.type)) {
			lb_note("memory map: entries past the first %d are ignored", LB_MAX_E820);
			break;
		}
	}
	lb_note("memory map: %s, %d entries of %u bytes", what, n, m->entry_size);
	return n;
}

/* A tag's string, from offset at: its length within the tag. *room is the
 * string's bytes, NUL included when there is one. */
static size_t tag_string(const struct mb2_tag *t, u32 at, char **s, size_t *room)
{
	*s = (char *)t + at;
	*room = t->size > at ? t->size - at : 0;
	return strnlen(*s, *room);
}

static void take_cmdline(const struct mb2_tag *t, struct lb_info *out)
{
	char *s;
	size_t room, len = tag_string(t, sizeof(struct mb2_tag), &s, &room);

	if (len == room && room) {
		/* No NUL: its last byte becomes the one lb_cmdline_take may write. */
		lb_note("the command line (tag 1) has no end in its %zu bytes: %zu are taken", room,
			room - 1);
		len = room - 1;
	}
	if (len)
		lb_cmdline_take(s, len, out);
}

/* s (len bytes) into dst (size bytes), cut to fit, terminated. */
static void copy_cut(char *dst, size_t size, const char *s, size_t len)
{
	len = MIN(len, size - 1);
	memcpy(dst, s, len);
	dst[len] = '\0';
}

static bool is_word(const char *s, size_t len, const char *word)
{
	size_t n = strlen(word);

	return len >= n && memcmp(s, word, n) == 0 && (len == n || s[n] == ' ');
}

static void take_module(const struct mb2_tag *t, int i, struct lb_info *out, struct mb2_extra *x)
{
	const struct mb2_tag_module *m = (const void *)t;
	u64 start, size;
	const void *file;
	struct elf_layout el;
	const char *bad;
	char elf_why[ERR_WHY_MAX];
	char *s;
	size_t room, len;

	if (t->size < sizeof(*m) || m->mod_end < m->mod_start) {
		lb_note("module %d (tag 3, %u bytes): not one; ignored", i, t->size);
		return;
	}
	len = tag_string(t, sizeof(*m), &s, &room);
	start = m->mod_start;
	size = (u64)m->mod_end - m->mod_start;
	if (is_word(s, len, MB2_IMAGE_MODULE) && !x->image.size) {
		/* GRUB page-aligns modules; elf_layout reads the headers in place. */
		file = IS_ALIGNED(start, 8) ? lb_map(start, size) : NULL;
		bad = !IS_ALIGNED(start, 8) ? "it is not 8-byte aligned"
		      : !file               ? "it cannot be read"
		      : elf_layout(file, size, EM_X86_64, &el, elf_why, sizeof(elf_why)) ? elf_why
											 : NULL;
		if (bad) {
			lb_note("module %d at 0x%llx (%llu bytes), \"%s\": %s; not the kernel file, so "
				"the kernel cannot kexec",
				i, (unsigned long long)start, (unsigned long long)size,
				MB2_IMAGE_MODULE, bad);
			return;
		}
		x->image = (struct lb_range){ start, size };
		lb_note("module %d at 0x%llx (%llu bytes), \"%s\": the kernel file, which kexec reuses",
			i, (unsigned long long)start, (unsigned long long)size, MB2_IMAGE_MODULE);
	} else if (is_word(s, len, MB2_INITRD_MODULE) && !out->initrd_size && size) {
		out->initrd_base = start;
		out->initrd_size = size;
		lb_note("module %d at 0x%llx (%llu bytes), \"%s\": the initrd", i,
			(unsigned long long)start, (unsigned long long)size, MB2_INITRD_MODULE);
	} else {
		char name[64];

		copy_cut(name, sizeof(name), s, len);
		lb_note("module %d at 0x%llx (%llu bytes), \"%s\": not used", i,
			(unsigned long long)start, (unsigned long long)size, name);
	}
}

static void note_framebuffer(const struct mb2_tag *t)
{
	static const char *const kinds[] = { "indexed colours", "RGB", "EGA text" };
	const struct mb2_tag_framebuffer *f = (const void *)t;

	if (t->size < sizeof(*f))
		return;
	lb_note("framebuffer %ux%u, %u bits per pixel, at 0x%llx (%s): not used; the console is COM1",
		f->width, f->height, f->bpp, (unsigned long long)f->addr,
		f->type < ARRAY_SIZE(kinds) ? kinds[f->type] : "of an unknown kind");
}

/* The ACPI RSDP (see the top of the file). A tag's copy that is used gets
 * an e820 entry of type ACPI over its bytes, when a map was read. */
static u64 find_rsdp(const struct mb2_tag *const *first, u64 mbi, const u8 *info, int *n)
{
	static const u32 copies[] = { MB2_TAG_ACPI_NEW, MB2_TAG_ACPI_OLD };
	const struct mb2_tag *t = first[MB2_TAG_EFI64];
	u64 p = 0;

	if (t && t->size >= sizeof(struct mb2_tag_efi64))
		p = rsdp_from_efi(((const struct mb2_tag_efi64 *)(const void *)t)->pointer);
	if (!p && first[MB2_TAG_EFI32])
		lb_note("a 32-bit UEFI (tag 11): its tables are not read");
	if (!p)
		p = rsdp_from_bios();
	for (unsigned i = 0; !p && i < ARRAY_SIZE(copies); i++) {
		u64 at;

		t = first[copies[i]];
		if (!t || t->size < sizeof(*t) + 20)
			continue;
		at = mbi + (u64)((const u8 *)t - info) + sizeof(*t);
		if (!rsdp_valid(at))
			continue;
		p = at;
		if (*n)
			add_entry(n, ALIGN_DOWN(at, PAGE),
				  ALIGN_UP(at + t->size - sizeof(*t), PAGE) - ALIGN_DOWN(at, PAGE),
				  E820_TYPE_ACPI);
		lb_note("the ACPI RSDP is only in GRUB's copy (tag %u) at 0x%llx: its page is kept as "
			"ACPI memory",
			copies[i], (unsigned long long)at);
	}
	if (!p)
		lb_note("no ACPI RSDP (not in an EFI system table, the BIOS areas or a tag): the kernel "
			"will halt where it would power off");
	return p;
}

const char *mb2_info_read(u32 magic, u64 mbi, struct lb_info *out, struct mb2_extra *x)
{
	const struct mb2_tag *first[NR_KINDS] = { 0 }, *modules[MAX_MODULES];
	const struct mb2_info *head;
	char seen[3 * NR_KINDS + 1] = "";
	size_t nseen = 0;
	int n = 0, nmod = 0;
	u32 total, off;
	u8 *info;

	memset(out, 0, sizeof(*out));
	memset(x, 0, sizeof(*x));
	out->loader = "multiboot2-x86_64";
	out->model = "PC (multiboot2, Baton)";
	if (magic != MB2_BOOTLOADER_MAGIC) {
		lb_note("eax is 0x%08x, not multiboot2's 0x%08x", magic, MB2_BOOTLOADER_MAGIC);
		out->rsdp = rsdp_from_bios(); /* for the kernel's poweroff, if there is one */
		return "not entered by a multiboot2 loader (eax is not its magic), so ebx is not read";
	}
	head = mbi && IS_ALIGNED(mbi, MB2_ALIGN) ? lb_map(mbi, sizeof(*head)) : NULL;
	total = head ? head->total_size : 0;
	if (total < sizeof(*head) + sizeof(struct mb2_tag) || total > MB2_MAX_INFO ||
	    !(info = lb_map(mbi, total))) {
		lb_note("the information at 0x%llx (total_size %u) cannot be read",
			(unsigned long long)mbi, total);
		out->rsdp = rsdp_from_bios();
		return "the multiboot2 information cannot be read";
	}

	for (off = sizeof(*head);;) {
		const struct mb2_tag *t = (const void *)(info + off);

		if (off > total - sizeof(*t)) {
			lb_note("the information has no end tag: its %u bytes are taken", total);
			break;
		}
		if (t->type == MB2_TAG_END)
			break;
		if (t->size < sizeof(*t) || t->size > total - off) {
			lb_note("tag %u at offset %u: its size %u runs past the information's %u bytes; "
				"the rest is ignored",
				t->type, off, t->size, total);
			break;
		}
		if (t->type < NR_KINDS && !first[t->type]) {
			first[t->type] = t;
			nseen += (size_t)snprintf(seen + nseen, sizeof(seen) - nseen, " %u",
						  t->type);
		}
		if (t->type == MB2_TAG_MODULE && nmod++ < MAX_MODULES)
			modules[nmod - 1] = t;
		off += ALIGN_UP(t->size, (u32)MB2_ALIGN);
	}

	if (first[MB2_TAG_LOADER_NAME]) {
		char *s;
		size_t room, len = tag_string(first[MB2_TAG_LOADER_NAME], sizeof(struct mb2_tag),
					      &s, &room);

		copy_cut(x->loader, sizeof(x->loader), s, len);
	}
	lb_note("information at 0x%llx, %u bytes, from \"%s\": tags%s", (unsigned long long)mbi,
		total, x->loader, seen);
	if (first[MB2_TAG_CMDLINE])
		take_cmdline(first[MB2_TAG_CMDLINE], out);
	for (int i = 0; i < MIN(nmod, MAX_MODULES); i++)
		take_module(modules[i], i, out, x);
	if (nmod > MAX_MODULES)
		lb_note("%d modules: those past the first %d are ignored", nmod, MAX_MODULES);
	if (first[MB2_TAG_FRAMEBUFFER])
		note_framebuffer(first[MB2_TAG_FRAMEBUFFER]);
	if (first[MB2_TAG_EFI_BS])
		lb_note("EFI boot services were not exited (tag 18): their memory is taken as RAM");

	if (first[MB2_TAG_EFI_MMAP])
		n = take_map(first[MB2_TAG_EFI_MMAP], true);
	x->efi_map = n > 0;
	if (!n && first[MB2_TAG_MMAP])
		n = take_map(first[MB2_TAG_MMAP], false);
	out->rsdp = find_rsdp(first, mbi, info, &n);
	if (!x->image.size)
		lb_note("no module \"%s\" (module2 /boot/baton.elf %s): the kernel boots, but cannot "
			"kexec",
			MB2_IMAGE_MODULE, MB2_IMAGE_MODULE);

	if (n == 0)
		return "the multiboot2 information has no memory map (neither tag 6 nor tag 17)";
	return e820_use(e820, n, out);
}

/*
 * test_multiboot2.c — the multiboot2 front end's information reader
 * (boot/multiboot2/info.c) on the fake physical memory of fake_phys.c,
 * with information shaped as GRUB 2.06 hands it over on BIOS and on UEFI,
 * and hostile information: sizes that run past the end, no end tag, no NUL,
 * a module that is not the kernel, no memory map. Each FDT the front end
 * would write is read back by the kernel's own reader (kernel/bootfdt.c),
 * which must accept it and see the same memory.
 */
#include <stdio.h>
#include <string.h>
#include <libfdt.h>

#include "harness.h"
#include "host.h"
#include "fake_phys.h"
#include "bootfdt.h"
#include "elf64.h"
#include "multiboot2.h"
#include "boot/multiboot2/mb2boot.h"

#define MBI 0x10000ULL    /* where the tests put the information */
#define KFILE 0x200000ULL /* and the kernel file, module "baton,image" */
#define BIOS_RSDP 0xf59e0ULL

static struct lb_info info;
static struct mb2_extra x;
static u64 fdt_buf[LB_FDT_SIZE / 8];
static u32 mbi_len;

static void *tag(u32 type, u32 size)
{
	struct mb2_tag *t = fake_at(MBI + mbi_len);

	memset(t, 0, size);
	t->type = type;
	t->size = size;
	mbi_len += ALIGN_UP(size, (u32)MB2_ALIGN);
	return t;
}

static void mbi_begin(void)
{
	mbi_len = sizeof(struct mb2_info);
}

/* The end tag and total_size. */
static void mbi_end(void)
{
	tag(MB2_TAG_END, 8);
	((struct mb2_info *)fake_at(MBI))->total_size = mbi_len;
}

static void t_string(u32 type, const char *s)
{
	struct mb2_tag_string *t = tag(type, (u32)(sizeof(*t) + strlen(s) + 1));

	strcpy(t->string, s);
}

static void t_module(u64 start, u64 size, const char *s)
{
	struct mb2_tag_module *t = tag(MB2_TAG_MODULE, (u32)(sizeof(*t) + strlen(s) + 1));

	t->mod_start = (u32)start;
	t->mod_end = (u32)(start + size);
	strcpy(t->string, s);
}

static void t_mmap(const struct mb2_mmap_entry *e, int n)
{
	struct mb2_tag_mmap *t = tag(MB2_TAG_MMAP, (u32)(sizeof(*t) + n * sizeof(*e)));

	t->entry_size = sizeof(*e);
	memcpy(t->entries, e, n * sizeof(*e));
}

/* An EFI memory map of n descriptors of 48 bytes, as OVMF's. */
static void t_efi_mmap(const struct mb2_efi_memdesc *d, int n)
{
	struct mb2_tag_efi_mmap *t = tag(MB2_TAG_EFI_MMAP, (u32)(sizeof(*t) + n * 48));

	t->descr_size = 48;
	t->descr_version = 1;
	for (int i = 0; i < n; i++)
		memcpy(t->descr + 48 * i, &d[i], sizeof(d[i]));
}

static void t_efi64(u64 systab)
{
	struct mb2_tag_efi64 *t = tag(MB2_TAG_EFI64, sizeof(*t));

	t->pointer = systab;
}

/* A tag with a copy of the RSDP at pa; returns where the copy lies. */
static u64 t_acpi(u32 type, u64 pa)
{
	u64 at = MBI + mbi_len + sizeof(struct mb2_tag);
	struct mb2_tag *t = tag(type, sizeof(*t) + 36);

	memcpy(t + 1, fake_at(pa), 36);
	return at;
}

/* A Baton-shaped kernel ELF of size bytes at pa: one PT_LOAD at
 * KERNEL_VBASE, as elf_layout wants it. */
static void kernel_file(u64 pa, u64 size)
{
	struct elf64_ehdr *eh = fake_at(pa);
	struct elf64_phdr *ph = fake_at(pa + sizeof(*eh));

	memset(eh, 0, size);
	memcpy(eh->ident, ELF_MAGIC, 4);
	eh->ident[4] = ELFCLASS64;
	eh->ident[5] = ELFDATA2LSB;
	eh->type = ET_EXEC;
	eh->machine = EM_X86_64;
	eh->entry = 0xffffffff80000000ULL;
	eh->phoff = sizeof(*eh);
	eh->phentsize = sizeof(*ph);
	eh->phnum = 1;
	*ph = (struct elf64_phdr){ .type = PT_LOAD,
				   .offset = 0x1000,
				   .vaddr = 0xffffffff80000000ULL,
				   .filesz = size - 0x1000,
				   .memsz = 0x80000 };
}

/* SeaBIOS's PC with 512 MiB as GRUB describes it (tag 6). */
static const struct mb2_mmap_entry bios_map[] = {
	{ 0, 0x9fc00, MB2_MEMORY_AVAILABLE, 0 },
	{ 0x9fc00, 0x400, MB2_MEMORY_RESERVED, 0 },
	{ 0xf0000, 0x10000, MB2_MEMORY_RESERVED, 0 },
	{ 0x100000, 0x1fee0000, MB2_MEMORY_AVAILABLE, 0 },
	{ 0x1ffe0000, 0x20000, MB2_MEMORY_RESERVED, 0 },
	{ 0xfeffc000, 0x4000, MB2_MEMORY_RESERVED, 0 },
};

/* GRUB's information on a BIOS PC: what x86_64-grub-bios gets. */
static void bios_pc(const char *cmdline)
{
	fake_rsdp(BIOS_RSDP);
	kernel_file(KFILE, 0x20000);
	mbi_begin();
	t_string(MB2_TAG_CMDLINE, cmdline);
	t_string(MB2_TAG_LOADER_NAME, "GRUB 2.06-13+deb12u2");
	t_module(KFILE, 0x20000, "baton,image");
	t_mmap(bios_map, ARRAY_SIZE(bios_map));
	t_acpi(MB2_TAG_ACPI_OLD, BIOS_RSDP);
}

/* The boot FDT for info, which the kernel's reader must accept. */
static void *fdt_of(const char *why)
{
	char bad[ERR_WHY_MAX];

	REQUIRE(lb_fdt_build(fdt_buf, sizeof(fdt_buf), &info, x.image, why) == 0);
	if (bootfdt_check(fdt_buf, fdt_totalsize(fdt_buf), bad, sizeof(bad)))
		host_fail(__FILE__, __LINE__, "the kernel refuses the FDT: %s", bad);
	return fdt_buf;
}

/* The FDT's RAM is exactly want[0..n). */
static void expect_ram(const void *fdt, const struct mem_range *want, int n)
{
	struct mem_range ram[8];

	REQUIRE(bootfdt_memory(fdt, ram, 8) == n);
	for (int i = 0; i < n; i++)
		if (ram[i].base != want[i].base || ram[i].size != want[i].size)
			host_fail(__FILE__, __LINE__,
				  "RAM range %d is 0x%llx+0x%llx, not 0x%llx+0x%llx", i,
				  (unsigned long long)ram[i].base, (unsigned long long)ram[i].size,
				  (unsigned long long)want[i].base,
				  (unsigned long long)want[i].size);
}

TEST(multiboot2, grub_on_bios)
{
	static const struct mem_range want[] = { { 0, 0x9f000 }, { 0x100000, 0x1fee0000 } };
	struct mem_range img;
	const void *fdt;
	u64 v;

	bios_pc("ktest=all kexec.chain=3");
	mbi_end();
	REQUIRE(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI, &info, &x) == NULL);
	EXPECT_STR(x.loader, "GRUB 2.06-13+deb12u2");
	EXPECT_STR(info.cmdline, "ktest=all kexec.chain=3");
	EXPECT_EQ(x.image.base, KFILE);
	EXPECT_EQ(x.image.size, 0x20000);
	EXPECT(!x.efi_map);
	/* The RSDP itself, in the BIOS area, not GRUB's copy of it. */
	EXPECT_EQ(info.rsdp, BIOS_RSDP);
	EXPECT_NOTE("information at 0x10000,");
	EXPECT_NOTE("from \"GRUB 2.06-13+deb12u2\": tags 1 2 3 6 14");
	EXPECT_NOTE("module 0 at 0x200000 (131072 bytes), \"baton,image\": the kernel file");
	EXPECT_NOTE("memory map: multiboot2's (tag 6), 6 entries of 24 bytes");

	fdt = fdt_of(NULL);
	EXPECT_STR(bootfdt_bootargs(fdt), "ktest=all kexec.chain=3");
	EXPECT_STR(bootfdt_chosen_string(fdt, "baton,loader"), "multiboot2-x86_64");
	EXPECT(bootfdt_chosen_range(fdt, "baton,image", &img) && img.base == KFILE &&
	       img.size == 0x20000);
	EXPECT(bootfdt_chosen_u64(fdt, "baton,acpi-rsdp", &v) && v == BIOS_RSDP);
	expect_ram(fdt, want, ARRAY_SIZE(want));
}

/* GRUB on UEFI: the EFI memory map is preferred to tag 6, and taken as the
 * EFI loader takes a UEFI map; the RSDP is the system table's. */
TEST(multiboot2, grub_on_uefi)
{
	static const struct mb2_efi_memdesc efi_map[] = {
		{ .type = 7, .phys_start = 0, .pages = 0xa0 },            /* conventional */
		{ .type = 4, .phys_start = 0x100000, .pages = 0x700 },    /* boot services data */
		{ .type = 2, .phys_start = 0x800000, .pages = 0x100 },    /* loader data */
		{ .type = 6, .phys_start = 0x900000, .pages = 0x10 },     /* runtime data */
		{ .type = 9, .phys_start = 0x910000, .pages = 0x10 },     /* ACPI reclaim */
		{ .type = 0, .phys_start = 0x920000, .pages = 0x10 },     /* reserved */
		{ .type = 7, .phys_start = 0x930000, .pages = 0x1f6d0 },  /* conventional */
		{ .type = 11, .phys_start = 0xffc00000, .pages = 0x400 }, /* MMIO */
	};
	static const struct mb2_mmap_entry other[] = { { 0, 0x1000000, MB2_MEMORY_AVAILABLE, 0 } };
	static const struct mem_range want[] = { { 0, 0xa0000 },
						 { 0x100000, 0x820000 },
						 { 0x930000, 0x1f6d0000 } };
	struct bootfdt_resv resv[8];
	const void *fdt;
	int n;

	fake_rsdp(0x911000);
	fake_efi_systab(0x900000, 0x901000, 0, 0x911000);
	kernel_file(KFILE, 0x20000);
	mbi_begin();
	t_string(MB2_TAG_CMDLINE, "ktest=all");
	t_module(KFILE, 0x20000, "baton,image");
	t_mmap(other, ARRAY_SIZE(other));
	t_efi64(0x900000);
	t_efi_mmap(efi_map, ARRAY_SIZE(efi_map));
	mbi_end();
	REQUIRE(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI, &info, &x) == NULL);
	EXPECT(x.efi_map);
	EXPECT_NOTE("memory map: the EFI memory map (tag 17), 8 entries of 48 bytes");
	EXPECT_EQ(info.rsdp, 0x911000);
	EXPECT_STR(x.loader, "");

	fdt = fdt_of(NULL);
	/* RAM: everything but the hole below 1 MiB, the reserved pages and
	 * MMIO; the runtime data and ACPI tables are kept by the firmware
	 * (memreserve). */
	expect_ram(fdt, want, ARRAY_SIZE(want));
	n = bootfdt_reserved(fdt, resv, 8);
	REQUIRE(n == 1);
	EXPECT_EQ(resv[0].base, 0x900000);
	EXPECT_EQ(resv[0].size, 0x20000);
}

/* Without the RSDP itself (no EFI table, nothing in the BIOS areas), the
 * tag's copy is used where it lies, its page kept as ACPI memory. */
TEST(multiboot2, rsdp_only_in_a_tag)
{
	struct bootfdt_resv resv[8];
	u64 copy;
	int n;

	bios_pc("a=1");
	copy = t_acpi(MB2_TAG_ACPI_NEW, BIOS_RSDP);
	mbi_end();
	memset(fake_at(BIOS_RSDP), 0, 36);
	REQUIRE(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI, &info, &x) == NULL);
	EXPECT_EQ(info.rsdp, copy);
	EXPECT_NOTE("the ACPI RSDP is only in GRUB's copy (tag 15)");
	n = bootfdt_reserved(fdt_of(NULL), resv, 8);
	REQUIRE(n == 1);
	EXPECT_EQ(resv[0].base, ALIGN_DOWN(copy, 0x1000ULL));
}

/* eax is not multiboot2's: ebx is not read at all (here it points nowhere). */
TEST(multiboot2, not_multiboot2)
{
	fake_rsdp(BIOS_RSDP);
	EXPECT_STR(mb2_info_read(0x2badb002, 0xdead0000, &info, &x),
		   "not entered by a multiboot2 loader (eax is not its magic), so ebx is not read");
	EXPECT_NOTE("eax is 0x2badb002, not multiboot2's 0x36d76289");
	EXPECT_EQ(info.rsdp, BIOS_RSDP);
	EXPECT_STR(bootfdt_chosen_string(fdt_of("not multiboot2"), "baton,loader-error"),
		   "not multiboot2");
}

TEST(multiboot2, information_out_of_reach)
{
	EXPECT_STR(mb2_info_read(MB2_BOOTLOADER_MAGIC, FAKE_LOW_SIZE - 8, &info, &x),
		   "the multiboot2 information cannot be read");
	bios_pc("a=1");
	mbi_end();
	((struct mb2_info *)fake_at(MBI))->total_size = MB2_MAX_INFO + 8;
	EXPECT_STR(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI, &info, &x),
		   "the multiboot2 information cannot be read");
	EXPECT_STR(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI + 4, &info, &x),
		   "the multiboot2 information cannot be read");
	EXPECT_STR(mb2_info_read(MB2_BOOTLOADER_MAGIC, 0, &info, &x),
		   "the multiboot2 information cannot be read");
}

/* A tag that runs past total_size ends the walk; what came before stays. */
TEST(multiboot2, tag_past_the_end)
{
	struct mb2_tag *t;

	bios_pc("a=1");
	t = tag(MB2_TAG_FRAMEBUFFER, 32);
	mbi_end();
	t->size = 0x10000;
	REQUIRE(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI, &info, &x) == NULL);
	EXPECT_NOTE("tag 8 at offset");
	EXPECT_NOTE("runs past the information's");
	EXPECT_NO_NOTE("framebuffer");
	EXPECT_EQ(info.nr_ram, 2);

	t->size = 4; /* shorter than a tag */
	host_log_clear();
	REQUIRE(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI, &info, &x) == NULL);
	EXPECT_NOTE("tag 8 at offset");
}

/* No end tag: the tags up to total_size are taken. */
TEST(multiboot2, no_end_tag)
{
	bios_pc("a=1");
	((struct mb2_info *)fake_at(MBI))->total_size = mbi_len;
	REQUIRE(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI, &info, &x) == NULL);
	EXPECT_NOTE("the information has no end tag");
	EXPECT_STR(info.cmdline, "a=1");
}

/* A command line with no NUL in its tag: taken within the tag. */
TEST(multiboot2, command_line_without_end)
{
	struct mb2_tag_string *t;

	mbi_begin();
	t = tag(MB2_TAG_CMDLINE, sizeof(*t) + 8);
	memcpy(t->string, "abcdefgh", 8);
	t_mmap(bios_map, ARRAY_SIZE(bios_map));
	mbi_end();
	REQUIRE(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI, &info, &x) == NULL);
	EXPECT_NOTE("the command line (tag 1) has no end in its 8 bytes: 7 are taken");
	EXPECT_STR(info.cmdline, "abcdefg");
}

/* Modules: the kernel file only when it is Baton's ELF; the initrd; others
 * named and left alone. */
TEST(multiboot2, modules)
{
	kernel_file(KFILE, 0x20000);
	kernel_file(0x600000, 0x2000);
	((struct elf64_ehdr *)fake_at(0x600000))->phoff = 65;
	mbi_begin();
	t_module(0x300000, 0x1000, "baton,image");   /* zeros: not an ELF */
	t_module(KFILE + 4, 0x20000, "baton,image"); /* not aligned */
	t_module(0x600000, 0x2000, "baton,image");   /* its program headers not aligned */
	t_module(KFILE, 0x20000, "baton,image extra words");
	t_module(0x400000, 0x2345, "initrd");
	t_module(0x500000, 0x10, "notes.txt");
	t_mmap(bios_map, ARRAY_SIZE(bios_map));
	mbi_end();
	REQUIRE(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI, &info, &x) == NULL);
	EXPECT_NOTE("module 0 at 0x300000 (4096 bytes), \"baton,image\": not a little-endian ELF64 "
		    "executable; not the kernel file");
	EXPECT_NOTE(
		"module 1 at 0x200004 (131072 bytes), \"baton,image\": it is not 8-byte aligned");
	EXPECT_EQ(x.image.base, KFILE);
	EXPECT_EQ(info.initrd_base, 0x400000);
	EXPECT_EQ(info.initrd_size, 0x2345);
	EXPECT_NOTE(
		"module 2 at 0x600000 (8192 bytes), \"baton,image\": program headers not 8-byte "
		"aligned in the file");
	EXPECT_NOTE("module 5 at 0x500000 (16 bytes), \"notes.txt\": not used");
	EXPECT_NO_NOTE("no module \"baton,image\"");
}

TEST(multiboot2, no_kernel_file)
{
	mbi_begin();
	t_mmap(bios_map, ARRAY_SIZE(bios_map));
	mbi_end();
	REQUIRE(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI, &info, &x) == NULL);
	EXPECT_EQ(x.image.size, 0);
	EXPECT_NOTE("no module \"baton,image\" (module2 /boot/baton.elf baton,image): the kernel "
		    "boots, but cannot kexec");
	EXPECT(!bootfdt_chosen_string(fdt_of(NULL), "baton,image"));
}

/* Information the kernel cannot boot from. */
TEST(multiboot2, no_memory_map)
{
	mbi_begin();
	t_string(MB2_TAG_CMDLINE, "ktest=all");
	mbi_end();
	EXPECT_STR(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI, &info, &x),
		   "the multiboot2 information has no memory map (neither tag 6 nor tag 17)");
}

TEST(multiboot2, no_ram)
{
	static const struct mb2_mmap_entry map[] = { { 0x100000, 0x100000, MB2_MEMORY_BADRAM, 0 } };

	mbi_begin();
	t_mmap(map, ARRAY_SIZE(map));
	mbi_end();
	EXPECT_STR(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI, &info, &x),
		   "the memory map has no RAM in it");
}

/* A memory map tag whose entries are too small to be entries is no map. */
TEST(multiboot2, map_of_nonsense)
{
	struct mb2_tag_mmap *t;

	mbi_begin();
	t = tag(MB2_TAG_MMAP, sizeof(*t) + 48);
	t->entry_size = 8;
	mbi_end();
	EXPECT_STR(mb2_info_read(MB2_BOOTLOADER_MAGIC, MBI, &info, &x),
		   "the multiboot2 information has no memory map (neither tag 6 nor tag 17)");
	EXPECT_NOTE("memory map: multiboot2's (tag 6): 64 bytes, entries of 8: not a map; ignored");
}

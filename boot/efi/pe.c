/*
 * pe.c — a named section of a loaded PE/COFF image (pe.h). The layout, from
 * the PE/COFF specification:
 *
 *   0x00  "MZ"                        the DOS header
 *   0x3c  u32 e_lfanew                where the PE signature is
 *   e_lfanew       "PE\0\0"
 *   e_lfanew + 4   COFF header, 20 bytes: u16 Machine, u16 NumberOfSections,
 *                  ..., u16 SizeOfOptionalHeader at +16
 *   e_lfanew + 24  the optional header, SizeOfOptionalHeader bytes
 *   then           NumberOfSections headers of 40 bytes: char Name[8],
 *                  u32 VirtualSize, u32 VirtualAddress, ...
 *
 * Every field is little-endian and read bytewise: the loaded image is
 * aligned, but a host test's buffer need not be.
 */
#include "pe.h"
#include "kstring.h"

#define PE_SIG_OFF 0x3c
#define COFF_SIZE 20
#define SECTION_SIZE 40

static u32 le16(const u8 *p)
{
	return (u32)p[0] | (u32)p[1] << 8;
}

static u32 le32(const u8 *p)
{
	return le16(p) | le16(p + 2) << 16;
}

/* Does the section header's 8-byte name field say name? */
static bool name_is(const u8 *field, const char *name, size_t len)
{
	return memcmp(field, name, len) == 0 && (len == PE_NAME_MAX || field[len] == 0);
}

int pe_section(const void *image, u64 size, const char *name, struct pe_span *out, char *why,
	       size_t n)
{
	const u8 *b = image;
	size_t len = strlen(name);
	u64 pe, table, nsec;
	int found = 0;

	if (len == 0 || len > PE_NAME_MAX)
		return err_why(why, n, -EINVAL, "a section name is 1 to 8 bytes, not %zu", len);
	if (size < PE_SIG_OFF + 4 || b[0] != 'M' || b[1] != 'Z')
		return err_why(why, n, -ENOEXEC, "no MZ header");
	pe = le32(b + PE_SIG_OFF);
	if (pe > size || size - pe < 4 + COFF_SIZE || memcmp(b + pe, "PE\0\0", 4) != 0)
		return err_why(why, n, -ENOEXEC, "no PE signature within the image");
	nsec = le16(b + pe + 4 + 2);
	table = pe + 4 + COFF_SIZE + le16(b + pe + 4 + 16);
	if (table > size || (size - table) / SECTION_SIZE < nsec)
		return err_why(why, n, -ENOEXEC, "%llu section headers run past the image",
			       (unsigned long long)nsec);
	for (u64 i = 0; i < nsec; i++) {
		const u8 *s = b + table + i * SECTION_SIZE;
		u64 vsize = le32(s + 8), vaddr = le32(s + 12);

		if (!name_is(s, name, len))
			continue;
		if (found)
			return err_why(why, n, -EINVAL, "two %s sections", name);
		if (vaddr > size || vsize > size - vaddr)
			return err_why(
				why, n, -ENOEXEC,
				"section %s (0x%llx bytes at 0x%llx) runs past the image's 0x%llx",
				name, (unsigned long long)vsize, (unsigned long long)vaddr,
				(unsigned long long)size);
		out->offset = vaddr;
		out->size = vsize;
		found = 1;
	}
	return found;
}

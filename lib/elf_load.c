/*
 * elf_load.c — checks Baton's kernel ELF and copies its segments into place
 * (include/elf_load.h). The EFI loader, kexec and the front ends call it;
 * none trusts the file: every header field that leads to memory is bounded,
 * and the program headers must be aligned as they are read in place (the
 * file itself is: callers pass it 8-byte aligned).
 */
#include "elf_load.h"
#include "elf64.h"
#include "compiler.h"
#include "kerrno.h"
#include "kstring.h"

#define ALIGN_2M 0x200000ULL

int elf_layout(const void *elf, u64 size, u16 machine, struct elf_layout *out, char *why, size_t n)
{
	const struct elf64_ehdr *eh = elf;
	const struct elf64_phdr *ph;
	u64 vmin = ~0ULL, vmax = 0;

	if (size < sizeof(*eh) || memcmp(eh->ident, ELF_MAGIC, 4) != 0 ||
	    eh->ident[4] != ELFCLASS64 || eh->ident[5] != ELFDATA2LSB || eh->type != ET_EXEC)
		return err_why(why, n, -ENOEXEC, "not a little-endian ELF64 executable");
	if (eh->machine != machine)
		return err_why(why, n, -ENOEXEC, "an ELF for another machine");
	if (eh->phentsize != sizeof(*ph) || eh->phnum == 0 || eh->phoff > size ||
	    (u64)eh->phnum * sizeof(*ph) > size - eh->phoff)
		return err_why(why, n, -ENOEXEC, "program headers outside the file");
	if (!IS_ALIGNED(eh->phoff, 8))
		return err_why(why, n, -ENOEXEC, "program headers not 8-byte aligned in the file");
	ph = (const void *)((const u8 *)elf + eh->phoff);
	for (int i = 0; i < eh->phnum; i++) {
		if (ph[i].type != PT_LOAD)
			continue;
		if (ph[i].offset > size || ph[i].filesz > size - ph[i].offset ||
		    ph[i].filesz > ph[i].memsz || ph[i].vaddr + ph[i].memsz < ph[i].vaddr)
			return err_why(why, n, -ENOEXEC,
				       "a segment lies outside the file or wraps");
		vmin = MIN(vmin, ph[i].vaddr);
		vmax = MAX(vmax, ph[i].vaddr + ph[i].memsz);
	}
	if (vmax <= vmin || !IS_ALIGNED(vmin, ALIGN_2M) || eh->entry < vmin || eh->entry >= vmax ||
	    vmax - vmin > (1ULL << 30))
		return err_why(why, n, -ENOEXEC,
			       "segments or entry not laid out as a Baton kernel");
	*out = (struct elf_layout){ vmin, vmax - vmin, eh->entry - vmin };
	return 0;
}

void elf_copy(const void *elf, void *dest, const struct elf_layout *l)
{
	const struct elf64_ehdr *eh = elf;
	const struct elf64_phdr *ph = (const void *)((const u8 *)elf + eh->phoff);

	memset(dest, 0, l->span);
	for (int i = 0; i < eh->phnum; i++) {
		if (ph[i].type == PT_LOAD)
			memcpy((u8 *)dest + (ph[i].vaddr - l->vmin), (const u8 *)elf + ph[i].offset,
			       ph[i].filesz);
	}
}

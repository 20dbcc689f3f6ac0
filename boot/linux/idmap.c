/*
 * idmap.c — the front end's own identity map (virtual = physical), so that
 * what it reads and writes is mapped whoever loaded it: the 64-bit protocol
 * promises only our init_size window, the boot_params and the command line;
 * setup_data, the initrd, KHO's scratch array and the EFI system table may
 * be anywhere, above 4 GiB too.
 *
 * The tables live in the work area (bzimage.ld): the six boot tables map
 * 0..4 GiB with 2 MiB pages, exactly as entry.S's 32-bit entry built them
 * (and as the kernel's entry.S needs: it is entered under this map), and
 * up to LB_POOL_TABLES more map 2 MiB pages above 4 GiB on demand
 * (lb_map). Rebuilding the boot tables while they are live (after the
 * 32-bit entry) writes the same values, so it is harmless.
 *
 * Refused: 5-level paging (CR4.LA57; we do not set XLF_5LEVEL, and leaving
 * it means leaving long mode), and addresses beyond what the CPU can
 * address (CPUID 0x80000008) or 2^47.
 */
#include "linuxboot.h"
#include "kstring.h"
#include "arch/x86_64/regs.h"

#define PTE_PW (PTE_P | PTE_W)
#define PTE_ADDR 0x000ffffffffff000ULL
#define CR4_LA57 (1ULL << 12)
#define SZ_2M 0x200000ULL

extern u64 lb_boot_pml4[], lb_pool[], lb_pool_end[];

static u64 *pml4;
static unsigned pool_used;
static u64 phys_limit;

static u64 *pool_table(void)
{
	u64 *t;

	if (lb_pool + (pool_used + 1) * 512 > lb_pool_end)
		return NULL;
	t = lb_pool + pool_used++ * 512;
	memset(t, 0, 4096);
	return t;
}

/* The next level's table for entry e, made when absent. */
static u64 *next_table(u64 *e)
{
	u64 *t;

	if (*e & 1)
		return (u64 *)(uintptr_t)(*e & PTE_ADDR);
	t = pool_table();
	if (t)
		*e = (u64)(uintptr_t)t | PTE_PW;
	return t;
}

static bool map_2m(u64 pa)
{
	u64 *pdpt, *pd;

	pdpt = next_table(&pml4[(pa >> 39) & 511]);
	pd = pdpt ? next_table(&pdpt[(pa >> 30) & 511]) : NULL;
	if (!pd)
		return false;
	if (!(pd[(pa >> 21) & 511] & 1))
		pd[(pa >> 21) & 511] = (pa & ~(SZ_2M - 1)) | PTE_PW | PTE_PS;
	return true;
}

void *lb_map(u64 pa, u64 len)
{
	u64 end;

	if (len == 0)
		len = 1;
	end = pa + len;
	if (end <= pa || end > phys_limit)
		return NULL;
	for (u64 a = pa & ~(SZ_2M - 1); a < end; a += SZ_2M)
		if (a >= LB_4G && !map_2m(a))
			return NULL;
	return (void *)(uintptr_t)pa;
}

const char *lb_idmap_init(u64 win, u64 win_size)
{
	u64 cr4, *pdpt, *pd;
	u32 eax, ebx, ecx, edx;

	__asm__ volatile("mov %%cr4, %0" : "=r"(cr4));
	if (cr4 & CR4_LA57)
		return "entered with 5-level paging on (CR4.LA57), which the bzImage does not claim "
		       "(no XLF_5LEVEL) and the kernel does not speak";
	__asm__ volatile("cpuid" : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx) : "a"(0x80000000));
	if (eax >= 0x80000008) {
		__asm__ volatile("cpuid"
				 : "=a"(eax), "=b"(ebx), "=c"(ecx), "=d"(edx)
				 : "a"(0x80000008));
		phys_limit = 1ULL << (eax & 0xff);
	} else {
		phys_limit = 1ULL << 36;
	}
	if (phys_limit > 1ULL << 47)
		phys_limit = 1ULL << 47;

	pml4 = lb_boot_pml4;
	pdpt = pml4 + 512;
	pd = pml4 + 1024;
	for (int i = 0; i < 2048; i++)
		pd[i] = (u64)i * SZ_2M | PTE_PW | PTE_PS;
	for (int i = 0; i < 512; i++)
		pdpt[i] = i < 4 ? (u64)(uintptr_t)(pd + 512 * i) | PTE_PW : 0;
	for (int i = 0; i < 512; i++)
		pml4[i] = i == 0 ? (u64)(uintptr_t)pdpt | PTE_PW : 0;
	/* Our window, when a 64-bit loader put it above 4 GiB. */
	if (!lb_map(win, win_size))
		return "loaded where this CPU cannot address (or past 2^47)";
	__asm__ volatile("mov %0, %%cr3" : : "r"((u64)(uintptr_t)pml4) : "memory");
	return NULL;
}

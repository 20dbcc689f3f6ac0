/*
 * cpu.c — the x86-64 side of include/arch/: halting, early setup, port I/O,
 * the early mappings, and the emergency console on COM1.
 */
#include "x86.h"
#include "console.h"
#include "memblock.h"
#include "printk.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include "arch/pio.h"
#include "arch/string.h"

const char arch_name[] = "x86_64";
const bool arch_has_pio = true;

/* entry.S's direct map covers the low 4 GiB with 2 MiB pages; above, it
 * grows on demand (pgtable.c). */
#define EARLY_DIRECT_MAP_END GiB(4)

void arch_halt(void)
{
	for (;;)
		__asm__ volatile("cli; hlt");
}

void arch_early_init(void)
{
	traps_init();
	x86_protect_kernel();
}

void arch_init(const void *fdt)
{
	acpi_init(fdt);
	smp_park_aps();
}

#define LOW_MEMORY_END 0x100000

void arch_reserve_firmware(const void *fdt)
{
	/* The loaders turned everything the firmware keeps into memory
	 * reservations already. Below 640 KiB the self-test of the parked
	 * application processors keeps a page of its own (smp.c). */
	smp_reserve_probe_page(fdt);
	/* The first 1 MiB (BIOS data, the EBDA, real-mode code) is never the
	 * allocator's, as in Linux, which reserves it always: a Linux
	 * kexec'd from here writes a trampoline below the EBDA while it
	 * decompresses, before it knows of KHO, so nothing preserved may
	 * live there. */
	if (memblock_reserve(0, LOW_MEMORY_END) < 0)
		pr_warn("x86: cannot reserve the first 1 MiB (memblock's table is full): the "
			"allocator may use it, and a Linux kexec'd later may overwrite it");
}

phys_addr_t arch_image_phys_base(void)
{
	return image_phys_base;
}

u8 arch_pio_read8(u16 port)
{
	return inb(port);
}

void arch_pio_write8(u16 port, u8 value)
{
	outb(port, value);
}

/* COM1 as the firmware left it; bounded wait so a missing UART cannot hang
 * a panic. */
void arch_emergency_putc(char c)
{
	for (int i = 0; i < 100000 && !(inb(0x3f8 + 5) & 0x20); i++)
		;
	outb(0x3f8, (u8)c);
}

bool arch_map_early(phys_addr_t phys, u64 size)
{
	if (phys < EARLY_DIRECT_MAP_END && size <= EARLY_DIRECT_MAP_END - phys)
		return true;
	return phys + size > phys && x86_map_direct(phys, size);
}

void *arch_ioremap(phys_addr_t phys, u64 size)
{
	/* Below 4 GiB devices are already mapped; the MTRRs the firmware set
	 * make MMIO uncached there. */
	return arch_map_early(phys, size) ? phys_to_virt(phys) : NULL;
}

void arch_poweroff(void)
{
	if (acpi_poweroff())
		pr_err("poweroff: ACPI S5 did not turn the machine off; halting the CPU");
	else /* said at boot (acpi:) */
		pr_notice(
			"poweroff: there is no ACPI way to turn the machine off; halting the CPU");
	arch_halt();
}

/* Port 0xCF9, the chipset's Reset Control Register (Intel ICH/PCH, and
 * QEMU's q35 and PIIX4): SYS_RST (bit 1) chooses a system reset, RST_CPU
 * (bit 2) going from 0 to 1 starts it. The 8042 keyboard controller's
 * command 0xFE pulses the CPU's reset line, once its input buffer is
 * empty (status bit 1 clear). */
#define RST_CNT 0xcf9
#define RST_CNT_SYS_RST 0x02
#define RST_CNT_RST_CPU 0x04
#define KBC_STATUS 0x64
#define KBC_STATUS_IBF 0x02
#define KBC_PULSE_RESET 0xfe

static void reset_pause(void)
{
	for (int i = 0; i < 10000000; i++)
		__asm__ volatile("pause");
}

void arch_reset(void)
{
	pr_notice("reboot: resetting the machine");
	console_flush();
	if (acpi_reset())
		pr_err("reboot: the ACPI reset register did not reset the machine; trying port 0xcf9");
	outb(RST_CNT, RST_CNT_SYS_RST);
	reset_pause();
	outb(RST_CNT, RST_CNT_SYS_RST | RST_CNT_RST_CPU);
	reset_pause();
	pr_err("reboot: port 0xcf9 did not reset the machine; trying the keyboard controller");
	for (int i = 0; i < 100000 && (inb(KBC_STATUS) & KBC_STATUS_IBF); i++)
		;
	outb(KBC_STATUS, KBC_PULSE_RESET);
	reset_pause();
	pr_err("reboot: the keyboard controller did not reset the machine either");
}

/* arch/string.h: one instruction a word under icount, and a fast string
 * operation on hardware for the long fills it is called for. */
void arch_fill64(u64 *p, u64 v, size_t n)
{
	__asm__ volatile("rep stosq" : "+D"(p), "+c"(n) : "a"(v) : "memory");
}

/* arch/cpu.h. RDRAND may come back empty (CF clear) when the CPU's
 * generator is drained; Intel's advice is ten tries. */
bool arch_random_u64(u64 *v)
{
	u32 r[4];

	cpuid(1, 0, r);
	if (!(r[2] & (1u << 30)))
		return false;
	for (int i = 0; i < 10; i++) {
		u8 ok;

		__asm__ volatile("rdrand %0; setc %1" : "=r"(*v), "=qm"(ok) : : "cc");
		if (ok)
			return true;
	}
	return false;
}

extern u8 canary_block[64]; /* entry.S: FS_BASE points here */

void arch_set_stack_canary(unsigned long v)
{
	*(volatile u64 *)(canary_block + 0x28) = v;
}

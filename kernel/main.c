/*
 * main.c — the kernel's init list. Read it top to bottom: this is the order
 * in which Baton comes up, each step depending only on the ones above it.
 *
 * The arch entry code (arch/<arch>/entry) has already set up a stack, the
 * stack-protector canary and a mapping of the image at its link address.
 */
#include "kernel.h"
#include "bootfdt.h"
#include "bootmem.h"
#include "buddy.h"
#include "folio.h"
#include "kexec.h"
#include "kexec_chain.h"
#include "kexec_timing.h"
#include "kho.h"
#include "kerrno.h"
#include "slab.h"
#include "cmdline.h"
#include "console.h"
#include "ktest.h"
#include "panic.h"
#include "uart.h"
#include "vmalloc.h"
#include "printk.h"
#include "random.h"
#include "shell.h"
#include "arch/counter.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include "kho/handover.h"
#include <libfdt.h>

/* Reach the FDT the loader handed over and validate it whole. Any problem
 * stops the boot here, with a sentence, before anything trusts the blob. */
static const void *boot_fdt_map(phys_addr_t phys)
{
	char why[ERR_WHY_MAX];
	void *fdt;
	u64 size, used;

	if (!phys)
		panic("boot: no device tree was passed (register was 0); cannot boot");
	/* The header first, then as much as it claims, up to the limit. */
	if (!arch_map_early(phys, sizeof(struct fdt_header)))
		panic("boot: device tree at 0x%llx cannot be mapped; cannot boot",
		      (unsigned long long)phys);
	fdt = phys_to_virt(phys);
	size = fdt_totalsize(fdt);
	/* A blob grown in place is padded with free space (QEMU doubles a
	 * -dtb file, so 1.5 MiB arrives as 3 MiB): when only the padding is
	 * over the limit, drop it. The blob is the kernel's from here on. */
	used = fdt_magic(fdt) == FDT_MAGIC ? bootfdt_content_size(fdt) : 0;
	if (size > BOOTFDT_MAX_SIZE && used >= sizeof(struct fdt_header) &&
	    used <= BOOTFDT_MAX_SIZE && arch_map_early(phys, used)) {
		pr_info("boot: device tree totalsize %llu, of which %llu used: the free space after is dropped",
			(unsigned long long)size, (unsigned long long)used);
		fdt_set_totalsize(fdt, (u32)used);
		size = used;
	}
	size = MIN(size, (u64)BOOTFDT_MAX_SIZE);
	if (!arch_map_early(phys, MAX(size, (u64)sizeof(struct fdt_header))))
		panic("boot: device tree at 0x%llx (%llu bytes) cannot be mapped; cannot boot",
		      (unsigned long long)phys, (unsigned long long)size);
	if (bootfdt_check(fdt, MAX(size, (u64)sizeof(struct fdt_header)), why, sizeof(why)))
		panic("boot: device tree at 0x%llx is unusable: %s", (unsigned long long)phys, why);
	return fdt;
}

/*
 * The init list: one call a step, each with its comment, each needing only
 * the steps above it (docs/02-entry-protocol.md walks through it, in the
 * same order; tests/docs/check compares the two). Until the console
 * (uart_console_init), lines only go to the log (and x86-64's COM1 in a
 * panic); from the boot FDT's check on, a panic brings the console up
 * itself (uart_console_standby); from arch_init on, every panic ends in a
 * poweroff, never a silent hang.
 *
 * The kexec_timing_enter() marks between the steps are not steps: they say
 * which phase of the handover's timeline (kexec_timing.h) the time is from
 * there on, so that every stretch of a boot is in one phase, up to the
 * chain's next kexec call or the end of the chain.
 */
/* No canary check here: random_init changes the canary under this frame. */
/* The init list keeps its comments in one column, as a checklist: not
 * formatted by clang-format. */
/* clang-format off */
__no_stack_protector void kernel_main(phys_addr_t fdt_phys, u64 entry_counter)
{
	int err;

	/* First: the jump ended at the image's entry, where the entry code
	 * read the counter; the entry phase ends here. */
	kexec_timing_enter_at(KT_ENTRY, entry_counter);
	kexec_timing_enter(KT_EARLY);
	arch_early_init();			/* x86-64: vectors, W^X; arm64: idmap off */
	boot_fdt = boot_fdt_map(fdt_phys);	/* map the boot FDT, check it whole */
	bootfdt_remember_chosen(boot_fdt);	/* find /chosen once */
	random_init((void *)boot_fdt);		/* entropy pool, a fresh canary */
	uart_console_standby(boot_fdt);		/* a panic from here shows itself */
	kexec_timing_enter(KT_COUNTER);
	arch_counter_init(boot_fdt);		/* the counter's rate: log timestamps */
	kexec_timing_enter(KT_EARLY);
	pr_info("Baton %s (%s), image at 0x%llx, device tree at 0x%llx", BATON_VERSION,
		arch_name, (unsigned long long)arch_image_phys_base(),
		(unsigned long long)fdt_phys);
	arch_init(boot_fdt);			/* how to power off; x86-64 parks its APs */
	/* A loader that could not use what it was given (the bzImage front
	 * end, boot/linux/) still enters the kernel, so that the reason is
	 * in the log and the machine is powered off the kernel's way. */
	if (bootfdt_chosen_string(boot_fdt, BATON_CHOSEN_LOADER_ERROR))
		panic("boot: the loader could not boot this machine: %s",
		      bootfdt_chosen_string(boot_fdt, BATON_CHOSEN_LOADER_ERROR));
	pr_info("command line: %s", bootfdt_bootargs(boot_fdt));
	cmdline_parse(bootfdt_bootargs(boot_fdt));	/* key=value to each subsystem */
	uart_console_init(boot_fdt);		/* the console; it replays the log */
	kexec_timing_enter(KT_BOOTMEM);
	bootmem_init(boot_fdt, fdt_phys);	/* RAM, reservations: memblock, direct map */
	kexec_timing_enter(KT_VALIDATE);
	kho_boot(boot_fdt);			/* validate a handover, or fresh scratch */
	kexec_timing_enter(KT_BUDDY);
	err = buddy_init();			/* the memmap; free memory to the buddy */
	if (err)
		panic("mm: the page allocator could not start (%s)", err_name(err));
	kexec_timing_enter(KT_MARK);
	kho_mark_preserved();			/* preserved blocks marked in the memmap */
	kexec_timing_enter(KT_MM);
	slab_init();				/* slab caches and kmalloc */
	folio_init();				/* the folio descriptor cache */
	vmalloc_init();				/* no vmalloc areas yet */
	buddy_dump();				/* free blocks per order */
	slab_dump();				/* every cache with slabs */
	kexec_timing_enter(KT_RESTORE);
	kexec_init(boot_fdt);			/* the image copy for the next kexec */
	kexec_chain_restore();			/* restore what the last generation left */
	kexec_timing_enter(KT_KTESTS);
	ktest_run(boot_fdt);			/* the self-tests ktest= asks for */
	kexec_chain_step();			/* kexec.chain=: preserve, kexec; or return */
	if (shell_wanted())			/* shell: the serial shell, until it ends */
		shell_run();			/* the machine (poweroff, reboot, kexec) */

	pr_info("baton: nothing left to do, powering off");
	console_flush();			/* the last line out of the UART */
	arch_poweroff();			/* ACPI S5, PSCI, or the board's way */
}
/* clang-format on */

/*
 * smp.c — the CPUs the device tree lists under /cpus, and what Baton does
 * with the secondaries: nothing, in every generation. The boot CPU runs
 * the kernel; the others stay where the firmware put them:
 *   - "psci": off, until someone calls CPU_ON (nobody does);
 *   - "spin-table": spinning in firmware code, polling their
 *     cpu-release-addr. That word must never be overwritten by anything but
 *     a deliberate release, so its page is reserved here even when the
 *     firmware forgot to reserve it (kexec then never places anything on
 *     it either: kernel/kexec.c uses scratch, which memblock carves around
 *     reservations).
 * docs/08-kexec.md says what a kernel that brought them up would have to
 * do before a kexec. Called from arch_init and bootmem_init.
 */
#include "arm64.h"
#include "kstring.h"
#include "memblock.h"
#include "printk.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include <libfdt.h>

#define MAX_SPIN 64

static phys_addr_t spin_release[MAX_SPIN];
static unsigned nr_spin;

void arm64_cpus_init(const void *fdt)
{
	int cpus = fdt_path_offset(fdt, "/cpus"), node;
	unsigned n = 0, psci = 0, spin = 0, other = 0;

	if (cpus < 0) {
		pr_warn("arm64: the device tree has no /cpus node; Baton runs on the boot CPU and "
			"reserves no spin-table page");
		return;
	}
	fdt_for_each_subnode(node, fdt, cpus) {
		const char *type = fdt_getprop(fdt, node, "device_type", NULL);
		const char *method = fdt_getprop(fdt, node, "enable-method", NULL);
		const fdt32_t *rel;
		int len;

		if (!type || strcmp(type, "cpu") != 0)
			continue;
		n++;
		if (method && strcmp(method, "psci") == 0) {
			psci++;
			continue;
		}
		if (!method || strcmp(method, "spin-table") != 0) {
			other++;
			continue;
		}
		spin++;
		rel = fdt_getprop(fdt, node, "cpu-release-addr", &len);
		if (rel && len == 8 && nr_spin < MAX_SPIN)
			spin_release[nr_spin++] =
				((u64)fdt32_to_cpu(rel[0]) << 32) | fdt32_to_cpu(rel[1]);
		else if (rel && len != 8)
			pr_warn("arm64: %s: cpu-release-addr is %d bytes, not 8; its page is not "
				"reserved",
				fdt_get_name(fdt, node, NULL), len);
		else if (rel)
			pr_warn("arm64: %s: more than %d spin-table CPUs; its release page is not "
				"reserved",
				fdt_get_name(fdt, node, NULL), MAX_SPIN);
	}
	pr_info("arm64: %u CPU%s in the device tree (psci %u, spin-table %u, other %u); "
		"Baton runs on the boot CPU%s",
		n, n == 1 ? "" : "s", psci, spin, other,
		n > 1 ? ", the others stay with the firmware" : "");
}

void arch_reserve_firmware(const void *fdt)
{
	(void)fdt;
	for (unsigned i = 0; i < nr_spin; i++) {
		phys_addr_t page = ALIGN_DOWN(spin_release[i], PAGE_SIZE);

		if (memblock_is_reserved(spin_release[i], 8))
			continue;
		if (memblock_reserve(page, PAGE_SIZE) < 0)
			pr_err("arm64: cannot reserve the spin-table release page 0x%llx (memblock's "
			       "table is full): booting on, the page may be reused",
			       (unsigned long long)page);
		else
			pr_info("arm64: reserved the spin-table release page 0x%llx (the device "
				"tree did not)",
				(unsigned long long)page);
	}
}

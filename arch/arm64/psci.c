/*
 * psci.c — turning the machine off or resetting it: PSCI (Arm DEN 0022) where the FDT's
 * /psci node says whether calls go through hvc or smc, else the board's own
 * way (include/power.h: a Raspberry Pi has no PSCI, its power-management
 * watchdog turns it off).
 *
 * kernel_main calls psci_init (through arch_init) right after the boot FDT
 * is validated, so that every later panic can turn the machine off. A
 * panic before that (an FDT the kernel cannot read) has no tree to ask:
 * PSCI is tried through the conduit the entry level implies (entered at
 * EL2, nothing is above but EL3: smc; entered at EL1, a hypervisor or
 * QEMU is above: hvc, then smc). A call with nothing behind it is an
 * undefined instruction, which ends in the panic-in-panic halt: no worse
 * than not trying.
 */
#include "arm64.h"
#include "bootfdt.h"
#include "kstring.h"
#include "power.h"
#include "printk.h"
#include <libfdt.h>

#define PSCI_SYSTEM_OFF 0x84000008UL
#define PSCI_SYSTEM_RESET 0x84000009UL

static enum { UNKNOWN, NONE, HVC, SMC } conduit;

void psci_init(const void *fdt)
{
	static const char *const compat[] = { "arm,psci-1.0", "arm,psci-0.2", NULL };
	const char *method = NULL, *board, *none;
	int node = -1, len = 0;

	for (const char *const *c = compat; *c && node < 0; c++)
		node = fdt_node_offset_by_compatible(fdt, -1, *c);
	if (node >= 0 && bootfdt_node_enabled(fdt, node))
		method = fdt_getprop(fdt, node, "method", &len);
	if (method && (len < 1 || method[len - 1] != '\0'))
		method = "(not a string)";
	conduit = NONE;
	if (method && strcmp(method, "hvc") == 0)
		conduit = HVC;
	else if (method && strcmp(method, "smc") == 0)
		conduit = SMC;
	if (conduit != NONE) {
		pr_info("psci: calls through %s", conduit == HVC ? "hvc" : "smc");
		return;
	}
	none = "none in the device tree";
	if (node >= 0 && bootfdt_node_enabled(fdt, node)) {
		pr_warn("psci: %s has method '%s', not hvc or smc; PSCI is not used",
			fdt_get_name(fdt, node, NULL), method ? method : "(none)");
		none = "none usable";
	}
	board = power_board_init(fdt);
	if (board)
		pr_info("psci: %s; poweroff through %s", none, board);
	else
		pr_warn("psci: %s, nor a board power-off device; poweroff will halt the CPU", none);
}

static void call(u64 fn, bool smc)
{
	register u64 x0 __asm__("x0") = fn;

	if (smc)
		__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	else
		__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

/* PSCI function fn through the conduit: SYSTEM_OFF and SYSTEM_RESET do
 * not return when they work. */
static void psci_call(u64 fn)
{
	switch (conduit) {
	case HVC:
		call(fn, false);
		break;
	case SMC:
		call(fn, true);
		break;
	case NONE: /* the callers take the board's way instead */
		break;
	case UNKNOWN:
		if (arm64_boot_el == 1)
			call(fn, false);
		call(fn, true);
		break;
	}
}

bool psci_system_off(void)
{
	if (conduit == NONE)
		return power_board_off();
	psci_call(PSCI_SYSTEM_OFF);
	return true;
}

void psci_system_reset(void)
{
	if (conduit == NONE) {
		power_board_reset();
		pr_err("reboot: the board's reset device did not reset the machine (or there is "
		       "none: no PSCI in the device tree)");
		return;
	}
	psci_call(PSCI_SYSTEM_RESET);
	pr_err("reboot: PSCI SYSTEM_RESET returned; the machine was not reset");
}

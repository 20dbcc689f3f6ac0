/*
 * psci.c — turning the machine off through PSCI (Arm DEN 0022): the FDT's
 * /psci node says whether calls go through hvc or smc.
 */
#include "arm64.h"
#include "kstring.h"
#include "printk.h"
#include <libfdt.h>

#define PSCI_SYSTEM_OFF 0x84000008UL

static enum { NONE, HVC, SMC } conduit;

void psci_init(const void *fdt)
{
	int node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-1.0");
	const char *method;

	if (node < 0)
		node = fdt_node_offset_by_compatible(fdt, -1, "arm,psci-0.2");
	method = node >= 0 ? fdt_getprop(fdt, node, "method", NULL) : NULL;
	if (method && strcmp(method, "hvc") == 0)
		conduit = HVC;
	else if (method && strcmp(method, "smc") == 0)
		conduit = SMC;
	if (conduit == NONE)
		pr_warn("psci: no PSCI 0.2+ node with a method; poweroff will halt");
	else
		pr_info("psci: calls through %s", conduit == HVC ? "hvc" : "smc");
}

void psci_system_off(void)
{
	register u64 x0 __asm__("x0") = PSCI_SYSTEM_OFF;

	if (conduit == HVC)
		__asm__ volatile("hvc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
	else if (conduit == SMC)
		__asm__ volatile("smc #0" : "+r"(x0) : : "x1", "x2", "x3", "memory");
}

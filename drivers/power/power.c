/*
 * power.c — finds the board's power-off device in the FDT (include/power.h)
 * and calls it. arch/arm64/psci.c calls power_board_init when the tree has
 * no PSCI; arch_poweroff calls power_board_off when PSCI is missing.
 */
#include "power.h"
#include "bootfdt.h"
#include "compiler.h"
#include "kstring.h"
#include "printk.h"
#include <libfdt.h>

static const struct power_driver *const drivers[] = {
	&bcm2835_pm_driver,
};

static const struct power_driver *active;

const char *power_board_init(const void *fdt)
{
	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++) {
		for (const char *const *c = drivers[i]->compatible; *c; c++) {
			int node = fdt_node_offset_by_compatible(fdt, -1, *c);

			for (; node >= 0; node = fdt_node_offset_by_compatible(fdt, node, *c)) {
				if (!bootfdt_node_enabled(fdt, node))
					continue;
				if (drivers[i]->init(fdt, node)) {
					active = drivers[i];
					return active->name;
				}
				pr_warn("power: %s (%s): its registers cannot be used; not used",
					fdt_get_name(fdt, node, NULL), drivers[i]->name);
			}
		}
	}
	return NULL;
}

bool power_board_off(void)
{
	if (!active)
		return false;
	active->off();
	return true;
}

void power_board_reset(void)
{
	if (active)
		active->reset();
}

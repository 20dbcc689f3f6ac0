/*
 * power.h — turning the machine off or resetting it through a device the
 * FDT names, on boards without the arch's own way (arm64 without PSCI: a
 * Raspberry Pi's firmware provides none, its power-management watchdog
 * does the job). The arch's poweroff calls these when its own way is
 * missing or fails (arch/arm64/psci.c finds which applies).
 */
#ifndef BATON_POWER_H
#define BATON_POWER_H

#include "types.h"

struct power_driver {
	const char *name;
	const char *const *compatible; /* NULL-terminated */
	/* Map the device at node; false (and a line why) if unusable. */
	bool (*init)(const void *fdt, int node);
	/* Turn off / reset. Return only if it did not happen. */
	void (*off)(void);
	void (*reset)(void);
};

extern const struct power_driver bcm2835_pm_driver;

/* Find the first enabled node a power driver claims and set it up.
 * Returns its name, or NULL when there is none. */
const char *power_board_init(const void *fdt);

/* Turn the machine off / reset it through that device. Return only when
 * there is none (power_board_off: false) or it failed (true). */
bool power_board_off(void);
void power_board_reset(void);

#endif

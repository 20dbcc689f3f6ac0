/*
 * bcm2835_pm.c — the BCM2835/2837 power-management block's watchdog
 * (Raspberry Pi 1-3; /soc/watchdog@7e100000, "brcm,bcm2835-pm-wdt" or
 * "brcm,bcm2835-pm"): the only way to reset or turn off a Pi, which has no
 * PSCI.
 *
 * Every write carries the password 0x5a000000 in the top byte, or the
 * block ignores it. Reset: arm the watchdog (PM_WDOG, in ticks of about
 * 16 us) and select a full reset in PM_RSTC. Power off is the same reset
 * with PM_RSTS's boot partition set to 63 (bits 0x555): the Pi's firmware
 * then halts instead of booting, and QEMU's raspi model powers off.
 */
#include "power.h"
#include "bootfdt.h"
#include "io.h"
#include "printk.h"
#include "arch/mmu.h"

#define PM_RSTC 0x1c
#define PM_RSTS 0x20
#define PM_WDOG 0x24
#define PM_PASSWORD 0x5a000000u
#define PM_VALUE_MASK 0x00ffffffu
#define PM_RSTC_WRCFG_MASK 0x30u
#define PM_RSTC_WRCFG_FULL_RESET 0x20u
#define PM_RSTS_PARTITION_MASK 0x555u /* partition number, bits spread out */
#define PM_RSTS_PARTITION_HALT 0x555u /* partition 63 */
#define PM_WDOG_TICKS 10u

static u8 *base;

static bool bcm2835_pm_init(const void *fdt, int node)
{
	struct fdt_reg reg;

	if (bootfdt_reg(fdt, node, 0, &reg) < 0 || reg.io_port)
		return false;
	base = arch_ioremap(reg.addr, reg.size ? reg.size : 0x100);
	return base != NULL;
}

static void restart(u32 partition)
{
	u32 rsts = mmio_read32(base + PM_RSTS) & PM_VALUE_MASK & ~PM_RSTS_PARTITION_MASK;
	u32 rstc = mmio_read32(base + PM_RSTC) & PM_VALUE_MASK & ~PM_RSTC_WRCFG_MASK;

	mmio_write32(base + PM_RSTS, PM_PASSWORD | rsts | partition);
	mmio_write32(base + PM_WDOG, PM_PASSWORD | PM_WDOG_TICKS);
	mmio_write32(base + PM_RSTC, PM_PASSWORD | rstc | PM_RSTC_WRCFG_FULL_RESET);
	/* The watchdog fires within a millisecond; give it ample time. */
	for (volatile u32 i = 0; i < 100000000u; i++)
		;
}

static void bcm2835_pm_off(void)
{
	restart(PM_RSTS_PARTITION_HALT);
}

static void bcm2835_pm_reset(void)
{
	restart(0);
}

static const char *const bcm2835_pm_compat[] = { "brcm,bcm2835-pm-wdt", "brcm,bcm2835-pm", NULL };

const struct power_driver bcm2835_pm_driver = {
	.name = "the BCM2835 power-management watchdog",
	.compatible = bcm2835_pm_compat,
	.init = bcm2835_pm_init,
	.off = bcm2835_pm_off,
	.reset = bcm2835_pm_reset,
};

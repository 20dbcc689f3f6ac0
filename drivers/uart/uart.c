/*
 * uart.c — brings up the console UART and says which one it is. Called
 * from kernel_main once the command line is parsed.
 *
 * The order, as Linux has it on arm64: an earlycon= device is the console
 * from the moment the command line is read; /chosen/stdout-path then names
 * the real one (an alias or a path, "serial1:115200n8" style), which takes
 * over (the same device as the earlycon stays as it is); and when
 * stdout-path is missing, names nothing, or names a UART without a driver
 * here, the first enabled UART in the tree that a driver here can drive
 * is the console, and the console says so. Whichever device takes over is
 * shown the whole log so far.
 */
#include "uart.h"
#include "bootfdt.h"
#include "cmdline.h"
#include "console.h"
#include "kstring.h"
#include "printk.h"
#include "kerrno.h"
#include <libfdt.h>

static const struct uart_driver *const drivers[] = {
	&ns16550_driver,
	&pl011_driver,
	&bcm2835_aux_driver,
};

/* earlycon= as given: requested with no value means "stdout-path, early". */
static struct {
	bool requested;
	const struct uart_driver *drv; /* NULL for a bare earlycon */
	struct uart_port port;
} early;

/* The driver for node: the first of the node's own compatible strings
 * (most specific first) that a driver claims. */
static const struct uart_driver *driver_for(const void *fdt, int node)
{
	int len, at = 0;
	const char *compat = fdt_getprop(fdt, node, "compatible", &len);

	while (compat && at < len) {
		const char *c = compat + at;

		for (size_t i = 0; i < ARRAY_SIZE(drivers); i++)
			for (const char *const *d = drivers[i]->compatible; *d; d++)
				if (strcmp(c, *d) == 0)
					return drivers[i];
		at += (int)strnlen(c, (size_t)(len - at)) + 1;
	}
	return NULL;
}

int uart_port_from_fdt(const void *fdt, int node, const struct uart_driver *drv,
		       const char *options, struct uart_port *port)
{
	struct fdt_reg reg;
	u64 baud;

	if (bootfdt_reg(fdt, node, 0, &reg) < 0)
		return -EINVAL;
	*port = (struct uart_port){
		.phys = reg.addr,
		.size = reg.size,
		.port_io = reg.io_port,
		.shift = bootfdt_u32(fdt, node, "reg-shift", drv->shift),
		.width = bootfdt_u32(fdt, node, "reg-io-width", drv->width),
		.clock = bootfdt_u32(fdt, node, "clock-frequency", 0),
		.baud = bootfdt_u32(fdt, node, "current-speed", 0),
	};
	if (port->shift > 4 || (port->width != 1 && port->width != 4)) {
		pr_err("uart: %s: reg-shift %u / reg-io-width %u, not 0-4 / 1 or 4; not used",
		       fdt_get_name(fdt, node, NULL), port->shift, port->width);
		return -EINVAL;
	}
	/* "115200n8": the speed leads; parity, bits and flow are 8N1 here. */
	if (options && *options) {
		char digits[12];
		size_t n = 0;

		while (n < sizeof(digits) - 1 && options[n] >= '0' && options[n] <= '9') {
			digits[n] = options[n];
			n++;
		}
		digits[n] = '\0';
		if (n && cmdline_parse_u64(digits, &baud) == 0 && baud && baud <= 4000000)
			port->baud = (u32)baud;
		else
			pr_warn("uart: options '%s' carry no speed; ignored, the speed is left as it is",
				options);
	}
	return 0;
}

/* earlycon names: the drivers' own, plus Linux's other names for a 16550. */
static const struct uart_driver *driver_named(const char *name, size_t len)
{
	static const char *const names_8250[] = { "uart", "ns16550", "ns16550a", NULL };

	for (size_t i = 0; i < ARRAY_SIZE(drivers); i++)
		if (strlen(drivers[i]->name) == len && memcmp(drivers[i]->name, name, len) == 0)
			return drivers[i];
	for (const char *const *n = names_8250; *n; n++)
		if (strlen(*n) == len && memcmp(*n, name, len) == 0)
			return &ns16550_driver;
	return NULL;
}

const struct uart_driver *uart_parse_earlycon(const char *val, struct uart_port *port)
{
	const struct uart_driver *drv;
	const char *p = val, *comma;
	char word[24];
	u64 addr;

	comma = strchr(p, ',');
	drv = driver_named(p, comma ? (size_t)(comma - p) : strlen(p));
	if (!drv || !comma) {
		pr_warn("earlycon: '%s': expected <driver>,[io|mmio|mmio32,]<address>[,options] "
			"with driver uart8250, pl011 or bcm2835aux",
			val);
		return NULL;
	}
	*port = (struct uart_port){ .shift = drv->shift, .width = drv->width };
	for (int field = 0; field < 3 && comma; field++) {
		size_t n;

		p = comma + 1;
		comma = strchr(p, ',');
		n = comma ? (size_t)(comma - p) : strlen(p);
		if (n >= sizeof(word))
			goto bad;
		memcpy(word, p, n);
		word[n] = '\0';
		if (field == 0 && strcmp(word, "io") == 0) {
			port->port_io = true;
			port->shift = 0;
			port->width = 1;
		} else if (field == 0 && strcmp(word, "mmio") == 0) {
			port->shift = 0;
			port->width = 1;
		} else if (field == 0 && strcmp(word, "mmio32") == 0) {
			/* 32-bit registers 4 bytes apart, as Linux reads it. */
			port->shift = drv == &ns16550_driver ? 2 : drv->shift;
			port->width = 4;
		} else if (cmdline_parse_u64(word, &addr) == 0 && addr) {
			port->phys = addr;
			/* Options after the address ("115200n8") are
			 * accepted; with no input clock known the line is
			 * used as the firmware set it. */
			return drv;
		} else {
			goto bad;
		}
	}
bad:
	pr_warn("earlycon: '%s': no usable address", val);
	return NULL;
}

static int set_earlycon(const char *val)
{
	early.requested = true;
	early.drv = NULL;
	if (!val || !*val)
		return 0; /* bare: stdout-path, as early as it can be */
	early.drv = uart_parse_earlycon(val, &early.port);
	return early.drv ? 0 : -ENODEV;
}
CMDLINE_PARAM("earlycon", set_earlycon,
	      "console before the device tree's: <driver>,[io|mmio|mmio32,]<addr>, or bare");

static bool start(const struct uart_driver *drv, const struct uart_port *port, const char *why)
{
	if (!drv->start(port))
		return false;
	pr_info("console: %s at 0x%llx (%s)", drv->name, (unsigned long long)port->phys, why);
	return true;
}

/* The first enabled node in the tree with a driver that starts. */
static bool fallback(const void *fdt)
{
	char path[128];

	for (int node = fdt_next_node(fdt, -1, NULL); node >= 0;
	     node = fdt_next_node(fdt, node, NULL)) {
		const struct uart_driver *drv = driver_for(fdt, node);
		struct uart_port port;

		if (!drv || !bootfdt_node_enabled(fdt, node) ||
		    uart_port_from_fdt(fdt, node, drv, NULL, &port) < 0 || !drv->start(&port))
			continue;
		if (fdt_get_path(fdt, node, path, sizeof(path)) < 0)
			memcpy(path, "?", 2);
		pr_notice(
			"console: falling back to %s, %s at 0x%llx: the first UART in the device tree this kernel drives",
			path, drv->name, (unsigned long long)port.phys);
		return true;
	}
	return false;
}

static const void *standby_fdt;

static bool rescue(void)
{
	return uart_console_init(standby_fdt) == 0;
}

void uart_console_standby(const void *fdt)
{
	standby_fdt = fdt;
	console_set_rescue(rescue);
}

int uart_console_init(const void *fdt)
{
	const struct uart_driver *drv;
	struct uart_port port;
	const char *opts, *path, *next;
	bool have = false;
	int node;

	if (early.drv) {
		have = start(early.drv, &early.port, "earlycon");
		if (!have)
			pr_warn("console: earlycon %s at 0x%llx could not be started; using the "
				"device tree's console",
				early.drv->name, (unsigned long long)early.port.phys);
	} else if (early.requested) {
		pr_info("console: earlycon: the stdout-path device, from the start");
	}
	/* What happens when stdout-path gives no console, for the lines
	 * below that say why. */
	next = have ? "the earlycon stays the console" : "looking for another UART";

	node = bootfdt_stdout(fdt, &opts);
	path = node >= 0 ? fdt_getprop(fdt, bootfdt_chosen(fdt), "stdout-path", NULL) : NULL;
	if (!path && node >= 0)
		path = fdt_getprop(fdt, bootfdt_chosen(fdt), "linux,stdout-path", NULL);
	if (node == -FDT_ERR_NOTFOUND) {
		pr_warn("console: the device tree has no /chosen/stdout-path; %s", next);
	} else if (node < 0) { /* bootfdt_stdout said why */
		pr_warn("console: /chosen/stdout-path is unusable; %s", next);
	} else if (!(drv = driver_for(fdt, node))) {
		const char *c = fdt_getprop(fdt, node, "compatible", NULL);

		pr_warn("console: stdout-path '%s' is a '%s', which this kernel has no driver for; %s",
			path, c ? c : "node without compatible", next);
	} else if (uart_port_from_fdt(fdt, node, drv, opts, &port) < 0) { /* said why */
		pr_warn("console: stdout-path '%s': its registers cannot be used; %s", path, next);
	} else if (have && early.port.phys == port.phys && early.port.port_io == port.port_io) {
		pr_info("console: stdout-path '%s' is the earlycon device", path);
		return 0;
	} else if (start(drv, &port, path)) {
		return 0;
	} else { /* the driver said why */
		pr_warn("console: stdout-path '%s', %s at 0x%llx, could not be started; %s", path,
			drv->name, (unsigned long long)port.phys, next);
	}
	if (have)
		return 0;
	if (fallback(fdt))
		return 0;
	pr_err("console: none: the device tree has no UART this kernel can drive; the log is "
	       "kept in memory only");
	return -ENODEV;
}

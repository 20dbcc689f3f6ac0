/*
 * test_uart.c — drivers/uart/uart.c: which UART becomes the console. The
 * real drivers touch hardware; here three stand-ins with the real drivers'
 * names and compatible strings record the port they were started on (and
 * refuse the address 0xdead0000, to test what happens when a start fails).
 */
#include <string.h>
#include <libfdt.h>

#include "harness.h"
#include "host.h"
#include "bootfdt.h"
#include "cmdline.h"
#include "uart.h"

static const struct uart_driver *started_drv;
static struct uart_port started;
static int starts;

#define STAND_IN(var, nm, sh, wd, ...)                                            \
	static bool var##_start(const struct uart_port *p);                       \
	static const char *const var##_compat[] = { __VA_ARGS__, NULL };          \
	const struct uart_driver var = { nm, var##_compat, sh, wd, var##_start }; \
	static bool var##_start(const struct uart_port *p)                        \
	{                                                                         \
		starts++;                                                         \
		if (p->phys == 0xdead0000)                                        \
			return false;                                             \
		started_drv = &var;                                               \
		started = *p;                                                     \
		return true;                                                      \
	}

STAND_IN(ns16550_driver, "uart8250", 0, 1, "ns16550a", "ns16550", "ns8250", "snps,dw-apb-uart")
STAND_IN(pl011_driver, "pl011", 0, 4, "arm,pl011")
STAND_IN(bcm2835_aux_driver, "bcm2835aux", 0, 4, "brcm,bcm2835-aux-uart")

#define TREE_SIZE 8192
static fdt64_t buf[TREE_SIZE / 8];

static int at(void *fdt, const char *path)
{
	int n = fdt_path_offset(fdt, path);

	REQUIRE(n >= 0);
	return n;
}

/* A node under /soc (1/1 cells, identity ranges) with compatible and reg. */
static void uart(void *fdt, const char *name, const char *compat, u32 addr)
{
	int n = fdt_add_subnode(fdt, at(fdt, "/soc"), name);
	fdt32_t reg[2] = { cpu_to_fdt32(addr), cpu_to_fdt32(0x1000) };

	REQUIRE(n >= 0);
	if (compat)
		REQUIRE(fdt_setprop_string(fdt, n, "compatible", compat) == 0);
	REQUIRE(fdt_setprop(fdt, n, "reg", reg, sizeof(reg)) == 0);
}

/* Nodes go in front of their siblings (fdt_add_subnode), so uarts are
 * added last-first to get them in tree order. */
static void *tree(void)
{
	void *fdt = buf;
	int soc;

	REQUIRE(fdt_create_empty_tree(fdt, TREE_SIZE) == 0);
	REQUIRE(fdt_setprop_u32(fdt, 0, "#address-cells", 1) == 0);
	REQUIRE(fdt_setprop_u32(fdt, 0, "#size-cells", 1) == 0);
	REQUIRE(fdt_add_subnode(fdt, 0, "chosen") >= 0);
	REQUIRE(fdt_add_subnode(fdt, 0, "aliases") >= 0);
	REQUIRE((soc = fdt_add_subnode(fdt, 0, "soc")) >= 0);
	REQUIRE(fdt_setprop_u32(fdt, soc, "#address-cells", 1) == 0);
	REQUIRE(fdt_setprop_u32(fdt, soc, "#size-cells", 1) == 0);
	REQUIRE(fdt_setprop(fdt, soc, "ranges", NULL, 0) == 0);
	host_console_register();
	host_log_clear();
	return fdt;
}

static void set(void *fdt, const char *path, const char *prop, const char *val)
{
	REQUIRE(fdt_setprop_string(fdt, at(fdt, path), prop, val) == 0);
}

TEST(uart, stdout_path_by_alias)
{
	void *fdt = tree();

	uart(fdt, "serial@7e215040", "brcm,bcm2835-aux-uart", 0x7e215040);
	uart(fdt, "serial@7e201000", "arm,pl011\0", 0x7e201000);
	set(fdt, "/aliases", "serial1", "/soc/serial@7e215040");
	set(fdt, "/chosen", "stdout-path", "serial1:115200n8");
	EXPECT_EQ(uart_console_init(fdt), 0);
	EXPECT(started_drv == &bcm2835_aux_driver);
	EXPECT_EQ(started.phys, 0x7e215040);
	EXPECT_EQ(started.baud, 115200);
	EXPECT_EQ(starts, 1);
	EXPECT_LOG("console: bcm2835aux at 0x7e215040 (serial1:115200n8)");
	EXPECT_NO_LOG("falling back");
}

/* reg-shift and reg-io-width reach the driver; without them, its own
 * defaults; the speed from current-speed unless stdout-path says. */
TEST(uart, ns16550_shift_and_width)
{
	void *fdt = tree();
	int n;

	uart(fdt, "serial@1c28000", "snps,dw-apb-uart", 0x1c28000);
	n = at(fdt, "/soc/serial@1c28000");
	REQUIRE(fdt_setprop_u32(fdt, n, "reg-shift", 2) == 0);
	REQUIRE(fdt_setprop_u32(fdt, n, "reg-io-width", 4) == 0);
	REQUIRE(fdt_setprop_u32(fdt, n, "clock-frequency", 24000000) == 0);
	REQUIRE(fdt_setprop_u32(fdt, n, "current-speed", 1500000) == 0);
	set(fdt, "/chosen", "stdout-path", "/soc/serial@1c28000");
	EXPECT_EQ(uart_console_init(fdt), 0);
	EXPECT(started_drv == &ns16550_driver);
	EXPECT_EQ(started.shift, 2);
	EXPECT_EQ(started.width, 4);
	EXPECT_EQ(started.clock, 24000000);
	EXPECT_EQ(started.baud, 1500000);

	set(fdt, "/chosen", "stdout-path", "/soc/serial@1c28000:9600n8");
	EXPECT_EQ(uart_console_init(fdt), 0);
	EXPECT_EQ(started.baud, 9600);

	REQUIRE(fdt_delprop(fdt, n, "reg-shift") == 0);
	REQUIRE(fdt_delprop(fdt, n, "reg-io-width") == 0);
	EXPECT_EQ(uart_console_init(fdt), 0);
	EXPECT_EQ(started.shift, 0);
	EXPECT_EQ(started.width, 1);

	REQUIRE(fdt_setprop_u32(fdt, n, "reg-io-width", 2) == 0); /* 16-bit: not supported */
	starts = 0;
	EXPECT_EQ(uart_console_init(fdt), -ENODEV);
	EXPECT_LOG(
		"uart: serial@1c28000: reg-shift 0 / reg-io-width 2, not 0-4 / 1 or 4; not used");
	EXPECT_LOG(
		"console: stdout-path '/soc/serial@1c28000:9600n8': its registers cannot be used; "
		"looking for another UART");
}

/* No stdout-path: the first enabled UART in tree order with a driver, and
 * the console says so. Disabled nodes and unknown UARTs are passed over. */
TEST(uart, fallback_when_stdout_path_missing)
{
	void *fdt = tree();

	uart(fdt, "serial@3000", "arm,pl011", 0x3000);
	uart(fdt, "serial@2000", "arm,pl011", 0x2000);
	uart(fdt, "serial@1000", "vendor,unknown-uart", 0x1000);
	set(fdt, "/soc/serial@2000", "status", "disabled");
	EXPECT_EQ(uart_console_init(fdt), 0);
	EXPECT(started_drv == &pl011_driver);
	EXPECT_EQ(started.phys, 0x3000);
	EXPECT_LOG("console: the device tree has no /chosen/stdout-path; looking for another UART");
	EXPECT_LOG(
		"console: falling back to /soc/serial@3000, pl011 at 0x3000: the first UART in the "
		"device tree this kernel drives");
}

/* stdout-path names a UART without a driver here: fall back, say why. */
TEST(uart, fallback_when_no_driver)
{
	void *fdt = tree();

	uart(fdt, "serial@2000", "ns16550a", 0x2000);
	uart(fdt, "serial@1000", "vendor,unknown-uart", 0x1000);
	set(fdt, "/chosen", "stdout-path", "/soc/serial@1000:115200n8");
	EXPECT_EQ(uart_console_init(fdt), 0);
	EXPECT(started_drv == &ns16550_driver);
	EXPECT_EQ(started.phys, 0x2000);
	EXPECT_LOG(
		"console: stdout-path '/soc/serial@1000:115200n8' is a 'vendor,unknown-uart', which "
		"this kernel has no driver for; looking for another UART");
	EXPECT_LOG("console: falling back to /soc/serial@2000, uart8250 at 0x2000");
}

/* A stdout-path device that fails to start, a stdout-path naming nothing,
 * an alias loop: each falls back; the one that fails is skipped over. */
TEST(uart, fallback_skips_a_failing_device)
{
	void *fdt = tree();

	uart(fdt, "serial@3000", "arm,pl011", 0x3000);
	uart(fdt, "serial@dead0000", "arm,pl011", 0xdead0000);
	set(fdt, "/chosen", "stdout-path", "/soc/serial@dead0000");
	EXPECT_EQ(uart_console_init(fdt), 0);
	EXPECT_EQ(started.phys, 0x3000);
	EXPECT_LOG("console: stdout-path '/soc/serial@dead0000', pl011 at 0xdead0000, could not be "
		   "started; looking for another UART");

	set(fdt, "/aliases", "serial0", "serial0");
	set(fdt, "/chosen", "stdout-path", "serial0:115200n8");
	EXPECT_EQ(uart_console_init(fdt), 0);
	EXPECT_EQ(started.phys, 0x3000);
	EXPECT_LOG("bootfdt: alias 'serial0' is not an absolute path");
	EXPECT_LOG("console: /chosen/stdout-path is unusable; looking for another UART");
}

TEST(uart, no_uart_at_all)
{
	void *fdt = tree();

	uart(fdt, "serial@1000", "vendor,unknown-uart", 0x1000);
	EXPECT_EQ(uart_console_init(fdt), -ENODEV);
	EXPECT_LOG("console: none: the device tree has no UART this kernel can drive; the log is "
		   "kept in memory only");
}

/* The node's own compatible order decides: the most specific string a
 * driver claims wins (a DesignWare UART that also says ns16550a). */
TEST(uart, most_specific_compatible)
{
	void *fdt = tree();

	uart(fdt, "serial@1000", NULL, 0x1000);
	REQUIRE(fdt_setprop(fdt, at(fdt, "/soc/serial@1000"), "compatible",
			    "brcm,bcm2835-aux-uart\0ns16550a", 30) == 0);
	set(fdt, "/chosen", "stdout-path", "/soc/serial@1000");
	EXPECT_EQ(uart_console_init(fdt), 0);
	EXPECT(started_drv == &bcm2835_aux_driver);
}

/* earlycon=: Linux's syntax. */
TEST(uart, earlycon_syntax)
{
	struct uart_port p;

	host_console_register();
	EXPECT(uart_parse_earlycon("pl011,0x9000000", &p) == &pl011_driver);
	EXPECT_EQ(p.phys, 0x9000000);
	EXPECT_EQ(p.width, 4);
	EXPECT(uart_parse_earlycon("pl011,mmio32,0x9000000", &p) == &pl011_driver);
	EXPECT_EQ(p.phys, 0x9000000);
	EXPECT(uart_parse_earlycon("uart8250,mmio32,0x1c28000,115200n8", &p) == &ns16550_driver);
	EXPECT_EQ(p.phys, 0x1c28000);
	EXPECT_EQ(p.shift, 2);
	EXPECT_EQ(p.width, 4);
	EXPECT(uart_parse_earlycon("uart,mmio,0x10000000", &p) == &ns16550_driver);
	EXPECT_EQ(p.shift, 0);
	EXPECT_EQ(p.width, 1);
	EXPECT(uart_parse_earlycon("uart8250,io,0x3f8", &p) == &ns16550_driver);
	EXPECT(p.port_io);
	EXPECT_EQ(p.phys, 0x3f8);
	EXPECT(uart_parse_earlycon("ns16550a,0x10000000", &p) == &ns16550_driver);
	EXPECT(uart_parse_earlycon("bcm2835aux,0x3f215040", &p) == &bcm2835_aux_driver);
	EXPECT_EQ(p.phys, 0x3f215040);

	host_log_clear();
	EXPECT(uart_parse_earlycon("sifive,0x10010000", &p) == NULL);
	EXPECT_LOG("earlycon: 'sifive,0x10010000': expected <driver>");
	EXPECT(uart_parse_earlycon("pl011", &p) == NULL);
	EXPECT(uart_parse_earlycon("pl011,mmio32", &p) == NULL);
	EXPECT_LOG("earlycon: 'pl011,mmio32': no usable address");
	EXPECT(uart_parse_earlycon("pl011,zzz", &p) == NULL);
	EXPECT(uart_parse_earlycon("pl011,0", &p) == NULL);
}

/* earlycon= comes first; stdout-path naming the same device keeps it; a
 * different stdout-path device takes over. */
TEST(uart, earlycon_then_stdout_path)
{
	void *fdt = tree();

	uart(fdt, "serial@9000000", "arm,pl011", 0x9000000);
	uart(fdt, "serial@9040000", "arm,pl011", 0x9040000);
	set(fdt, "/chosen", "stdout-path", "/soc/serial@9000000");
	EXPECT_EQ(cmdline_parse("earlycon=pl011,0x9000000"), 0);
	EXPECT_EQ(uart_console_init(fdt), 0);
	EXPECT_EQ(starts, 1);
	EXPECT_LOG("console: pl011 at 0x9000000 (earlycon)");
	EXPECT_LOG("console: stdout-path '/soc/serial@9000000' is the earlycon device");

	starts = 0;
	set(fdt, "/chosen", "stdout-path", "/soc/serial@9040000");
	EXPECT_EQ(uart_console_init(fdt), 0);
	EXPECT_EQ(starts, 2);
	EXPECT_EQ(started.phys, 0x9040000);

	/* No stdout-path: the earlycon stays, no fallback. */
	REQUIRE(fdt_delprop(fdt, at(fdt, "/chosen"), "stdout-path") == 0);
	starts = 0;
	EXPECT_EQ(uart_console_init(fdt), 0);
	EXPECT_EQ(starts, 1);
	EXPECT_EQ(started.phys, 0x9000000);
	EXPECT_LOG("console: the device tree has no /chosen/stdout-path; the earlycon stays the "
		   "console");
}

TEST(uart, bare_earlycon_means_stdout_path)
{
	void *fdt = tree();

	uart(fdt, "serial@9000000", "arm,pl011", 0x9000000);
	set(fdt, "/chosen", "stdout-path", "/soc/serial@9000000");
	EXPECT_EQ(cmdline_parse("earlycon"), 0);
	EXPECT_EQ(uart_console_init(fdt), 0);
	EXPECT_EQ(starts, 1);
	EXPECT_LOG("console: earlycon: the stdout-path device, from the start");
	EXPECT_EQ(cmdline_parse("earlycon=nonsense"), 1);
}

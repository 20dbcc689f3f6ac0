/*
 * test_kexec_damage.c — kernel/kexec_damage.c's command-line key: the
 * fault-injection switch kexec.damage= takes exactly the kinds it knows,
 * and the parser refuses anything else (a typo must not boot a test that
 * damages nothing). The damages themselves are tested by real boots: the
 * damage-* variants of tests/boot/cases/.
 */
#include "harness.h"
#include "host.h"
#include "cmdline.h"
#include "kexec_damage.h"
#include "printk.h"

static int parse(const char *line)
{
	host_console_register();
	host_log_clear();
	return cmdline_parse(line);
}

TEST(kexec_damage, bad_kinds_are_refused)
{
	static const char *const bad[] = {
		"kexec.damage",          "kexec.damage=",
		"kexec.damage=nonsense", "kexec.damage=Compatible",
		"kexec.damage=overlap2", "kexec.damage=fdt",
	};

	for (unsigned i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		EXPECT_EQ(parse(bad[i]), 1);
		EXPECT_LOG("cmdline: bad value for 'kexec.damage'");
	}
}

TEST(kexec_damage, every_kind_is_taken)
{
	static const char *const kinds[] = {
		"fdt-magic",  "compatible",        "radix-outside-ram", "block-on-kernel",
		"overlap",    "scratch-truncated", "subtree-bounds",    "claimed-twice",
		"log-length", "log-generation",
	};
	char line[64];

	for (unsigned i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		snprintf(line, sizeof(line), "kexec.damage=%s", kinds[i]);
		EXPECT_EQ(parse(line), 0);
		EXPECT(kexec_damage_armed());
	}
}

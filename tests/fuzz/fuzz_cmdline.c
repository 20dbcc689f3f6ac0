/*
 * fuzz_cmdline.c — libFuzzer target over the command line, from the EFI
 * loader's text to the kernel's handlers:
 *
 *   the input as cmdline.txt and as UTF-16 load options through the
 *   loader's boot/efi/bootargs.c, then bootargs_fit, whose result must be
 *   shorter than CMDLINE_MAX, start with the words it kept, and be taken by
 *   the kernel without a cut of its own; the input itself (NUL-ended)
 *   through cmdline_parse with the real parameter table of the files the
 *   host links (loglevel, kho_scratch, earlycon, panic.now, cmdline.cut;
 *   kexec.c, ktest.c and selftest.c are not linked on the host), and
 *   through the earlycon parser and cmdline_parse_u64 directly.
 *
 * panic.now panics by design: the panic is survived (fuzz_boot.h).
 * FUZZ_SHOW_LOG=1 prints the kernel's log for each input.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fuzz_boot.h"
#include "host.h"
#include "cmdline.h"
#include "uart.h"
#include "boot/efi/bootargs.h"

static void loader_then_kernel(char *line, size_t len)
{
	char *copy = strdup(line);
	size_t given, kept, n = bootargs_fit(line, len, &given, &kept);

	if (n >= CMDLINE_MAX || strlen(line) != n || kept > n || kept > given ||
	    strncmp(line, copy, kept) != 0)
		abort();
	if (n != given && strncmp(line + kept + (kept ? 1 : 0), CMDLINE_CUT "=", 12) != 0)
		abort();
	(void)FUZZ_SURVIVE_PANIC(cmdline_parse(line));
	free(copy);
}

int LLVMFuzzerTestOneInput(const u8 *data, size_t size);
int LLVMFuzzerTestOneInput(const u8 *data, size_t size)
{
	char *line = malloc(size + 1), *text = malloc(size + 1), *opts = malloc(size / 2 + 1);
	u16 *units = malloc(size / 2 * sizeof(u16) + 1);
	struct uart_port port;
	long olen;
	u64 v;

	if (getenv("FUZZ_SHOW_LOG"))
		host_console_register();
	memcpy(line, data, size);
	line[size] = '\0';

	loader_then_kernel(text, bootargs_from_text((const char *)data, size, text));
	memcpy(units, data, size / 2 * sizeof(u16));
	olen = bootargs_from_options(units, size / 2, opts);
	if (olen > 0)
		loader_then_kernel(opts, (size_t)olen);

	(void)FUZZ_SURVIVE_PANIC(cmdline_parse(line));
	(void)uart_parse_earlycon(line, &port);
	(void)cmdline_parse_u64(line, &v);

	if (getenv("FUZZ_SHOW_LOG")) {
		fputs(host_log(), stderr);
		host_log_clear();
	}
	free(units);
	free(opts);
	free(text);
	free(line);
	return 0;
}

/*
 * shell.c — the serial shell for people at a board (docs/shell.md): a
 * prompt, a line editor (shell_line.c) and the commands below, on the
 * console UART, polled.
 *
 * kernel_main enters shell_run when `shell` is on the command line, after
 * the boot's work (self-tests, a kexec chain), instead of powering off.
 * Nothing else runs meanwhile: the shell waits for bytes in a loop
 * (console_getc never waits) and leaves only through poweroff, reboot or
 * kexec. A kexec keeps `shell` on the next command line unless the user
 * gives another one, so the next generation comes back here.
 *
 * What the commands print goes straight to the console (console_printf):
 * it is the answer to a question, not an event for the log. What they do
 * (a kexec, a reset, a poweroff) is logged as usual.
 */
#include "shell.h"
#include "bootfdt.h"
#include "cmdline.h"
#include "console.h"
#include "fdt_print.h"
#include "kernel.h"
#include "kexec.h"
#include "kho.h"
#include "kstring.h"
#include "oldlog.h"
#include "printk.h"
#include "arch/cpu.h"
#include "arch/mmu.h"
#include <libfdt.h>

static bool wanted;

static int set_shell(const char *val)
{
	if (val)
		return -EINVAL;
	wanted = true;
	return 0;
}
CMDLINE_PARAM("shell", set_shell,
	      "enter the serial shell when the boot's work is done, instead of powering off");

bool shell_wanted(void)
{
	return wanted;
}

struct shell_cmd {
	const char *name, *usage, *help;
	bool takes_args;
	void (*run)(const char *args);
};

static void cmd_help(const char *args);

static void cmd_mem(const char *args)
{
	(void)args;
	shell_mem_show();
}

static void cmd_kho(const char *args)
{
	(void)args;
	kho_show();
}

static void cmd_log(const char *args)
{
	(void)args;
	oldlog_show();
}

/* The next word of s (after spaces) into w (n bytes, cut to fit); returns
 * where it ended. */
static const char *next_word(const char *s, char *w, size_t n)
{
	size_t k = 0;

	while (*s == ' ')
		s++;
	for (; *s && *s != ' '; s++)
		if (k + 1 < n)
			w[k++] = *s;
	w[k] = 0;
	return s;
}

static void cmd_fdt(const char *args)
{
	char word[SHELL_LINE_MAX], path[SHELL_LINE_MAX] = "";
	const void *fdt = boot_fdt;
	const char *what = "the boot FDT";
	int node = 0;

	for (args = next_word(args, word, sizeof(word)); word[0];
	     args = next_word(args, word, sizeof(word))) {
		if (strcmp(word, "handover") == 0 && fdt == boot_fdt && !path[0]) {
			fdt = kho_received_fdt();
			what = "the KHO root FDT";
		} else if (word[0] == '/' && !path[0]) {
			memcpy(path, word, strlen(word) + 1);
		} else {
			console_printf("shell: fdt: '%s' is neither 'handover' nor a node path; "
				       "usage: fdt [handover] [/path]\n",
				       word);
			return;
		}
	}
	if (!fdt) {
		console_printf(
			"shell: fdt handover: this boot took no KHO handover (a cold boot, or "
			"it was refused), so there is no KHO root FDT\n");
		return;
	}
	if (path[0]) {
		node = fdt_path_offset(fdt, path);
		if (node < 0) {
			console_printf("shell: fdt: %s has no node %s (%s)\n", what, path,
				       fdt_strerror(node));
			return;
		}
	}
	console_printf("// %s at 0x%llx, %llu of its %u bytes used\n", what,
		       (unsigned long long)virt_to_phys(fdt),
		       (unsigned long long)bootfdt_content_size(fdt), fdt_totalsize(fdt));
	fdt_print(fdt, node);
}

/* Is `shell` one of the words of a command line? */
static bool has_shell_key(const char *line)
{
	while (*line) {
		const char *end;

		while (cmdline_is_space(*line))
			line++;
		if (!*line)
			break;
		end = cmdline_word_end(line);
		if ((end - line == 5 || (end - line > 5 && line[5] == '=')) &&
		    strncmp(line, "shell", 5) == 0)
			return true;
		line = end;
	}
	return false;
}

static void cmd_kexec(const char *args)
{
	const char *next = *args ? args : bootfdt_bootargs(boot_fdt);
	int err;

	err = kexec_set_bootargs(*args ? args : NULL);
	if (err) {
		console_printf("shell: kexec: the command line is too long (%s)\n", err_name(err));
		return;
	}
	if (!has_shell_key(next))
		console_printf("shell: the next command line has no 'shell': that generation will "
			       "power off when its work is done\n");
	pr_info("shell: kexec into generation %llu, command line \"%s\"",
		(unsigned long long)kexec_generation() + 1, next);
	err = kexec(); /* returns only when it did not happen, said why */
	kexec_set_bootargs(NULL);
	console_printf("shell: the kexec did not happen (%s; the reason is above); this kernel "
		       "goes on\n",
		       err_name(err));
}

static void cmd_reboot(const char *args)
{
	(void)args;
	arch_reset();
	console_printf("shell: the machine was not reset (the reasons are above); poweroff may "
		       "still work\n");
}

static void cmd_poweroff(const char *args)
{
	(void)args;
	pr_info("shell: powering off");
	console_flush();
	arch_poweroff();
}

static const struct shell_cmd commands[] = {
	{ "help", "help", "this list", false, cmd_help },
	{ "mem", "mem", "memory: memblock's map, the page allocator, the memmap, slab, vmalloc",
	  false, cmd_mem },
	{ "kho", "kho", "KHO: the handover this boot took, what is preserved now, scratch", false,
	  cmd_kho },
	{ "fdt", "fdt [handover] [/path]",
	  "the boot FDT as DTS (handover: the KHO root FDT this boot took)", true, cmd_fdt },
	{ "log", "log", "the kernel log: earlier generations' first, then this one's", false,
	  cmd_log },
	{ "kexec", "kexec [bootargs]",
	  "kexec a fresh copy of this kernel, with these bootargs or the current ones", true,
	  cmd_kexec },
	{ "reboot", "reboot", "reset the machine", false, cmd_reboot },
	{ "poweroff", "poweroff", "turn the machine off", false, cmd_poweroff },
};

static void cmd_help(const char *args)
{
	(void)args;
	console_printf("commands:\n");
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++)
		console_printf("  %-24s %s\n", commands[i].usage, commands[i].help);
	console_printf("keys: Backspace, Left/Right, Home/End (Ctrl-A/Ctrl-E), Ctrl-U clears the "
		       "line, Ctrl-C drops it\n");
}

/* Run one line: its first word names the command, the rest (spaces
 * trimmed) is the command's. */
static void shell_exec(char *line)
{
	char name[SHELL_LINE_MAX];
	const char *args;
	size_t n = strlen(line);

	while (n && line[n - 1] == ' ')
		line[--n] = 0;
	args = next_word(line, name, sizeof(name));
	if (!name[0])
		return; /* an empty line */
	while (*args == ' ')
		args++;
	for (size_t i = 0; i < ARRAY_SIZE(commands); i++) {
		if (strcmp(name, commands[i].name) != 0)
			continue;
		if (*args && !commands[i].takes_args) {
			console_printf("shell: %s takes no arguments (usage: %s)\n", name,
				       commands[i].usage);
			return;
		}
		commands[i].run(args);
		return;
	}
	console_printf("shell: unknown command '%s'; 'help' lists the commands\n", name);
}

static void shell_echo(const char *s, size_t n, void *arg)
{
	(void)arg;
	console_write(s, n);
}

void shell_run(void)
{
	static struct shell_line line;
	struct console *con = console_current();

	if (!console_can_read()) {
		pr_err("shell: the console (%s) cannot read input; no shell",
		       con ? con->name : "none");
		return;
	}
	pr_info("shell: generation %llu, on the %s console; 'help' lists the commands",
		(unsigned long long)kexec_generation(), con->name);
	shell_line_init(&line, shell_echo, NULL);
	for (;;) {
		enum shell_line_result r = SHELL_LINE_MORE;

		shell_line_reset(&line);
		console_write(SHELL_PROMPT, strlen(SHELL_PROMPT));
		while (r == SHELL_LINE_MORE) {
			int c = console_getc();

			if (c >= 0)
				r = shell_line_feed(&line, c);
		}
		if (r == SHELL_LINE_DONE)
			shell_exec(line.buf);
	}
}

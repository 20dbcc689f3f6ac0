# tests/bench/bench.mk — `make bench`: host benchmarks of mm/ against glibc
# malloc, jemalloc and mimalloc, all in one process (tests/bench/bench.c
# says how it measures). A benchmark, not a test: it is not part of
# `make test`, and it exits 0 whether or not the goals it reports are met.
# Included by the top-level Makefile; everything lands in build/bench/,
# whatever ARCH is.
#
# The kernel files are the real mm/ ones plus what they call (printk and
# its console, format, panic, cmdline for printk's parameter), compiled as
# tests/host/host.mk compiles them -- against the C library, with
# vsnprintf/snprintf renamed to the kernel's -- but as a release build:
# -O2, no sanitizers, -DNDEBUG, frame pointers kept as in the kernel.
# tests/host/fake_arch.c is the host's arch, shared with the unit tests;
# the harness is not linked.
#
# Link order matters: libjemalloc comes first, so that malloc/free in the
# process are jemalloc's (libmimalloc exports them too, and __libc_malloc
# and friends as well: tests/bench/glibc.c takes glibc's own from
# libc.so.6 with dlsym). The bench prints where each entry point resolves
# to. libjemalloc-dev and libmimalloc-dev come from tools/deps.

BENCH_BUILD := build/bench
BENCH_CC := gcc
BENCH_BIN := $(BENCH_BUILD)/mm-bench

BENCH_KERNEL_SRCS := mm/memblock.c mm/memdesc.c mm/buddy.c mm/slab.c mm/kmalloc.c \
	mm/folio.c kernel/printk.c kernel/console.c lib/format.c lib/kerrno.c kernel/panic.c \
	kernel/cmdline.c
BENCH_OWN_SRCS := tests/bench/bench.c tests/bench/baton.c tests/bench/glibc.c \
	tests/bench/jemalloc.c tests/bench/mimalloc.c
BENCH_SRCS := $(BENCH_KERNEL_SRCS) tests/host/fake_arch.c $(BENCH_OWN_SRCS)
BENCH_OBJS := $(patsubst %.c,$(BENCH_BUILD)/%.o,$(BENCH_SRCS))

BENCH_OPT := -O2 -DNDEBUG -fno-omit-frame-pointer -fno-pie
BENCH_CFLAGS := -std=gnu11 $(BENCH_OPT) $(WARNINGS) -Iinclude -Itests/host -MMD -MP
BENCH_RENAME := -Dvsnprintf=kvsnprintf -Dsnprintf=ksnprintf
BENCH_LIBS := -ljemalloc -lmimalloc

$(patsubst %.c,$(BENCH_BUILD)/%.o,$(BENCH_KERNEL_SRCS)): BENCH_CFLAGS += $(BENCH_RENAME)
# The report names the compiler and the flags mm/ was built with.
$(BENCH_BUILD)/tests/bench/bench.o: BENCH_CFLAGS += '-DBENCH_CFLAGS_STR="$(BENCH_OPT)"'

# The report is shown as it comes and kept in build/bench/report.txt; the
# bench's own exit status (0 unless it crashed) is make's.
# The KHO benchmark (tests/bench/kho_bench.c): kho/ and what it needs,
# the same release build.
KHO_BENCH_BIN := $(BENCH_BUILD)/kho-bench
KHO_BENCH_KERNEL_SRCS := $(BENCH_KERNEL_SRCS) mm/vmalloc.c kernel/bootfdt.c \
	$(filter-out kho/selftest.c,$(wildcard kho/*.c))
KHO_BENCH_OBJS := $(patsubst %.c,$(BENCH_BUILD)/%.o,$(KHO_BENCH_KERNEL_SRCS) \
	tests/host/fake_arch.c tests/bench/kho_bench.c)
$(patsubst %.c,$(BENCH_BUILD)/%.o,$(KHO_BENCH_KERNEL_SRCS) tests/bench/kho_bench.c): \
	BENCH_CFLAGS += $(BENCH_RENAME) -I.

$(KHO_BENCH_BIN): $(KHO_BENCH_OBJS)
	@echo "  LD      $@"
	$(Q)$(BENCH_CC) -no-pie -o $@ $(KHO_BENCH_OBJS) -lfdt

.PHONY: bench
# The allocator benchmark runs twice: jemalloc as it comes, then with a
# thread cache big enough for every window (jemalloc reads MALLOC_CONF
# once, at start; its report line shows tcache_nslots_small_min).
BENCH_JEMALLOC_BIG_TCACHE := tcache_nslots_small_min:512,tcache_nslots_small_max:512
bench: $(BENCH_BIN) $(KHO_BENCH_BIN)
	$(Q){ $(BENCH_BIN) && echo && echo "== again, jemalloc with a thread cache for the windows" && \
		MALLOC_CONF=$(BENCH_JEMALLOC_BIG_TCACHE) $(BENCH_BIN) && $(KHO_BENCH_BIN); \
		echo $$? > $(BENCH_BUILD)/status; } | \
		tee $(BENCH_BUILD)/report.txt; exit $$(cat $(BENCH_BUILD)/status)

$(BENCH_BIN): $(BENCH_OBJS)
	@echo "  LD      $@"
	$(Q)$(BENCH_CC) -no-pie -o $@ $(BENCH_OBJS) $(BENCH_LIBS)

$(BENCH_BUILD)/%.o: %.c tests/bench/bench.mk | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(BENCH_CC) $(BENCH_CFLAGS) -c $< -o $@

-include $(BENCH_OBJS:.o=.d) $(KHO_BENCH_OBJS:.o=.d)

# The project's QEMU TCG plugins (tests/bench/plugin/), shared objects QEMU
# loads with -plugin, built with the host compiler against the project's
# own declarations of the plugin API (tests/bench/plugin/qemu_plugin.h:
# Debian's QEMU ships none).
#
# The instruction-counting one (insn_count.c, `make insn-plugin`):
# `make bench-insns` boots both arches under -icount with a kexec chain
# and prints each handover's phases beside the plugin's instruction counts
# for the same intervals, cross-checked (tests/bench/insns says how);
# `make test-insns` (in `make test`) checks that the plugin counts a short
# boot identically twice.
#
# The store-watching one (store_watch.c, `make store-plugin`): the guest
# physical pages stored to inside a window of execution; `make test-stores`
# (in `make test`) boots both arches through a kexec and checks what it
# saw (tests/bench/store-watch-check says how).
INSN_PLUGIN := $(BENCH_BUILD)/insn_count.so
STORE_PLUGIN := $(BENCH_BUILD)/store_watch.so

$(BENCH_BUILD)/%.so: tests/bench/plugin/%.c tests/bench/plugin/qemu_plugin.h \
		tests/bench/bench.mk | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(BENCH_CC) -std=gnu11 -O2 $(WARNINGS) -fPIC -shared -fvisibility=hidden -o $@ $<

.PHONY: bench-insns test-insns insn-plugin insn-kernels store-plugin test-stores
insn-plugin: $(INSN_PLUGIN)
store-plugin: $(STORE_PLUGIN)
insn-kernels: | $(BUILD)/.deps
	$(Q)$(MAKE) -s --no-print-directory ARCH=x86_64 all
	$(Q)$(MAKE) -s --no-print-directory ARCH=arm64 all
bench-insns: $(INSN_PLUGIN) insn-kernels
	$(Q){ tests/bench/insns bench $(if $(BENCH_RUNS),--runs $(BENCH_RUNS)); \
		echo $$? > $(BENCH_BUILD)/insns-status; } | tee $(BENCH_BUILD)/insns-report.txt; \
		exit $$(cat $(BENCH_BUILD)/insns-status)
test-insns: $(INSN_PLUGIN) insn-kernels
	$(Q)tests/bench/insns check
test-stores: $(STORE_PLUGIN) insn-kernels
	$(Q)tests/bench/store-watch-check

# `make bench-handover` (tests/bench/handover): one handover per arch,
# shape (order0, order9, max, mix) and size (16 MiB to 8 GiB preserved),
# each under -icount, phase by phase in guest instructions, against the
# goals of docs/results.md; the plot with gnuplot. BENCH_HANDOVER_ARGS
# passes options (e.g. --arch x86_64 --sizes 16M,64M, or --docs to copy
# the tables and the plot into docs/).
.PHONY: bench-handover
bench-handover: insn-kernels $(STORE_PLUGIN)
	$(Q)tests/bench/handover $(BENCH_HANDOVER_ARGS)

# Instructions per preserved block on the incoming side (tests/bench/
# kho_insns.c, read by tests/bench/kho-insns under callgrind): the KHO
# bench's sources, built as the kernel is (-O2, general registers only,
# so no SSE store the guest could not make), in a folder of their own.
KHO_INSNS_BUILD := $(BENCH_BUILD)/insns
KHO_INSNS_BIN := $(BENCH_BUILD)/kho-insns
KHO_INSNS_KERNEL_OBJS := $(patsubst %.c,$(KHO_INSNS_BUILD)/%.o,$(KHO_BENCH_KERNEL_SRCS))
KHO_INSNS_OBJS := $(KHO_INSNS_KERNEL_OBJS) \
	$(patsubst %.c,$(KHO_INSNS_BUILD)/%.o,tests/host/fake_arch.c tests/bench/kho_insns.c)
$(KHO_INSNS_KERNEL_OBJS): KHO_INSNS_FLAGS := -mgeneral-regs-only -g

$(KHO_INSNS_BUILD)/%.o: %.c tests/bench/bench.mk | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(BENCH_CC) $(BENCH_CFLAGS) $(BENCH_RENAME) -I. $(KHO_INSNS_FLAGS) -c $< -o $@

$(KHO_INSNS_BIN): $(KHO_INSNS_OBJS)
	@echo "  LD      $@"
	$(Q)$(BENCH_CC) -no-pie -o $@ $(KHO_INSNS_OBJS) -lfdt

.PHONY: bench-kho-insns
bench-kho-insns: $(KHO_INSNS_BIN)
	$(Q)tests/bench/kho-insns $(KHO_INSNS_BIN)

-include $(KHO_INSNS_OBJS:.o=.d)

# Baton — top-level Makefile.
#
#   make [ARCH=x86_64|arm64]   build the kernel and the EFI loader (and on
#                              x86_64 build/x86_64/bzImage, boot/linux/)
#   make DEBUG=1 [ARCH=...]    the same with the kernel under UBSan
#                              (kernel/ubsan.c), in build/<arch>-debug/
#   make run                   boot under QEMU and show the kernel's output
#   make debug                 boot under QEMU stopped at reset, for gdb in a second terminal
#                              (GDB_PORT=N, GDB_AUTO=1; docs/gdb.md, tools/gdb/)
#   make test                  host unit tests + every boot case; last line
#                              "N passed, N failed"
#   make test-host             host unit tests only (ASan + UBSan)
#   make test-boot CASE=name   one boot case (tests/boot/cases/)
#   make test-deps             the module dependency check (tools/modules)
#   make test-docs             the docs check (tests/docs/check)
#   make test-gdb              a scripted gdb session per arch through a kexec (tests/boot/gdb)
#   make inspect               stop a kexec chain at generation 1's handover and show it:
#                              the boot FDT and KHO root FDT as DTS (dtc), the preserved
#                              blocks from the radix tree (INSPECT_GEN=N; docs/inspect.md)
#   make memmap                each generation's physical memory map from a debug boot
#                              log, drawn as build/<arch>/memmap.svg (tools/memmap)
#   make test-ci               the KTAP checker, boot judge and JUnit reports (docs/ci.md)
#   make format                format the C source to .clang-format, in place
#   make format-check          check that it is (tools/format-check; in make test)
#   make lint                  cppcheck on the generic code (tools/lint; in make test)
#   make soak                  the KHO soak: a 200-generation kexec chain of random
#                              preserved sets on arm64 and x86-64, leak-checked in each
#                              (SOAK_GENERATIONS=N, SOAK_SEED=S; tests/boot/soak)
#   make image ARCH=arm64      boot files and an SD card image for real boards
#   make bench                 host benchmarks of mm/ against glibc, jemalloc, mimalloc
#   make bench-insns           a kexec chain's phases next to QEMU's instruction
#                              counts (tests/bench/insns; BENCH_RUNS=N for medians)
#   make test-stores           the store-watching QEMU plugin's check (in make test;
#                              tests/bench/store-watch-check)
#   make bench-kho-insns       the incoming side's KHO instructions per preserved
#                              block, exact, under callgrind (tests/bench/kho_insns.c)
#   make fuzz                  long fuzzing runs: boot FDT, command line, KHO handover
#   make fuzz-bootfdt          one of them (also fuzz-cmdline, fuzz-bootparams, fuzz-multiboot2); FUZZ_SECONDS=600
#   make clean                 (distclean also drops build/sysroot-arm64)
#
# Everything is built under build/<arch>/ (DEBUG=1: build/<arch>-debug/). Missing tools are installed by
# tools/deps (Debian packages; see docs/design.md section 11).

ARCH ?= x86_64
V ?= 0
Q := $(if $(filter 1,$(V)),,@)
# DEBUG=1: the debug build (below, after KERNEL_CFLAGS), in a folder of its
# own so that it and the normal build live side by side.
DEBUG ?= 0
ifeq ($(filter 0 1,$(DEBUG)),)
$(error DEBUG must be 0 or 1, not '$(DEBUG)')
endif
BUILD := build/$(ARCH)$(if $(filter 1,$(DEBUG)),-debug)
SYSROOT_ARM64 := build/sysroot-arm64

ifeq ($(ARCH),x86_64)
CROSS :=
# gcc reads the stack-protector canary at %gs:0x28 under -mcmodel=kernel;
# Debian's libfdt (user-space code) reads %fs:0x28. One place for both:
KERNEL_CFLAGS_ARCH := -m64 -mcmodel=kernel -mno-red-zone -mgeneral-regs-only \
	-mstack-protector-guard-reg=fs -mstack-protector-guard-offset=0x28
LIBFDT := /usr/lib/x86_64-linux-gnu/libfdt.a
FDT_HEADERS := /usr/include
KERNEL := $(BUILD)/baton.elf
# The multiboot2 front end's segment is code and data at once
# (linker/x86_64.ld): RWX on purpose, and never mapped so by the kernel.
KERNEL_LDFLAGS_ARCH := --no-warn-rwx-segments
else ifeq ($(ARCH),arm64)
CROSS := aarch64-linux-gnu-
KERNEL_CFLAGS_ARCH := -mgeneral-regs-only -mcmodel=small
# Cortex-A53 erratum 843419 (an adrp at a page's last slots): gcc adds the
# linker's workaround only when it drives the link, and we call ld.
KERNEL_LDFLAGS_ARCH := --fix-cortex-a53-843419
LIBFDT := $(SYSROOT_ARM64)/usr/lib/aarch64-linux-gnu/libfdt.a
FDT_HEADERS := $(SYSROOT_ARM64)/usr/include
KERNEL := $(BUILD)/Image
else
$(error ARCH must be x86_64 or arm64, not '$(ARCH)')
endif

CC := $(CROSS)gcc
LD := $(CROSS)ld
OBJCOPY := $(CROSS)objcopy

WARNINGS := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wpointer-arith -Wundef -Wvla -Wcast-align \
	-Wno-address-of-packed-member

# -nostdinc: the kernel sees the compiler's freestanding headers, ours, and
# a copy of libfdt.h/fdt.h -- never the C library's.
FREESTANDING := -std=gnu11 -ffreestanding -nostdinc \
	-isystem $(shell $(CC) -print-file-name=include) \
	-I. -Iinclude -Iinclude/fdt -I$(BUILD)/fdt-include

KERNEL_CFLAGS := $(FREESTANDING) $(WARNINGS) $(KERNEL_CFLAGS_ARCH) -O2 -g \
	-fno-pic -fno-pie -fstack-protector-strong -fno-omit-frame-pointer \
	-fno-asynchronous-unwind-tables -fno-common -MMD -MP

# make DEBUG=1: every kernel file under UBSan (docs/debug-build.md), each
# failed check a call into the runtime, kernel/ubsan.c, which names it and
# panics. The checks are those that mean something in a freestanding C
# kernel: no float-* (it has no FP code), no return or vptr (C++ only).
# -fno-sanitize-recover: the compiler calls the _abort handlers, which never
# return. Only this build links the runtime, built without the checks (it
# would call itself). The loaders and libfdt (Debian's, prebuilt) are as in
# the normal build.
UBSAN_RUNTIME := kernel/ubsan.c
ifeq ($(DEBUG),1)
UBSAN_CHECKS := shift integer-divide-by-zero unreachable vla-bound null signed-integer-overflow \
	bounds alignment object-size bool enum pointer-overflow builtin nonnull-attribute \
	returns-nonnull-attribute
KERNEL_CFLAGS += $(addprefix -fsanitize=,$(UBSAN_CHECKS)) -fno-sanitize-recover=all
$(BUILD)/kernel/ubsan.o: KERNEL_CFLAGS += -fno-sanitize=all
endif

KERNEL_SRCS := $(wildcard lib/*.c) $(filter-out $(UBSAN_RUNTIME),$(wildcard kernel/*.c)) $(wildcard mm/*.c) $(wildcard kho/*.c) \
	$(wildcard ktest/*.c) \
	$(wildcard drivers/uart/*.c) $(wildcard drivers/power/*.c) \
	$(wildcard arch/$(ARCH)/*.c) $(wildcard arch/$(ARCH)/*.S) \
	$(if $(filter 1,$(DEBUG)),$(UBSAN_RUNTIME))
KERNEL_OBJS := $(patsubst %,$(BUILD)/%.o,$(basename $(KERNEL_SRCS)))

# Files with rules of their own (see the comments in each).
NOBUILTIN := -fno-builtin -fno-tree-loop-distribute-patterns
$(BUILD)/lib/string.o: KERNEL_CFLAGS += $(NOBUILTIN)
$(BUILD)/kernel/stackprotector.o: KERNEL_CFLAGS += -fno-stack-protector
# arm64's early page tables are built by C with the MMU off (mmu.c): no
# unaligned accesses, no canary yet, and no calls to memset/memcpy, which
# are not built strict-align.
$(BUILD)/arch/arm64/mmu.o: KERNEL_CFLAGS += -fno-stack-protector -mstrict-align $(NOBUILTIN)

.PHONY: all kernel run test clean distclean deps
all: kernel efi $(if $(filter x86_64,$(ARCH)),bzimage)
kernel: $(KERNEL)

$(BUILD)/fdt-include/libfdt.h $(BUILD)/fdt-include/fdt.h: | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	cp $(FDT_HEADERS)/$(notdir $@) $@

FDT_COPIES := $(BUILD)/fdt-include/libfdt.h $(BUILD)/fdt-include/fdt.h

$(BUILD)/%.o: %.c $(FDT_COPIES) Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(KERNEL_CFLAGS) -c $< -o $@

$(BUILD)/%.o: %.S Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)$(CC) $(KERNEL_CFLAGS) -D__ASSEMBLY__ -c $< -o $@

$(BUILD)/baton.elf $(BUILD)/baton-arm64.elf: $(KERNEL_OBJS) linker/$(ARCH).ld $(LIBFDT)
	@echo "  LD      $@"
	$(Q)$(LD) -nostdlib -static -z max-page-size=4096 -z noexecstack $(KERNEL_LDFLAGS_ARCH) \
		-T linker/$(ARCH).ld -o $@ $(KERNEL_OBJS) $(LIBFDT)
	@# The kernel's size, every build (docs/measuring.md tracks it).
	@$(CROSS)size $@ | awk 'NR == 2 { printf "  SIZE    %s: text %d, data %d, bss %d bytes ($(ARCH))\n", \
		"$@", $$1, $$2, $$3 }'
ifeq ($(ARCH),x86_64)
	@# Every canary read must be %fs:0x28, where entry.S put the canary: a
	@# %gs:0x28 would read whatever GS_BASE the firmware left (once: phys 0x28).
	$(Q)if $(CROSS)objdump -d $@ | grep -q '%gs:0x28'; then \
		echo "$@: code reads the canary at %gs:0x28" >&2; rm -f $@; exit 1; fi
endif

$(BUILD)/Image: $(BUILD)/baton-arm64.elf
	@echo "  OBJCOPY $@"
	$(Q)$(OBJCOPY) -O binary $< $@
	@# head.S copies [_kernel_start, _image_file_end) at entry as the
	@# pristine Image kexec starts from: the file must be exactly that.
	$(Q)want=$$(($$($(CROSS)nm $< | awk '/ _image_file_size$$/ {print "0x"$$1}'))); \
	if [ "$$(stat -c %s $@)" -ne "$$want" ]; then \
		echo "$@: $$(stat -c %s $@) bytes, but _image_file_size says $$want" >&2; \
		rm -f $@; exit 1; fi

# The deps script runs when a tool or package file we need is missing.
# It runs again when tools/deps changes (a new package for an old checkout).
$(BUILD)/.deps: tools/deps
	@tools/deps --check >/dev/null 2>&1 || tools/deps
	@mkdir -p $(BUILD) && touch $@
$(LIBFDT): | $(BUILD)/.deps
deps:
	tools/deps

# make run: boot the default loader for ARCH under QEMU, serial on the
# terminal. RUN_ARGS is the kernel command line; by default it shows a
# kexec handover chain of three generations.
RUN_ARGS ?= kexec.chain=3
RUN_DIR := $(BUILD)/runs/make-run
run: all
ifeq ($(ARCH),x86_64)
	@rm -rf $(RUN_DIR) && mkdir -p $(RUN_DIR)/esp/EFI/BOOT
	@cp $(BUILD)/BOOTX64.EFI $(BUILD)/baton.elf $(RUN_DIR)/esp/EFI/BOOT/
	@printf '%s\n' "$(RUN_ARGS)" > $(RUN_DIR)/esp/EFI/BOOT/cmdline.txt
	tools/qemu x86_64-ovmf $(RUN_DIR)/esp
else
	tools/qemu arm64-direct $(BUILD)/Image "$(RUN_ARGS)"
endif

# make debug: QEMU with its gdb stub, the CPUs stopped at reset, and
# $(BUILD)/gdbinit for gdb (tools/gdb/debug, docs/gdb.md). RUN_ARGS as
# for make run; GDB_PORT=N (1234); GDB_AUTO=1 runs gdb here too.
.PHONY: debug
debug: all
	@tools/gdb/debug $(ARCH) $(BUILD) "$(RUN_ARGS)"
# make test-gdb: the scripted gdb session on both arches (in make test).
.PHONY: test-gdb
test-gdb: | $(BUILD)/.deps
	@tests/boot/gdb

# tools/depcheck's link check: each link unit's objects, and the nm that
# reads them (`make deps-units ARCH=...` prints them).
.PHONY: deps-units
deps-units:
	@echo "nm $(CROSS)nm"
	@echo "unit kernel $(BUILD) $(KERNEL_OBJS)"
	@echo "unit efi $(BUILD)/efi $(EFI_OBJS)"
	@$(if $(filter x86_64,$(ARCH)),echo "unit bzimage $(LB) $(LB_OBJS)")
	@$(if $(filter x86_64,$(ARCH)),echo "unit multiboot2 $(LB) $(MB2_OBJS)")

# The module dependency check (tools/depcheck, tools/modules): the kernel
# and the loaders of both arches are built first, for the link check.
.PHONY: test-deps
test-deps: | $(BUILD)/.deps
	$(Q)$(MAKE) -s --no-print-directory ARCH=x86_64 all
	$(Q)$(MAKE) -s --no-print-directory ARCH=arm64 all
	$(Q)tools/depcheck

# The docs check (tests/docs/check): every file, function and link the
# docs name exists, and docs/02-entry-protocol.md's init list is
# kernel_main's; its own fixtures first.
.PHONY: test-docs
test-docs:
	$(Q)tests/docs/check

# The quality gates (docs/style.md): clang-format's layout, cppcheck's
# findings. Both are in make test.
.PHONY: format format-check lint
format: | $(BUILD)/.deps
	@tools/format-check --fix
format-check: | $(BUILD)/.deps
	@tools/format-check
lint: | $(BUILD)/.deps
	@tools/lint

# make test: everything, ending in "N passed, N failed".
test: | $(BUILD)/.deps
	@tests/run

# make soak: the KHO soak on both arches (docs/08-kexec.md).
.PHONY: soak
soak: | $(BUILD)/.deps
	@tests/boot/soak

# make inspect, make memmap: the handover made visible (tools/inspect).
.PHONY: inspect memmap
inspect memmap: kernel $(if $(filter x86_64,$(ARCH)),bzimage)
	@tools/inspect $(if $(filter inspect,$@),handover,memmap) $(ARCH)

include boot/efi/efi.mk
include boot/linux/linux.mk
include boot/multiboot2/multiboot2.mk
include boot/grub/grub.mk
include boot/image.mk
include tests/host/host.mk
include tests/boot/boot.mk
include tests/bench/bench.mk
include tests/fuzz/fuzz.mk

# clean keeps build/sysroot-arm64 (downloaded packages); distclean does not.
clean:
	rm -rf build/x86_64 build/arm64 build/x86_64-debug build/arm64-debug build/host build/bench build/fuzz build/logs
distclean:
	rm -rf build

-include $(KERNEL_OBJS:.o=.d)

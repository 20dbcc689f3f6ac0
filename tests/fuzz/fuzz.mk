# tests/fuzz/fuzz.mk — the KHO handover fuzzer (libFuzzer, clang).
#   make fuzz                 a long run (FUZZ_SECONDS, default 600)
#   make test-fuzz            the short run make test includes (20 s)
# The seed corpus is made fresh from real handovers (fuzz_kho.c built with
# -DFUZZ_CORPUS); findings land in build/fuzz/crashes/. Inputs that once
# crashed it are kept in tests/fuzz/regress/kho/ and run every time.

FUZZ_BUILD := build/fuzz
FUZZ_SECONDS ?= 600
FUZZ_SRCS := $(HOST_KERNEL_SRCS) tests/host/fake_arch.c
FUZZ_CFLAGS := -std=gnu11 -g -O1 -fno-omit-frame-pointer $(WARNINGS) \
	-Wno-unknown-warning-option -I. -Iinclude -Itests/host $(HOST_RENAME)

$(FUZZ_BUILD)/fuzz_kho: tests/fuzz/fuzz_kho.c $(FUZZ_SRCS) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)clang $(FUZZ_CFLAGS) -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $^ -lfdt -o $@

$(FUZZ_BUILD)/make_corpus: tests/fuzz/fuzz_kho.c $(FUZZ_SRCS) | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)clang $(FUZZ_CFLAGS) -DFUZZ_CORPUS -fsanitize=address,undefined $^ -lfdt -o $@

.PHONY: fuzz test-fuzz fuzz-corpus
fuzz-corpus: $(FUZZ_BUILD)/make_corpus
	@rm -rf $(FUZZ_BUILD)/seeds && mkdir -p $(FUZZ_BUILD)/seeds $(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/crashes
	$(Q)$(FUZZ_BUILD)/make_corpus $(FUZZ_BUILD)/seeds

define run_fuzz
	$(Q)$(FUZZ_BUILD)/fuzz_kho -max_total_time=$(1) -max_len=262144 -timeout=10 \
		-artifact_prefix=$(FUZZ_BUILD)/crashes/ -print_final_stats=1 \
		$(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/seeds tests/fuzz/regress/kho 2>$(FUZZ_BUILD)/last.log; \
	rc=$$?; grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)" \
		$(FUZZ_BUILD)/last.log | sed 's/^/fuzz: /'; \
	if [ $$rc -eq 0 ]; then echo "fuzz: 1 passed, 0 failed"; else \
		tail -30 $(FUZZ_BUILD)/last.log; echo "fuzz: 0 passed, 1 failed"; fi; exit $$rc
endef

fuzz: $(FUZZ_BUILD)/fuzz_kho fuzz-corpus
	$(call run_fuzz,$(FUZZ_SECONDS))

test-fuzz: $(FUZZ_BUILD)/fuzz_kho fuzz-corpus
	$(call run_fuzz,20)

# The boot fuzzers, each a libFuzzer target of its own beside the KHO one:
#   bootfdt   the boot FDT reader (fuzz_bootfdt.c), seeded with the device
#             trees QEMU generates and the boot cases' (bootfdt-seeds)
#   cmdline   the command line, loader to kernel (fuzz_cmdline.c), seeded
#             with the lines of seeds/cmdline.txt
#   bootparams  a loader's boot_params as the bzImage front end reads it
#             (fuzz_bootparams.c), seeded by the file itself
#   multiboot2  GRUB's multiboot2 information as the multiboot2 front end
#             reads it (fuzz_multiboot2.c), seeded by the file itself
# make fuzz-<target> runs one for FUZZ_SECONDS, make fuzz runs all of them
# (these first, then KHO's); make test-fuzz runs each for
# FUZZ_BOOT_TEST_SECONDS. Each prints "fuzz-<target>: N passed, N failed"
# for tests/run. Inputs that once crashed a target are kept in
# tests/fuzz/regress/<target>/ and run every time; findings land in
# build/fuzz/<target>/crashes/.
FUZZ_BOOT_TARGETS := bootfdt cmdline bootparams multiboot2
FUZZ_BOOT_TEST_SECONDS ?= 10
FUZZ_BOOT_SRCS := $(FUZZ_SRCS) drivers/uart/uart.c boot/efi/bootargs.c tests/fuzz/fuzz_boot.c
# A panic is the kernel refusing an input; fuzz_boot.h survives it.
FUZZ_BOOT_LDFLAGS := -Wl,--wrap=panic,--wrap=arch_poweroff,--wrap=arch_halt
FUZZ_MAX_LEN_bootfdt := 65536
FUZZ_MAX_LEN_cmdline := 8192
FUZZ_MAX_LEN_bootparams := 65536
FUZZ_MAX_LEN_multiboot2 := 65536

$(FUZZ_BUILD)/fuzz_bootfdt $(FUZZ_BUILD)/fuzz_cmdline: $(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c \
		$(FUZZ_BOOT_SRCS) tests/fuzz/fuzz_boot.h | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)clang $(FUZZ_CFLAGS) -Itests/fuzz -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $(filter %.c,$^) $(FUZZ_BOOT_LDFLAGS) -lfdt -o $@

# bootparams, multiboot2: the x86-64 front ends' readers (fuzz_bootparams.c:
# the bzImage's boot_params; fuzz_multiboot2.c: GRUB's multiboot2
# information), on the fake memory and with the checks of fuzz_frontend.c;
# each seeded with input shaped as real loaders fill it in, which the same
# file writes when built with -DFUZZ_SEEDS.
FUZZ_FRONTEND_TARGETS := $(FUZZ_BUILD)/fuzz_bootparams $(FUZZ_BUILD)/fuzz_multiboot2
$(FUZZ_FRONTEND_TARGETS): $(FUZZ_BUILD)/fuzz_%: tests/fuzz/fuzz_%.c $(FUZZ_BOOT_SRCS) \
		$(HOST_LINUXBOOT_SRCS) $(HOST_MB2_SRCS) tests/fuzz/fuzz_frontend.c \
		tests/fuzz/fuzz_frontend.h tests/fuzz/fuzz_boot.h | $(BUILD)/.deps
	@mkdir -p $(dir $@)
	@echo "  CC      $@"
	$(Q)clang $(FUZZ_CFLAGS) -Itests/fuzz -fsanitize=fuzzer,address,undefined \
		-fno-sanitize-recover=all $(filter %.c,$^) $(FUZZ_BOOT_LDFLAGS) -lfdt -o $@

$(FUZZ_BUILD)/bootparams/seeds/.made $(FUZZ_BUILD)/multiboot2/seeds/.made: \
		$(FUZZ_BUILD)/%/seeds/.made: tests/fuzz/fuzz_%.c | $(BUILD)/.deps
	@rm -rf $(dir $@) && mkdir -p $(dir $@)
	$(Q)clang $(filter-out $(HOST_RENAME),$(FUZZ_CFLAGS)) -DFUZZ_SEEDS $< \
		-o $(FUZZ_BUILD)/$*-seeds
	$(Q)$(FUZZ_BUILD)/$*-seeds $(dir $@) && touch $@

$(FUZZ_BUILD)/bootfdt/seeds/.made: tests/fuzz/bootfdt-seeds $(wildcard tests/boot/dts/*) | $(BUILD)/.deps
	@rm -rf $(dir $@) && mkdir -p $(dir $@)
	$(Q)tests/fuzz/bootfdt-seeds $(dir $@) && touch $@

$(FUZZ_BUILD)/cmdline/seeds/.made: tests/fuzz/seeds/cmdline.txt
	@rm -rf $(dir $@) && mkdir -p $(dir $@)
	@# One seed a line, and one line of them all, repeated past CMDLINE_MAX.
	$(Q)awk '{ f = sprintf("$(dir $@)line-%02d", NR); printf "%s", $$0 > f; close(f); \
		all = all " " $$0 } END { while (length(long) < 3000) long = long all; \
		printf "%s", long > "$(dir $@)long" }' $<
	@touch $@

# $(call run_fuzz_boot,target,seconds)
define run_fuzz_boot
	@mkdir -p $(FUZZ_BUILD)/$(1)/corpus $(FUZZ_BUILD)/$(1)/crashes tests/fuzz/regress/$(1)
	$(Q)$(FUZZ_BUILD)/fuzz_$(1) -max_total_time=$(2) -max_len=$(FUZZ_MAX_LEN_$(1)) -timeout=10 \
		-artifact_prefix=$(FUZZ_BUILD)/$(1)/crashes/ -print_final_stats=1 \
		$(FUZZ_BUILD)/$(1)/corpus $(FUZZ_BUILD)/$(1)/seeds tests/fuzz/regress/$(1) \
		2>$(FUZZ_BUILD)/$(1)/last.log; \
	rc=$$?; grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)" \
		$(FUZZ_BUILD)/$(1)/last.log | sed 's/^/fuzz-$(1): /'; \
	if [ $$rc -eq 0 ]; then echo "fuzz-$(1): 1 passed, 0 failed"; else \
		tail -30 $(FUZZ_BUILD)/$(1)/last.log; echo "fuzz-$(1): 0 passed, 1 failed"; fi; exit $$rc
endef

.PHONY: $(addprefix fuzz-,$(FUZZ_BOOT_TARGETS)) $(addprefix test-fuzz-,$(FUZZ_BOOT_TARGETS))
$(foreach t,$(FUZZ_BOOT_TARGETS),$(eval fuzz-$(t): $(FUZZ_BUILD)/fuzz_$(t) $(FUZZ_BUILD)/$(t)/seeds/.made ; \
	$$(call run_fuzz_boot,$(t),$$(FUZZ_SECONDS))))
$(foreach t,$(FUZZ_BOOT_TARGETS),$(eval test-fuzz-$(t): $(FUZZ_BUILD)/fuzz_$(t) $(FUZZ_BUILD)/$(t)/seeds/.made ; \
	$$(call run_fuzz_boot,$(t),$$(FUZZ_BOOT_TEST_SECONDS))))
fuzz: $(addprefix fuzz-,$(FUZZ_BOOT_TARGETS))
test-fuzz: $(addprefix test-fuzz-,$(FUZZ_BOOT_TARGETS))

# tests/fuzz/fuzz.mk — the KHO handover fuzzer (libFuzzer, clang).
#   make fuzz                 a long run (FUZZ_SECONDS, default 600)
#   make test-fuzz            the short run make test includes (20 s)
# The seed corpus is made fresh from real handovers (fuzz_kho.c built with
# -DFUZZ_CORPUS); findings land in build/fuzz/crashes/. Inputs that once
# crashed it are kept in tests/fuzz/regress/ and run every time.

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
	$(Q)$(FUZZ_BUILD)/fuzz_kho -max_total_time=$(1) -max_len=65536 -timeout=10 \
		-artifact_prefix=$(FUZZ_BUILD)/crashes/ -print_final_stats=1 \
		$(FUZZ_BUILD)/corpus $(FUZZ_BUILD)/seeds tests/fuzz/regress 2>$(FUZZ_BUILD)/last.log; \
	rc=$$?; grep -E "^(stat::number_of_executed_units|stat::peak_rss_mb|#[0-9]+ +DONE)" \
		$(FUZZ_BUILD)/last.log | sed 's/^/fuzz: /'; \
	if [ $$rc -eq 0 ]; then echo "fuzz: 1 passed, 0 failed"; else \
		tail -30 $(FUZZ_BUILD)/last.log; echo "fuzz: 0 passed, 1 failed"; fi; exit $$rc
endef

fuzz: $(FUZZ_BUILD)/fuzz_kho fuzz-corpus
	$(call run_fuzz,$(FUZZ_SECONDS))

test-fuzz: $(FUZZ_BUILD)/fuzz_kho fuzz-corpus
	$(call run_fuzz,20)

# tests/boot/boot.mk — `make test-boot [CASE=name]` boots one case (or all)
# under QEMU through tests/boot/run. Included by the top-level Makefile.

.PHONY: test-boot
test-boot: | $(BUILD)/.deps
	tests/boot/run $(CASE)

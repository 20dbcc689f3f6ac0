# tests/boot/boot.mk — `make test-boot [CASE=name]` boots one case (or all)
# under QEMU through tests/boot/run. Included by the top-level Makefile.

.PHONY: test-boot
test-boot: | $(BUILD)/.deps
	tests/boot/run $(CASE)

# make test-ci: what CI systems read of a run, checked on fabricated logs
# (tests/boot/ci-check: the KTAP checker, the judge, the JUnit reports).
.PHONY: test-ci
test-ci:
	tests/boot/ci-check

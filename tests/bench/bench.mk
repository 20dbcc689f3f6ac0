# tests/bench/bench.mk — `make bench` (being written).
.PHONY: bench
bench:
	@echo "bench: not written yet"

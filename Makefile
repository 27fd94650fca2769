# The two commands of the README: `make run` and `make test`. Everything else is a helper.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)
PYTEST_ARGS ?=

.PHONY: run test fuzz bench bench-network lint clean venv

venv: $(STAMP)

# Debian's python3 lacks ensurepip until python3-venv is installed: add it when needed.
$(BIN)/python:
	@$(PYTHON) -m venv $(VENV) 2>/dev/null || { \
	  rm -rf $(VENV); \
	  echo "python3 -m venv failed: installing Debian's python3-venv"; \
	  $(SUDO) apt-get update -q && $(SUDO) apt-get install -y -q python3-venv && \
	  $(PYTHON) -m venv $(VENV); }

$(STAMP): pyproject.toml | $(BIN)/python
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	@touch $(STAMP)

run: $(STAMP)
	$(BIN)/repairdesk demo --if-empty
	$(BIN)/repairdesk --demo

test: $(STAMP)
	$(BIN)/ruff check repairdesk screens tests
	$(BIN)/lint-imports
	$(BIN)/mypy
	$(BIN)/python -m pytest -n 2 --dist worksteal $(PYTEST_ARGS)

# The hostile-input searches in full (make test runs two fifths of their examples).
fuzz: $(STAMP)
	REPAIRDESK_FUZZ=full $(BIN)/python -m pytest -n 2 tests/unit/trust/test_hostile_input.py

# Benchmarks (never part of make test): QUICK=1 for 100,000 tickets instead of 1,000,000.
bench: $(STAMP)
	$(BIN)/python -m benchmarks $(if $(QUICK),--quick)

# HQ at a network's scale (never part of make bench or make test): a month of 2,000 counters'
# batch files (generated once, kept in /work/benchcache or $$REPAIRDESK_BENCHCACHE) imported
# into a throwaway PostgreSQL, then the monthly report. QUICK=1 for 50 counters,
# COUNTERS=N for another size, PARALLEL=2 for two hq import processes over two shares.
bench-network: $(STAMP)
	$(BIN)/python -m benchmarks.network $(if $(QUICK),--quick) $(if $(COUNTERS),--counters $(COUNTERS)) $(if $(PARALLEL),--parallel $(PARALLEL))

lint: $(STAMP)
	$(BIN)/ruff check repairdesk screens tests

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .import_linter_cache

# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast lint format bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(STAMP): $(BIN)/python pyproject.toml setup.py monitor/matching/_speedups.c
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

run: $(STAMP)
	@mkdir -p inbox
	@cp -p -n seeds/* inbox/ 2>/dev/null || true
	$(BIN)/monitor run --config config.toml

# Code is laid out by `ruff format` (run `make format` before committing); lint fails on drift.
lint: $(STAMP)
	$(BIN)/ruff format --check monitor tests bench tools setup.py
	$(BIN)/ruff check monitor tests bench tools
	$(BIN)/mypy

test: $(STAMP) lint
	$(BIN)/pytest -q

# The unit suite only: leaves out tests/e2e/ (marker `e2e`), which starts real daemons.
test-fast: $(STAMP)
	$(BIN)/pytest -q -m "not e2e"

format: $(STAMP)
	$(BIN)/ruff format monitor tests bench tools setup.py

bench: $(STAMP)
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/burst.py
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/html_caps.py

clean:
	rm -rf $(VENV) state archive quarantine alerts.jsonl

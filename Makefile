# Two commands on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
# Two stamps: `run` installs the package and what it needs to run, nothing more, so a first
# `make run` does not wait for linters and test tools; test, lint, format and bench add the
# `test` extras (which include everything `run` needs, so they touch both stamps).
RUN_STAMP := $(VENV)/.installed-run
STAMP := $(VENV)/.installed-test
DEPS := pyproject.toml setup.py monitor/matching/_speedups.c

.PHONY: run test test-fast lint format bench screenshots clean

# pip 23.3 or newer: an older one (Python 3.11's own is 23.2) does not match jusText's
# request for `lxml[html_clean]` with lxml's `html-clean` extra and warns that it is missing.
$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip

$(RUN_STAMP): $(BIN)/python $(DEPS)
	$(BIN)/pip install -q -e .
	touch $(RUN_STAMP)

$(STAMP): $(BIN)/python $(DEPS)
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP) $(RUN_STAMP)

run: $(RUN_STAMP)
	@mkdir -p inbox
	@cp -p -n seeds/* inbox/ 2>/dev/null || true
	$(BIN)/monitor run --config config.toml

# Code is laid out by `ruff format` (run `make format` before committing); lint fails on drift.
lint: $(STAMP)
	$(BIN)/ruff format --check monitor tests bench tools setup.py
	$(BIN)/ruff check monitor tests bench tools
	$(BIN)/mypy

# The PostgreSQL backend's tests start a throwaway server (tests/helpers/pgserver.py) from
# Debian's packages, and the web page's tests drive Debian's Chromium (tests/helpers/browser.py);
# both are installed here when missing.
test: $(STAMP) lint
	bash tools/ensure_postgres.sh
	bash tools/ensure_chromium.sh
	$(BIN)/pytest -q -n 2

# The unit suite only: leaves out tests/e2e/ (marker `e2e`), which starts real daemons.
test-fast: $(STAMP)
	bash tools/ensure_postgres.sh
	bash tools/ensure_chromium.sh
	$(BIN)/pytest -q -m "not e2e"

# The README's pictures of the web page (docs/web/*.png): the browser tests take them anyway
# (into each test's temporary folder); MONITOR_SCREENSHOTS makes them copy them there too.
screenshots: $(STAMP)
	bash tools/ensure_chromium.sh
	MONITOR_SCREENSHOTS=docs/web $(BIN)/pytest -q tests/e2e/test_web_browser.py

format: $(STAMP)
	$(BIN)/ruff format monitor tests bench tools setup.py

bench: $(STAMP)
	$(BIN)/python bench/throughput.py
	$(BIN)/python bench/latency.py
	$(BIN)/python bench/burst.py --mix seed sparse
	$(BIN)/python bench/scale.py
	$(BIN)/python bench/html_caps.py
	$(BIN)/python bench/dedup_eval.py
	$(BIN)/python bench/stories_scale.py
	$(BIN)/python bench/sources.py
	$(BIN)/python bench/rule_layouts.py
	$(BIN)/python bench/match_parts.py
	bash tools/ensure_postgres.sh
	$(BIN)/python bench/web_queries.py
	$(BIN)/python bench/cluster.py
	cd bench && ../$(BIN)/python web_load.py

clean:
	rm -rf $(VENV) state archive quarantine alerts.jsonl

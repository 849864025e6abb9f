# Watchfloor: `make demo` runs it, `make test` tests it. Both bootstrap everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

.PHONY: demo serve test lint typecheck pytest pytest-sqlite pytest-postgres bench lock clean

$(STAMP): requirements.lock pyproject.toml
	@scripts/require-system.sh python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

demo: $(STAMP)
	$(VENV)/bin/watchfloor demo

serve: $(STAMP)
	$(VENV)/bin/watchfloor serve

test: $(STAMP)
	@scripts/require-system.sh postgres
	$(MAKE) --no-print-directory lint typecheck
	$(MAKE) --no-print-directory pytest-sqlite
	$(MAKE) --no-print-directory pytest-postgres

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/lint-imports --no-cache

typecheck: $(STAMP)
	$(VENV)/bin/mypy src tests bench

pytest-sqlite: $(STAMP)
	WATCHFLOOR_TEST_STORE=sqlite $(PY) -m pytest $(PYTEST_ARGS)

pytest-postgres: $(STAMP)
	scripts/with-postgres.sh env WATCHFLOOR_TEST_STORE=postgresql $(PY) -m pytest $(PYTEST_ARGS)

bench: $(STAMP)
	@scripts/require-system.sh postgres
	scripts/with-postgres.sh $(PY) -m bench

# Re-pin dependencies (developers only; needs the `uv` tool).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu -o requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache

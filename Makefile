# Watchfloor: `make demo` runs it, `make test` tests it. Both bootstrap everything they need.
SHELL := /bin/bash
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed

CONSOLE_STAMP := console/node_modules/.installed
CONSOLE_BUILT := src/watchfloor/web/console_dist/index.html
CONSOLE_SRC := $(shell find console/src -type f ! -name schema.d.ts 2>/dev/null) \
  console/index.html console/community/*.html console/vite.config.ts console/tsconfig.json console/tsconfig.node.json
PY_SRC := $(shell find src/watchfloor -name '*.py' 2>/dev/null)

.PHONY: demo serve test lint typecheck pytest pytest-sqlite pytest-postgres bench lock clean \
  console console-test

$(STAMP): requirements.lock pyproject.toml
	@scripts/require-system.sh python
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --disable-pip-version-check --require-hashes -r requirements.lock
	$(PY) -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	@touch $(STAMP)

# --- the operator console: npm packages pinned by package-lock.json, API client generated
# from the server's OpenAPI document, built into the Python package's console_dist/.
$(CONSOLE_STAMP): console/package.json console/package-lock.json
	@scripts/require-system.sh node
	cd console && npm ci --no-audit --no-fund --loglevel=error
	@touch $@

console/openapi.json: $(STAMP) $(PY_SRC)
	$(VENV)/bin/watchfloor openapi 2>/dev/null > $@.tmp && mv $@.tmp $@

console/src/api/schema.d.ts: console/openapi.json $(CONSOLE_STAMP)
	cd console && npm run --silent gen:api

$(CONSOLE_BUILT): $(CONSOLE_STAMP) console/src/api/schema.d.ts $(CONSOLE_SRC)
	cd console && npm run --silent typecheck && npm run --silent build

console: $(CONSOLE_BUILT)

console-test: $(CONSOLE_BUILT)
	cd console && npm test --silent

demo: $(STAMP) $(CONSOLE_BUILT)
	@scripts/require-system.sh video || echo "The demo runs without live video."
	$(VENV)/bin/watchfloor demo

serve: $(STAMP) $(CONSOLE_BUILT)
	$(VENV)/bin/watchfloor serve

test: $(STAMP)
	@scripts/require-system.sh postgres
	@scripts/require-system.sh browser
	@scripts/require-system.sh mqtt
	@scripts/require-system.sh video
	$(MAKE) --no-print-directory lint typecheck
	$(MAKE) --no-print-directory console-test
	$(MAKE) --no-print-directory pytest-sqlite
	$(MAKE) --no-print-directory pytest-postgres

lint: $(STAMP)
	$(VENV)/bin/ruff check src tests bench
	$(VENV)/bin/ruff format --check src tests bench
	$(VENV)/bin/lint-imports --no-cache

typecheck: $(STAMP)
	$(VENV)/bin/mypy src tests bench

# Browser tests run once, on SQLite (the store makes no difference to what the browser sees).
pytest-sqlite: $(STAMP) $(CONSOLE_BUILT)
	WATCHFLOOR_TEST_STORE=sqlite $(PY) -m pytest $(PYTEST_ARGS)

pytest-postgres: $(STAMP)
	scripts/with-postgres.sh env WATCHFLOOR_TEST_STORE=postgresql $(PY) -m pytest \
	  -m "not browser" $(PYTEST_ARGS)

bench: $(STAMP) $(CONSOLE_BUILT)
	@scripts/require-system.sh postgres
	scripts/with-postgres.sh $(PY) -m bench

# Re-pin dependencies (developers only; needs the `uv` tool).
lock:
	uv pip compile pyproject.toml --extra dev --generate-hashes --python-version 3.11 \
	  --python-platform x86_64-unknown-linux-gnu -o requirements.lock

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache console/node_modules src/watchfloor/web/console_dist

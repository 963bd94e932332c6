# Aidledger: two commands matter: `make demo` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV ?= .venv
BIN := $(VENV)/bin
FLASK := $(BIN)/flask --app wsgi
HOST ?= 127.0.0.1
PORT ?= 5000
# the official IATI files beside the project, when there (docs/iati.md): the demo validates with them
SHARED_REFERENCE ?= ../shared/reference-data
ifneq ($(wildcard $(SHARED_REFERENCE)/iati-schemas/iati-activities-schema.xsd),)
demo: export AIDLEDGER_IATI_SCHEMA_DIR ?= $(abspath $(SHARED_REFERENCE)/iati-schemas)
demo: export AIDLEDGER_IATI_CODELIST_DIR ?= $(abspath $(SHARED_REFERENCE)/iati-codelists)
endif

FUZZ_EXAMPLES ?= 20

.PHONY: demo test lint install install-test serve bench fuzz clean

$(BIN)/activate:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/activate
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-test: pyproject.toml $(VENV)/.installed node_modules/.package-lock.json
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

# axe-core for the accessibility checks of the browser tests (tests/browser), pinned in package-lock.json
node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null 2>&1; then npm ci --no-audit --no-fund --silent; \
	  else echo "npm not found: the accessibility checks of the browser tests will be skipped"; fi

install: $(VENV)/.installed

install-test: $(VENV)/.installed-test

## Set everything up, load the Flemish demo portfolio, serve on http://127.0.0.1:5000 with the scheduler.
demo: install
	$(FLASK) db upgrade
	$(FLASK) demo load
	$(FLASK) demo logins
	@echo "Serving on http://$(HOST):$(PORT) (Ctrl-C stops the web server and the scheduler)"
	@trap 'kill 0' INT TERM EXIT; \
	  $(FLASK) scheduler run & \
	  $(BIN)/gunicorn --bind $(HOST):$(PORT) --workers 2 --access-logfile - wsgi:app

## Lint (ruff, configured in pyproject.toml), then run the whole suite on SQLite, and on
## PostgreSQL too when DATABASE_URL points there.
test: install-test lint
	$(BIN)/python -m pytest
	@case "$$DATABASE_URL" in postgresql*) \
	  echo "== again on PostgreSQL ($$DATABASE_URL)"; \
	  AIDLEDGER_TEST_DATABASE_URL="$$DATABASE_URL" $(BIN)/python -m pytest ;; esac

lint: install-test
	$(BIN)/ruff check .

## The API contract fuzzed: schemathesis (every check, the coverage phase too) with FUZZ_EXAMPLES examples
## per operation (tests/app/test_api_fuzz.py; the suite runs it with 5 and no coverage phase), on SQLite,
## and on PostgreSQL too when DATABASE_URL points there.
fuzz: install-test
	AIDLEDGER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) AIDLEDGER_FUZZ_COVERAGE=1 $(BIN)/python -m pytest tests/app/test_api_fuzz.py
	@case "$$DATABASE_URL" in postgresql*) \
	  echo "== again on PostgreSQL ($$DATABASE_URL)"; \
	  AIDLEDGER_FUZZ_EXAMPLES=$(FUZZ_EXAMPLES) AIDLEDGER_FUZZ_COVERAGE=1 AIDLEDGER_TEST_DATABASE_URL="$$DATABASE_URL" \
	    $(BIN)/python -m pytest tests/app/test_api_fuzz.py ;; esac

## Benchmarks (ratios against a floor measured in the same run).
bench: install-test
	$(BIN)/python -m benchmarks

clean:
	rm -rf $(VENV) node_modules instance/*.sqlite3*

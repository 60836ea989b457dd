# The two set-up commands of the README: `make run` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin

.PHONY: run test test-sqlite test-postgres lint bench install clean

install: $(VENV)/.installed

# What running the product needs (no test tools).
$(VENV)/.installed-run: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $@

# Everything, test and lint tools included.
$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

run: $(VENV)/.installed-run
	bash scripts/run-dev.sh

test: install
	bash scripts/test-all.sh

test-sqlite: install
	$(BIN)/python -m pytest -n 2

test-postgres: install
	TEST_DATABASE_URL=$${TEST_POSTGRES_URL:?set TEST_POSTGRES_URL} $(BIN)/python -m pytest -n 2

lint: install
	$(BIN)/ruff check . && $(BIN)/ruff format --check .

bench: install
	$(BIN)/python -m tests.benchmarks $(BENCH_ARGS)

clean:
	rm -rf $(VENV) instance test-artifacts

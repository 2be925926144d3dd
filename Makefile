# The README's two commands: `make run` (the whole pipeline on generated data) and `make test`.
# Each creates .venv and installs the project on first use; later calls reuse it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PATIENTS ?= 1000
SEED ?= 42
ARGS ?=

.PHONY: run test unit lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/medallion validate $(ARGS)
	$(BIN)/medallion generate --patients $(PATIENTS) --seed $(SEED) $(ARGS)
	$(BIN)/medallion run $(ARGS)
	$(BIN)/medallion status $(ARGS)

test: $(STAMP) lint
	$(BIN)/python -m pytest -m "not spark" -q
	$(BIN)/python -m pytest -m "spark" -q -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check framework tests bench
	$(BIN)/mypy

bench: $(STAMP)
	$(BIN)/python -m bench.bronze --patients $(PATIENTS)

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache

# The two commands of the README. Each sets up what it needs in .venv first.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin

.PHONY: catalog test lint bench setup fuzz

$(BIN)/legalkpi: pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,chart]'
	touch $@

setup: $(BIN)/legalkpi

catalog: setup  ## build the catalogue of corpus/ into catalog/ (SQLite, JSON, CSV)
	$(BIN)/legalkpi build --corpus corpus --out catalog

test: lint  ## lint, type-check and run the tests (what CI runs via .ci/run)
	$(BIN)/python -m pytest

lint: setup
	$(BIN)/ruff check legalkpi parsers tests benchmarks scripts
	$(BIN)/mypy legalkpi parsers

bench: setup
	$(BIN)/python benchmarks/bench_extract.py

fuzz: setup  ## the long fuzz run (tens of thousands of inputs, 3 GB of memory at most); inputs that break legalkpi land in tests/fixtures/fuzz/
	ulimit -v 3000000; LEGALKPI_FUZZ=fuzz $(BIN)/python -m pytest tests/test_fuzz.py -q

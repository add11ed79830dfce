# Two entry points for people (see README): `make demo` and `make test`.
# Both create .venv and install exactly what the hash-pinned lock lists, then run.
# The locks are complete (uv pip compile): pip installs them with --no-deps, and `pip check`
# confirms every requirement is met. Resolving again made pip 23.2 reach for a newer
# smart-open than the lock's to satisfy weasel's `smart-open[http]`, and fail on hashes.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -ec
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint typecheck pytest lock clean bench baseline

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

$(STAMP): $(BIN)/python requirements-dev.lock pyproject.toml
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-dev.lock 2>&1 | { grep -v "^WARNING: Location" || true; }
	$(BIN)/python -m pip check
	$(BIN)/python -m pip install --quiet --no-deps --no-build-isolation -e .
	touch $(STAMP)

install: $(STAMP)

demo: $(STAMP)
	$(BIN)/osint demo

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

typecheck: $(STAMP)
	$(BIN)/mypy --strict osint spiders

pytest: $(STAMP)
	$(BIN)/pytest -q

test: lint typecheck pytest

bench: $(STAMP)
	$(BIN)/python benchmarks/run_all.py

# Regenerate the locks from pyproject.toml (hash-pinned, no index URLs).
lock:
	uv pip compile pyproject.toml --generate-hashes --no-emit-index-url --python-version 3.11 -o requirements.lock
	uv pip compile pyproject.toml --extra dev --generate-hashes --no-emit-index-url --python-version 3.11 -o requirements-dev.lock
	uv pip compile tools/baseline-requirements.in --generate-hashes --no-emit-index-url --python-version 3.11 -o requirements-baseline.lock

# nomenklatura (the baseline of `osint eval screen`) pins duckdb<2: it gets a venv of its own.
BASELINE := .venv-baseline
$(BASELINE)/.installed: requirements-baseline.lock
	$(PYTHON) -m venv $(BASELINE)
	$(BASELINE)/bin/python -m pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements-baseline.lock 2>&1 | { grep -v "^WARNING: Location" || true; }
	$(BASELINE)/bin/python -m pip check
	touch $@

baseline: $(BASELINE)/.installed

clean:
	rm -rf $(VENV) .mypy_cache .ruff_cache .pytest_cache

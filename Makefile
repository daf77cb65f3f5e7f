# UnionDesk — the two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
ifeq ($(OS),Windows_NT)
BIN := $(VENV)/Scripts
else
BIN := $(VENV)/bin
endif
PY    := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: venv run test bench package clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,build]"
	@touch $(STAMP)

venv: $(STAMP)

## run: create .venv if needed, install, start the app on the database in the user data dir
run: venv
	$(PY) -m ui

## test: create .venv if needed, install, run the whole suite headless
test: venv
	QT_QPA_PLATFORM=offscreen $(PY) -m pytest

## bench: every benchmark quoted in the README at its default size (slow; not part of the tests)
bench: venv
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

## package: the one-folder PyInstaller build for this platform (see README)
package: venv
	$(PY) packaging/build.py

clean:
	rm -rf build dist .pytest_cache

# UnionDesk — the two commands a newcomer needs: `make run` and `make test`.
# On Windows they run from Git for Windows' shell (Git Bash) with GNU make installed; the PowerShell
# equivalents are in docs/windows.md. There `python3` is the Microsoft Store stub, so the Python
# launcher picks the interpreter (override with `make test PYTHON=python`).
VENV   := .venv
ifeq ($(OS),Windows_NT)
PYTHON ?= py -3.11
BIN := $(VENV)/Scripts
else
PYTHON ?= python3
BIN := $(VENV)/bin
endif
PY    := $(BIN)/python
STAMP := $(VENV)/.installed

.PHONY: venv run test lint bench package clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[test,build]"
	@touch $(STAMP)

venv: $(STAMP)

## run: create .venv if needed, install, start the app on the database in the user data dir
run: venv
	$(PY) -m ui

## test: create .venv if needed, install, lint (ruff: pyflakes, import order, pyupgrade), then run
## the whole suite headless (an EncodingWarning from app/ or ui/ fails the test that caused it)
test: venv
	$(PY) -m ruff check .
	PYTHONWARNDEFAULTENCODING=1 QT_QPA_PLATFORM=offscreen $(PY) -m pytest

## lint: only the linter (`make test` runs it first)
lint: venv
	$(PY) -m ruff check .

## bench: every benchmark quoted in the README at its default size (slow; not part of the tests)
bench: venv
	@for b in benchmarks/bench_*.py; do echo "== $$b"; $(PY) $$b || exit 1; done

## package: the one-folder PyInstaller build for this platform (see README)
package: venv
	$(PY) packaging/build.py

clean:
	rm -rf build dist .pytest_cache

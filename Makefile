# Two commands set everything up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

# The browser tests use Debian's Chromium and a CJK font (never a downloaded browser).
BROWSER := /usr/bin/chromium
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

# A plain (non-editable) install in a venv of its own, run from outside the repository: the model,
# the sample corpus and the data files must come with the package.
PACKAGE_VENV := build/package-venv

# The other Pythons the package check runs on (`make pythons`): each as pythonX.Y when that runs,
# else pyenv's install of it; a version this machine lacks is skipped with a note, not failed.
OTHER_PYTHONS ?= 3.12 3.13
PYENV_VERSIONS := $(or $(PYENV_ROOT),$(HOME)/.pyenv)/versions

.PHONY: demo test lint format bench clean browser package-check pythons

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip

# constraints.txt holds the exact versions; pyproject.toml the ranges.
$(STAMP): $(BIN)/python pyproject.toml constraints.txt
	$(BIN)/pip install --quiet -c constraints.txt -e ".[dev,ocr]"
	touch $(STAMP)

demo: $(STAMP)
	$(BIN)/xxgk demo

browser:
	@test -x $(BROWSER) && fc-list :lang=zh | grep -q . || { \
	  $(SUDO) apt-get update -qq && \
	  $(SUDO) apt-get install -y -qq --no-install-recommends chromium fonts-noto-cjk >/dev/null; }

test: $(STAMP) browser
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/pytest
	$(MAKE) --no-print-directory package-check
	$(MAKE) --no-print-directory pythons

package-check:
	rm -rf $(PACKAGE_VENV)
	$(PYTHON) -m venv $(PACKAGE_VENV)
	$(PACKAGE_VENV)/bin/pip install --quiet --upgrade pip
	$(PACKAGE_VENV)/bin/pip install --quiet -c constraints.txt .
	cd "$$(mktemp -d)" && $(CURDIR)/$(PACKAGE_VENV)/bin/python $(CURDIR)/tests/package_smoke.py

pythons:
	@for version in $(OTHER_PYTHONS); do \
	  python=python$$version; \
	  $$python -c '' 2>/dev/null || \
	    python=$$(ls -d $(PYENV_VERSIONS)/$$version.*/bin/python$$version 2>/dev/null | sort -V | tail -1); \
	  if [ -n "$$python" ] && $$python -c '' 2>/dev/null; then \
	    echo "package check on $$($$python --version)"; \
	    $(MAKE) --no-print-directory package-check PYTHON=$$python \
	      PACKAGE_VENV=build/package-venv-$$version || exit 1; \
	  else \
	    echo "make pythons: no Python $$version on this machine; its package check is skipped"; \
	  fi; \
	done

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

bench: $(STAMP)
	for b in benchmarks/*.py; do $(BIN)/python $$b || exit 1; done

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache build *.egg-info

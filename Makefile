# One command checks everything: make check (CI runs it too, through .ci/run).
# Needs the test tools: the README's test command installs them (pip install -e '.[test]').
PY ?= .venv/bin/python
BIN := $(dir $(PY))
# The code checked is this checkout's, whichever checkout the virtualenv was installed from.
export PYTHONPATH := $(CURDIR)$(if $(PYTHONPATH),:$(PYTHONPATH))

.PHONY: check static lint types imports test
check: static test
static: lint types imports
lint:
	$(PY) -m ruff format --check speakcase tests bench
	$(PY) -m ruff check speakcase tests bench
types:
	$(PY) -m mypy
imports:
	$(BIN)lint-imports
test:
	$(PY) -m pytest

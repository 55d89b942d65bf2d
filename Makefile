# One command checks everything: make check
PY ?= .venv/bin/python

.PHONY: check lint test
check: lint test
lint:
	$(PY) -m ruff format --check speakcase tests bench
	$(PY) -m ruff check speakcase tests bench
test:
	$(PY) -m pytest

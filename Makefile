# The one test command (README): lint, types, layer contract, tests.
PY ?= python
.PHONY: test
test:
	$(PY) -m ruff check src tests benchmarks
	$(PY) -m mypy
	lint-imports
	$(PY) -m pytest -n 2 -q

# tinyarms-lint developer commands. `make demo` and `make test` are all a newcomer needs.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
FETCH_MODELS ?= ../shared/models/fetch-test-models
export CMAKE_BUILD_PARALLEL_LEVEL ?= 2

.PHONY: demo test test-static install install-llm install-dev lint bench clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

# static tier only: seconds to install, no model
install: $(BIN)/python
	$(BIN)/pip install -q -e .

# llama-cpp-python 0.3.36 built for this CPU: no native detection, no AMX, AVX-512 only where the CPU
# has it, never a cached wheel (compiles llama.cpp, ~5-8 min on 2 cores; skipped when installed)
install-llm: $(BIN)/python
	VENV=$(VENV) ./scripts/install-llama.sh

# everything the tests need, llama-cpp-python included
install-dev: install-llm
	$(BIN)/pip install -q -e '.[dev,llm]'

demo: install
	./scripts/demo.sh

test: install-dev
	./scripts/test.sh

test-static: install-dev
	$(BIN)/pytest -q -m "not llm"

lint: install-dev
	$(BIN)/ruff check tinyarms_lint tests
	$(BIN)/mypy tinyarms_lint

bench: install-dev
	$(BIN)/python bench/run_all.py

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache bench/.work

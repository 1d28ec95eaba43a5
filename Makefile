# Two commands on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: demo test lint install system-deps clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $(STAMP)

install: $(STAMP)

DEMO_DB ?= out/demo.db

demo: $(STAMP)
	$(BIN)/propscope analyze examples/
	rm -f $(DEMO_DB) $(DEMO_DB)-wal $(DEMO_DB)-shm
	$(BIN)/propscope import examples/ --db $(DEMO_DB)
	@echo "workbench: open http://127.0.0.1:8000/ (Ctrl-C stops the server)"
	$(BIN)/propscope serve --db $(DEMO_DB)

lint: $(STAMP)
	$(BIN)/ruff check src tests benchmarks experiments

# Browser tests drive Debian's chromium through chromium-driver; install them where we may
# (root, apt), else they skip.
system-deps:
	@if ! command -v chromium >/dev/null 2>&1 || ! command -v chromedriver >/dev/null 2>&1; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	      apt-get install -y -qq chromium chromium-driver >/dev/null; \
	  else echo "note: chromium or chromium-driver not installed; browser tests will be skipped"; fi; \
	fi

test: lint system-deps
	$(BIN)/python -m pytest

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache

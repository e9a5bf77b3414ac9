# The README's commands. Each installs what it needs on a fresh machine.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8501

.PHONY: run test lint bench bench-quick sample clean

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install -q --upgrade pip

$(VENV)/.app: $(BIN)/python pyproject.toml
	$(BIN)/python -m pip install -q -e .
	touch $@

$(VENV)/.test: $(VENV)/.app
	$(BIN)/python -m pip install -q -e '.[test]'
	touch $@

## run: start the app on the shipped sample book (BOOK=folder: every session opens on it)
# MALLOC_ARENA_MAX=2: sessions run in threads of their own, and glibc's per-thread heap
# arenas keep what they free; two arenas let a server's memory settle (README, sessions).
run: $(VENV)/.app
	$(if $(BOOK),ALMS_BOOK="$(abspath $(BOOK))") MALLOC_ARENA_MAX=2 $(BIN)/streamlit run app.py --server.port $(PORT)

## test: lint, then the whole suite (unit, property, AppTest, browser, engines)
test: $(VENV)/.test chromium engines
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/python -m pytest

# Debian's Chromium for the browser tests; browser downloads do not work here.
.PHONY: chromium
chromium:
	@command -v chromium >/dev/null 2>&1 || { \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	  else echo "chromium not installed: browser tests will skip (they may not skip in CI)"; fi; }

# The engines the suite starts for real: PostgreSQL (initdb, pg_ctl) and Java for Spark
# in local mode (PySpark comes from PyPI with `.[test]`).
.PHONY: engines
engines:
	@missing=""; \
	ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1 || missing="$$missing postgresql"; \
	command -v java >/dev/null 2>&1 || missing="$$missing openjdk-17-jre-headless"; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then \
	    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  elif command -v sudo >/dev/null 2>&1 && command -v apt-get >/dev/null 2>&1; then \
	    sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing >/dev/null; \
	  else echo "not installed:$$missing: engine tests will skip (they may not skip in CI)"; fi; fi

## bench: rerun benchmarks at full size (100k and 1M accounts), load, exports
bench: $(VENV)/.test
	$(BIN)/python -m benchmarks
	$(BIN)/python -m benchmarks.load
	$(BIN)/python -m benchmarks.exports

bench-quick: $(VENV)/.test
	$(BIN)/python -m benchmarks --quick

## sample: regenerate sample_data/ from its seed
sample: $(VENV)/.app
	$(BIN)/python -m alms.sample --out sample_data

clean:
	rm -rf $(VENV) .pytest_cache .ruff_cache .hypothesis

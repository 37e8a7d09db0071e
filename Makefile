# bilateral: the two commands of the quick start, and their helpers.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
OUT    ?= bilateral-explorer.html

.PHONY: run test check lint build venv clean readme

$(STAMP): pyproject.toml
	$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "bilateral needs Python 3.11 or newer")'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

venv: $(STAMP)

## make run: set up, build the graph, write the explorer page and print its path
run: $(STAMP)
	$(BIN)/bilateral build
	$(BIN)/bilateral render -o $(OUT)

## Tests run in one process per core (pytest-xdist: measured on 2 cores, make check 71 s -> 42 s,
## make test about 7 min -> 4 min 50 s); WORKERS=0 runs them in this process.
WORKERS ?= auto

## make test: set up with the test extras and run every test (no tests is a failure)
test: $(STAMP)
	$(BIN)/python -m pytest -q -n $(WORKERS) $(PYTEST_ARGS); rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$rc

## make lint: ruff (lint rules and format) and mypy, configured in pyproject.toml
## (mypy reads the package through a `bilateral` link to this directory: the editable
## install's import hook is invisible to it)
lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	mkdir -p $(VENV)/typing && ln -sfn ../.. $(VENV)/typing/bilateral
	MYPYPATH=$(VENV)/typing $(BIN)/mypy -p bilateral.graph -p bilateral.cli

## make check: the fast loop: lint, types, and the tests marked neither browser, remote nor slow.
## Budget: 60 s on the 2-core dev machine, tests 45 s of it (headroom for new tests).  Measured as
## `time make check` with `uptime` showing the load first (others share the cores); the five slowest
## tests are printed every run: mark one `slow` only where a faster unmarked test covers its behaviour.
check: lint
	$(BIN)/python -m pytest -q -n $(WORKERS) --durations=5 -m "not browser and not remote and not slow"; rc=$$?; \
	if [ $$rc -eq 5 ]; then echo "error: pytest collected no tests" >&2; exit 1; fi; exit $$rc

build: $(STAMP)
	$(BIN)/bilateral build

## make readme: regenerate README.md's command reference from the commands' help (tests/test_help.py checks it)
readme: $(STAMP)
	$(BIN)/python scripts/command_reference.py

clean:
	rm -rf $(VENV) *.egg-info build $(OUT)

## make bench: the benchmark suite (not a test; 30–45 minutes on 2 cores) → docs/benchmarks.md
## (BENCH_ARGS=--quick: 10k and 100k triples only, pages at 300 and 3,000 entities)
.PHONY: bench
bench: $(STAMP)
	$(BIN)/python bench/run.py $(BENCH_ARGS)

## make bench-events: only the coded-events part, with the 1,000,000 synthetic events (several minutes)
## → docs/benchmarks-events.md (docs/benchmarks.md keeps the whole suite)
.PHONY: bench-events
bench-events: $(STAMP)
	BENCH_EVENTS_1M=1 $(BIN)/python bench/run.py --only events --out docs/benchmarks-events.md $(BENCH_ARGS)

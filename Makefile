# Two commands on a fresh machine with Python 3.11+: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
export PYTHONDONTWRITEBYTECODE := 1

.PHONY: run test test-pg lint format bench demo clean lock

# requirements.txt states the compatible ranges; requirements.lock (constraints: the exact
# versions tested together) pins what is installed, so a fresh machine gets the same set.
$(VENV)/.runtime: requirements.txt requirements.lock
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -c requirements.lock -r requirements.txt
	touch $@

$(VENV)/.dev: requirements-dev.txt requirements.lock $(VENV)/.runtime
	$(PY) -m pip install --quiet -c requirements.lock -r requirements-dev.txt
	touch $@

## Regenerate requirements.lock from the venv after a dependency change (then `make test`).
lock: $(VENV)/.dev
	$(PY) -m pip install --quiet -r requirements-dev.txt
	{ echo "# Constraints: the exact versions tested together (pip install -c requirements.lock"; \
	  echo "# -r requirements-dev.txt). Regenerate with \`make lock\`: pip freeze of the venv."; \
	  $(PY) -m pip freeze --exclude-editable | LC_ALL=C sort -f; } > requirements.lock

## Serve the app at http://localhost:8501 (seeds the demo portfolio on first start).
run: $(VENV)/.runtime
	$(PY) -m streamlit run app.py --server.port 8501

# The PostgreSQL halves of the tests run on both backends (marker pg_twin) are left to
# `make test-pg`, which runs their DuckDB halves on PostgreSQL; PG_TWINS=1 keeps them in
# `make test` (a run that no `make test-pg` follows: .ci/run with PMO_CI_PG_SUITE=0).
PG_TWINS ?= 0
TWINS_MARK := $(if $(filter 1,$(PG_TWINS)),,-m "not pg_twin")

## Lint, type-check and run the whole test suite.
test: $(VENV)/.dev lint
	$(PY) -m pytest -n 2 --dist loadgroup $(TWINS_MARK)

## The whole suite with its store fixtures on PostgreSQL: PMO_DB_URL=postgresql://... make test-pg
## (each test's store a fresh schema of that database; .ci/run starts a throwaway server).
## The browser tests are left out: their served apps keep a store file of their own, so they
## would only run again what `make test` ran; so are the pg_twin halves: there they would
## be their DuckDB halves (on PostgreSQL already) a second time.
test-pg: $(VENV)/.dev
	@case "$$PMO_DB_URL" in postgres*) ;; *) echo "set PMO_DB_URL=postgresql://..."; exit 2;; esac
	PMO_TEST_PG_URL="$${PMO_TEST_PG_URL:-$$PMO_DB_URL}" $(PY) -m pytest -n 2 --dist loadgroup -m "not browser and not pg_twin"

lint: $(VENV)/.dev
	$(PY) -m ruff check .
	$(PY) -m ruff format --check .
	$(PY) -m mypy

format: $(VENV)/.dev
	$(PY) -m ruff format .
	$(PY) -m ruff check --fix .

## Regenerate the committed demo workbook (deterministic).
demo: $(VENV)/.runtime
	$(PY) -m pmo_core demo --out data/demo_portfolio.xlsx

## Benchmarks (DESIGN section 8); results go to bench/RESULTS.md.
bench: $(VENV)/.dev
	$(PY) bench/run_all.py

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache

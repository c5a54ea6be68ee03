# Shouye — two commands a newcomer needs: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test test-fast fuzz bench lint catalog vendor clean

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

## make run: install, migrate an SQLite database under var/, load the demo on first start, and run the web
## server, a Celery worker and Celery beat (embedded SQLite broker), and the readings' ingest with an embedded
## MQTT broker and the demo's simulated gateways (unless SHOUYE_MQTT_URL names a broker). Ctrl-C stops all of them.
run: $(STAMP)
	mkdir -p var
	$(BIN)/shouye up

## make test: install what the tests need (Chromium and CJK fonts from Debian when root) and run everything.
## Uses PostgreSQL when DATABASE_URL is set, SQLite otherwise.
test: $(STAMP)
	bash scripts/ensure-test-deps.sh
	$(BIN)/shouye compilecatalog >/dev/null
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 --dist loadgroup $(PYTEST_ARGS)

## make test-fast: everything but the browser tests.
test-fast: $(STAMP)
	$(BIN)/shouye compilecatalog >/dev/null
	$(BIN)/python -m pytest -p no:cacheprovider -n 2 -m "not browser" $(PYTEST_ARGS)

## make fuzz: schemathesis over the whole API as three roles, with many fresh examples (before a release; the
## same test runs with a few repeatable examples in make test). SHOUYE_FUZZ_EXAMPLES=… for more.
fuzz: $(STAMP)
	$(BIN)/shouye compilecatalog >/dev/null
	SHOUYE_FUZZ_EXAMPLES=$${SHOUYE_FUZZ_EXAMPLES:-100} SHOUYE_FUZZ_RANDOM=1 \
		$(BIN)/python -m pytest -p no:cacheprovider -n 2 -m fuzz $(PYTEST_ARGS)

## make bench: generate 100,000 enterprises and measure the list, then 1,000,000 hazards and measure the ledger,
## then an audited assign beside a 3,000-row import, then 20 users' mixed load for 5 minutes against gunicorn,
## PostgreSQL and Redis set up as the README's production example, then 2,000,000 special-operation permits and
## the bureau's live board (results in bench/results/).
bench: $(STAMP)
	$(BIN)/python bench/enterprise_list.py
	$(BIN)/python bench/hazard_ledger.py
	$(BIN)/python bench/audit_under_import.py
	$(BIN)/python bench/mixed_load.py
	$(BIN)/python bench/risk_liveness.py
	$(BIN)/python bench/risk_list.py
	$(BIN)/python bench/risk_task_generation.py
	$(BIN)/python bench/major_hazards.py
	$(BIN)/python bench/permits.py
	$(BIN)/python bench/incident_page.py
	$(BIN)/python bench/resources_nearest.py

lint: $(STAMP)
	$(BIN)/ruff check .

catalog: $(STAMP)
	$(BIN)/shouye makecatalog

## make vendor: fetch Bootstrap, htmx, ECharts and Leaflet from npm into shouye/static/vendor/ (scripts/vendor.sh).
vendor:
	bash scripts/vendor.sh

clean:
	rm -rf var .pytest_cache

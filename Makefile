# The two commands of the README: `make run` and `make test`. Each sets everything up first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
DEMO_HOUSEHOLDS ?= 20000
PYTEST_ARGS ?=

.PHONY: install run serve test lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e ".[dev]"
	touch $(STAMP)

install: $(STAMP)

## make run: create var/ansinh.db if missing, load the demo province if empty (with its benefit
## decisions and two earlier years of questionnaires), review 2023-2025 (flows between years),
## draft the households' exit plans, load the monitoring examples (plans, disbursements, NTM, targets) if none
## are held, report, prepare this month's payrolls (an approved one is left as it is), then print
## a demo login for each role and serve the web application on http://127.0.0.1:8000.
run: install
	$(BIN)/ansinh init
	$(BIN)/ansinh synth --province 15 --households $(DEMO_HOUSEHOLDS) --seed 1 --history 2 --if-empty
	@# A registry loaded before --history has no 2023-2024 questionnaires: those steps say so.
	-$(BIN)/ansinh review --year 2023
	-$(BIN)/ansinh review --year 2024
	-$(BIN)/ansinh plans draft --year 2024
	$(BIN)/ansinh review --year 2025
	$(BIN)/ansinh plans draft --year 2025
	$(BIN)/ansinh monitoring demo --within 15 --if-empty
	$(BIN)/ansinh report poverty --unit 15 --level commune
	$(BIN)/ansinh benefits payroll prepare --month $$(date +%Y-%m) --unit 15
	$(BIN)/ansinh demo-users --province 15
	$(BIN)/ansinh serve --host 127.0.0.1 --port 8000

lint: install
	$(BIN)/ruff check src tests bench
	$(BIN)/ruff format --check src tests bench
	$(BIN)/mypy src

## make test: lint, types, then the whole suite on SQLite and PostgreSQL.
test: lint
	$(BIN)/python -m pytest -n 2 $(PYTEST_ARGS); status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: failing"; exit 1; fi; \
	exit $$status

## make bench: the scale benchmarks (1,000,000 households); figures go to docs/benchmarks.md.
bench: install
	$(BIN)/python -m pip install --quiet -e ".[dev,bench]"
	$(BIN)/python bench/foundation.py --households 1000000
	$(BIN)/python bench/linkage/run.py
	$(BIN)/python bench/benefits.py --beneficiaries 1000000

clean:
	rm -rf $(VENV) var .pytest_cache .mypy_cache .ruff_cache

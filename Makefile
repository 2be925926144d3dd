# The README's two commands: `make run` (the whole pipeline on generated data) and `make test`.
# Each creates .venv and installs the project on first use; later calls reuse it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
PATIENTS ?= 1000
SEED ?= 42
ARGS ?=

.PHONY: run test unit lint bench clean

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $(STAMP)

# Two deliveries: the history, then ~5% new data with re-sent dimensions (an incremental run).
run: $(STAMP)
	$(BIN)/medallion validate $(ARGS)
	$(BIN)/medallion generate --patients $(PATIENTS) --seed $(SEED) --deliveries 2 --delivery 1 $(ARGS)
	$(BIN)/medallion run $(ARGS)
	$(BIN)/medallion generate --patients $(PATIENTS) --seed $(SEED) --deliveries 2 --delivery 2 $(ARGS)
	$(BIN)/medallion run $(ARGS)
	$(BIN)/medallion status $(ARGS)
	$(BIN)/medallion sql $(ARGS) \
	  "SELECT year, month, sum(member_months) AS members, round(sum(total_cost) / sum(member_months), 2) AS pmpm FROM member_monthly_snapshot_gold GROUP BY year, month ORDER BY year DESC, month DESC LIMIT 12" \
	  "SELECT provider_specialty, count(*) AS lines, sum(payment_amount) AS paid FROM claims_silver WHERE transaction_type = 'PAYMENT' GROUP BY provider_specialty ORDER BY paid DESC LIMIT 10" \
	  "SELECT encounter_class, count(*) AS encounters, round(avg(total_claim_cost), 2) AS avg_cost FROM patient_encounters_silver GROUP BY encounter_class ORDER BY encounters DESC"

test: $(STAMP) lint
	$(BIN)/python -m pytest -m "not spark" -q
	$(BIN)/python -m pytest -m "spark" -q -n 2 --dist loadfile

lint: $(STAMP)
	$(BIN)/ruff check framework tests bench
	$(BIN)/mypy

# The whole pipeline at each size (see BENCHMARKS.md); about 45 minutes on 2 cores for the default sizes.
BENCH_PATIENTS ?= 100 1000 10000
BENCH_ARGS ?=
bench: $(STAMP)
	$(BIN)/python -m bench.scale --patients $(BENCH_PATIENTS) $(BENCH_ARGS)

clean:
	rm -rf data .pytest_cache .mypy_cache .ruff_cache

# The README's two commands: `make run` (the whole pipeline on generated data) and `make test`.
# Each creates .venv and installs the project on first use; later calls reuse it.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed-stamp
# The compatibility tier: the pyspark and delta-spark of the Databricks runtime the bundle deploys
# to (framework/runtimes.json), the project installed beside them.
COMPAT_VENV ?= .venv-compat
COMPAT_STAMP := $(COMPAT_VENV)/.installed-stamp
PATIENTS ?= 1000
SEED ?= 42
ARGS ?=

.PHONY: run test unit lint compat bench clean browser

$(STAMP): pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@# Delta's jars and the JVM's class archive (framework/engine/prepare.py): sessions start without the
	@# archive too, so its failure is a warning here (tests/engine/test_prepare.py fails on it)
	$(BIN)/python -m framework.engine.prepare || echo "make: no JVM class archive; local sessions start ~5 s slower"
	touch $(STAMP)

$(COMPAT_STAMP): pyproject.toml framework/runtimes.json framework/runtimes.py
	$(PYTHON) -m venv $(COMPAT_VENV)
	$(COMPAT_VENV)/bin/python -m pip install --quiet --upgrade pip
	$(PYTHON) -m framework.runtimes requirements > $(COMPAT_VENV)/requirements.txt
	$(COMPAT_VENV)/bin/python -m pip install --quiet -e . -r $(COMPAT_VENV)/requirements.txt
	touch $(COMPAT_STAMP)

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

# Unit tier, Spark tier, the Synthea tier (real Synthea exports of every release, end to end: the
# longest runs, kept apart so that the first two tiers' time says what a change costs), then the
# compatibility tier (the pipeline on the deployed runtime's versions, classic and through Spark Connect).
# --durations=15: every tier prints its 15 slowest tests, so that CI shows where its time goes; the Spark
# tier is verbose (-v: a line per test as it ends, so a log cut short still names what failed). The unit
# tier runs on two workers too: its Python is CPU-bound (44 -> 30 s on this 2-core machine, 2026-12-06).
# WORKERS: one pytest worker per core; tests that share a module fixture run on one worker (xdist_group)
WORKERS = -n 2 --dist loadgroup
UNIT_TIER = -q $(WORKERS) --durations=15
SPARK_TIER = -v $(WORKERS) --no-loadscope-reorder --durations=15
COMPAT_TIER = MEDALLION_REQUIRE_COMPAT=1 $(BIN)/python -m pytest -m compat -q --durations=15

test: $(STAMP) $(COMPAT_STAMP) browser lint
	$(BIN)/python -m pytest -m "not spark and not compat and not synthea" $(UNIT_TIER)
	$(BIN)/python -m pytest -m "spark and not compat and not synthea" $(SPARK_TIER)
	$(BIN)/python -m pytest -m "synthea" $(SPARK_TIER)
	$(COMPAT_TIER)

# The page tests (tests/site) drive Debian's chromium headless through Playwright; CI runs as root.
browser:
	@command -v chromium >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium; }

compat: $(STAMP) $(COMPAT_STAMP)
	$(COMPAT_TIER)

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

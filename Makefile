# Two commands for a new user: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
STAMP := $(VENV)/.installed
# Every dependency, pinned with hashes; `make lock` writes it from pyproject.toml.
LOCK := requirements.lock
UV_VERSION := 0.13.8
UV := var/uv/bin/uv

.PHONY: typecheck run test fuzz lint format messages makemessages check worker faults bench bench-quick clean krds lock

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

# Exactly the locked versions, then the project itself without resolving anything;
# `pip check` stops an install whose lock misses what pyproject.toml asks for.
$(STAMP): $(LOCK) pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --require-hashes -r $(LOCK)
	$(PY) -m pip install --quiet --no-deps -e .
	@$(PY) -m pip check >/dev/null || { $(PY) -m pip check; \
	  echo "$(LOCK) does not fit pyproject.toml: run 'make lock' and commit both"; exit 1; }
	@touch $(STAMP)

install: $(STAMP) messages

# Compiles every .po catalogue to .mo with polib (pure Python, so no gettext needed).
messages: $(STAMP)
	@$(PY) -m core.compilemessages

# The task worker runs beside the server, under a restart loop (it reconnects
# by itself after database errors; the loop catches anything else), and stops
# with the server (Ctrl-C).
SUPERVISED_WORKER = trap 'kill $$child 2>/dev/null; exit 0' INT TERM; \
	while :; do $(PY) manage.py task_worker & child=$$!; wait $$child; \
	echo "task worker exited; restarting in 2 s" >&2; sleep 2; done

# Links in e-mails point at the running site: SITE_URL follows PORT unless set.
run: export SITE_URL ?= http://127.0.0.1:$(PORT)
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	@( $(SUPERVISED_WORKER) ) & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.dev} MALLOC_ARENA_MAX=2 \
	  $(BIN)/uvicorn config.asgi:application --host 127.0.0.1 --port $(PORT) --lifespan off --no-proxy-headers \
	    --ws-per-message-deflate false

# On every core (pytest-xdist: one test database, Redis database and browser per
# worker); `make test TEST_WORKERS=0` runs in one process (a debugger, -x).
TEST_WORKERS ?= auto
test: install
	$(PY) -m pytest -n $(TEST_WORKERS) $(PYTEST_ARGS)

# schemathesis over the OpenAPI document, as anonymous and as each role: any 5xx
# or an answer outside its declared schema fails (issue 17). Bounded by
# HRC_FUZZ_EXAMPLES per operation and role (default 15).
fuzz: install
	HRC_FUZZ=1 $(PY) -m pytest -m fuzz tests/hardening/test_fuzz_api.py $(PYTEST_ARGS)

lint: $(STAMP) typecheck
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Services and selectors carry type hints, and so do the compiled hot reads;
# mypy with django-stubs checks them.
typecheck: $(STAMP)
	$(BIN)/mypy */services.py */selectors.py core/precompiled.py core/sessions.py accounts/backends.py

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Re-extracts translatable strings into each app's catalogue (needs GNU gettext).
makemessages: $(STAMP)
	@$(PY) -m core.makemessages

# The background task worker (e-mails, notifications in batches), supervised.
worker: install
	@$(SUPERVISED_WORKER)

# Fault drills (tests/faults), each printing its figures: Redis on a closed
# port, a killed worker connection, stuck tasks, every task run twice, a backup
# restored (these also run in `make test`; the PostgreSQL ones need
# DATABASE_URL), and a private PostgreSQL restarted and stopped under requests
# (only here: it starts its own server on a free port under /tmp).
FAULTS_TESTS ?= tests/faults
faults: install
	HRC_FAULTS=1 $(PY) -m pytest $(FAULTS_TESTS) -s -q $(PYTEST_ARGS)

clean:
	rm -rf $(VENV) var

# Re-writes the lock from pyproject.toml's ranges for Python 3.11+ on any platform.
# Pins already in the lock are kept while they still fit, so adding a dependency
# pins only it and what it needs. `make lock UPGRADE=1` moves everything to the
# newest allowed versions, `make lock UPGRADE=redis` (or "redis uvicorn") just those.
# uv lives in var/, outside the project's virtualenv, so `pip freeze` equals the lock.
$(UV): | $(PY)
	$(PY) -m pip install --quiet --target var/uv "uv==$(UV_VERSION)"

lock: $(UV)
	$(UV) pip compile pyproject.toml --extra dev --universal --python-version 3.11 \
	  --generate-hashes --custom-compile-command "make lock" --quiet --output-file $(LOCK) \
	  $(if $(filter 1,$(UPGRADE)),--upgrade,$(foreach p,$(UPGRADE),--upgrade-package $(p)))

# Benchmarks (docs/benchmarks.md): the workloads through uvicorn on SQLite and on
# PostgreSQL (127.0.0.1:5432, database hrc_bench, created and dropped) + Redis
# (127.0.0.1:6379/5), then the scale series on a second database (hrc_bench_scale).
# Writes docs/benchmarks.md and bench/results.json. BENCH_ARGS="--only scale",
# "--only main" or "--only w3,w4" runs one part and writes nothing.
bench: install
	$(PY) -m bench $(BENCH_ARGS)

bench-quick: install
	$(PY) -m bench --quick $(BENCH_ARGS)

# Maintainers only (never part of `make run`): refresh static/vendor/krds from the
# pinned KRDS package (npm pack needs the npm registry). Commit the result.
KRDS_VERSION := 1.1.0
krds:
	@tmp=$$(mktemp -d); trap 'rm -rf $$tmp' EXIT; \
	npm pack --silent --pack-destination $$tmp krds-uiux@$(KRDS_VERSION) >/dev/null && \
	$(PYTHON) scripts/krds_vendor.py $$tmp/krds-uiux-$(KRDS_VERSION).tgz

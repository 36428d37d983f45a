# Two commands for a new user: `make run` and `make test`. Everything else is optional.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
PORT ?= 8000
STAMP := $(VENV)/.installed

.PHONY: run test fuzz lint format messages makemessages check worker bench bench-quick clean

$(PY):
	@$(PYTHON) -c 'import sys; sys.exit("Python 3.11 or newer is needed (found %s)" % sys.version.split()[0]) if sys.version_info < (3, 11) else None'
	$(PYTHON) -m venv $(VENV)

$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -e ".[dev]"
	@touch $(STAMP)

install: $(STAMP) messages

# Compiles every .po catalogue to .mo with polib (pure Python, so no gettext needed).
messages: $(STAMP)
	@$(PY) -m core.compilemessages

# The task worker runs beside the server and stops with it (Ctrl-C).
run: install
	$(PY) manage.py migrate --noinput
	$(PY) manage.py createcachetable
	$(PY) manage.py seed_demo
	@$(PY) manage.py db_worker --queue-name '*' --no-reload & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	DJANGO_SETTINGS_MODULE=$${DJANGO_SETTINGS_MODULE:-config.settings.dev} \
	  $(BIN)/uvicorn config.asgi:application --host 127.0.0.1 --port $(PORT) --lifespan off

test: install
	$(PY) -m pytest $(PYTEST_ARGS)

# schemathesis over the OpenAPI document, as anonymous and as each role: any 5xx
# or an answer outside its declared schema fails (issue 17). Bounded by
# HRC_FUZZ_EXAMPLES per operation and role (default 15).
fuzz: install
	HRC_FUZZ=1 $(PY) -m pytest -m fuzz tests/hardening/test_fuzz_api.py $(PYTEST_ARGS)

lint: $(STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: $(STAMP)
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

check: install
	$(PY) manage.py check
	$(PY) manage.py makemigrations --check --dry-run

# Re-extracts translatable strings into each app's catalogue (needs GNU gettext).
makemessages: $(STAMP)
	@$(PY) -m core.makemessages

# The background task worker (e-mails, notifications in batches).
worker: install
	$(PY) manage.py db_worker --queue-name '*'

clean:
	rm -rf $(VENV) var

# Benchmarks (docs/benchmarks.md): the workloads through uvicorn on SQLite and on
# PostgreSQL (127.0.0.1:5432, database hrc_bench, created and dropped) + Redis
# (127.0.0.1:6379/5). Writes docs/benchmarks.md and bench/results.json.
bench: install
	$(PY) -m bench $(BENCH_ARGS)

bench-quick: install
	$(PY) -m bench --quick $(BENCH_ARGS)

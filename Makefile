# The two commands a newcomer needs:
#   make run   - the app with demo data on SQLite at http://127.0.0.1:8000
#   make test  - the whole test suite (PostgreSQL when DATABASE_URL is set)

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check lock install assets lint format migrate demo check-compose clean help

help:
	@echo "make run    - install, migrate, load demo data and serve on http://$(HOST):$(PORT)"
	@echo "make test   - install and run the whole test suite"
	@echo "make lint   - ruff lint and format check"
	@echo "make check  - security checks: bandit on the code, pip-audit on requirements.lock"
	@echo "make lock   - pin every dependency again in requirements.lock (after editing pyproject.toml)"

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)

# Reinstall only when the dependencies change; the versions are the locked ones.
$(VENV)/.installed: pyproject.toml requirements.lock | $(BIN)/python
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c requirements.lock -e '.[dev]'
	touch $@

install: $(VENV)/.installed

# GOV.UK Frontend, pinned in package-lock.json, built into static/govuk/.
static/govuk/.built: package.json package-lock.json $(wildcard static/src/*.scss)
	npm ci --no-audit --no-fund --loglevel=error
	npm run --silent build
	touch $@

assets: static/govuk/.built

migrate: install
	$(BIN)/python manage.py migrate --noinput

run: export DEBUG ?= true
run: install assets
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo ""
	@echo "Improvement Tracker: http://$(HOST):$(PORT)/  (demo sign-in details in README.md)"
	$(BIN)/python manage.py runserver $(HOST):$(PORT)

test: install assets check lint
	$(BIN)/python manage.py makemigrations --check --dry-run --settings=config.settings.test
	$(BIN)/pytest $(PYTEST_ARGS)

# Security checks, also run by `make test`: bandit on our code (configured in
# pyproject.toml), pip-audit on the pinned dependencies. pip-audit fails on a known
# vulnerability; when PyPI's vulnerability data cannot be reached it warns instead.
check: install
	$(BIN)/bandit -c pyproject.toml -r councils inspections actions config -q
	$(BIN)/python scripts/audit_dependencies.py

# The exact versions `make check` audits, dev tools included.
lock: install
	$(BIN)/pip-compile --quiet --extra=dev --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.lock pyproject.toml

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules static/govuk staticfiles db.sqlite3

# The two commands a newcomer needs:
#   make run   - the app with demo data on SQLite at http://127.0.0.1:8000
#   make test  - the whole test suite (PostgreSQL when DATABASE_URL is set)

PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: run test check lock install assets lint format migrate demo check-compose clean help mutation

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
	$(BIN)/python manage.py take_snapshots
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
	$(BIN)/bandit -c pyproject.toml -r councils inspections actions boards reminders team config -q
	$(BIN)/python scripts/audit_dependencies.py

# The exact versions `make check` audits, dev tools included.
lock: install
	$(BIN)/pip-compile --quiet --extra=dev --strip-extras --no-emit-index-url \
		--no-emit-find-links -o requirements.lock pyproject.toml

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

# Mutation testing with cosmic-ray (docs/testing.md): each module's config in mutation/
# names the module and the tests that cover it. It runs in a copy of the project under
# .mutation/ (cosmic-ray edits the file it mutates), one module at a time, then prints
# each module's score and every surviving mutant. About an hour on two cores; choose
# modules with e.g. `make mutation MUTATION_MODULES="rag roles"`.
MUTATION_MODULES ?= services rag selectors exports validators roles current
mutation: install
	rm -rf .mutation/tree && mkdir -p .mutation/tree
	rsync -a --exclude=/.git --exclude=/.venv --exclude=/node_modules --exclude=/.mutation \
		--exclude=__pycache__ --exclude=/media --exclude=/screenshots --exclude=/db.sqlite3 \
		./ .mutation/tree/
	set -e; export PATH="$(CURDIR)/$(BIN):$$PATH" PYTHONDONTWRITEBYTECODE=1; cd .mutation/tree; \
	for module in $(MUTATION_MODULES); do \
		config=../../mutation/$$module.toml session=../$$module.sqlite; \
		echo "== $$module: baseline (the tests pass on the unmutated code)"; \
		cosmic-ray baseline $$config; \
		rm -f $$session; cosmic-ray init $$config $$session; \
		cr-filter-operators $$session $$config; \
		python ../../mutation/filter_session.py $$session $$config; \
		echo "== $$module: $$(git -C ../.. rev-parse --short HEAD), $$(date)"; \
		cosmic-ray exec $$config $$session; \
	done; \
	python ../../mutation/score.py $(foreach m,$(MUTATION_MODULES),../$(m).sqlite)

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules static/govuk staticfiles db.sqlite3

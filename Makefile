# Council Tracker: `make demo` runs the app with the demo council; `make test` runs the tests.
SHELL := /bin/bash
VENV := .venv
BIN := $(VENV)/bin
# The first Python >= 3.12 on the PATH (pyenv picks 3.12 through .python-version).
PYTHON ?= $(shell for p in python3.12 python3.13 python3 python; do \
	command -v $$p >/dev/null 2>&1 && $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null \
	&& { command -v $$p; break; }; done)
HOST ?= 127.0.0.1
PORT ?= 8000

.PHONY: demo test install lint format migrations-check deploy-check schema schema-check clean

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (see .python-version)"; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $@

# The translations (council/locale/*/LC_MESSAGES/django.po) are compiled here, never committed.
install: $(BIN)/.installed
	$(BIN)/python manage.py compilemessages --ignore=.venv

demo: install
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	@echo "Council Tracker: http://$(HOST):$(PORT)/  (administration: http://$(HOST):$(PORT)/admin/)"
	$(BIN)/python manage.py runserver --noreload $(HOST):$(PORT)

# Two processes (this machine has 2 cores); tests sharing Redis stay on one (xdist_group).
TEST_JOBS ?= 2
test: install
	$(BIN)/pytest -n $(TEST_JOBS) --dist loadgroup $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: install
	$(BIN)/python manage.py makemigrations --check --dry-run

# The production settings must pass Django's deployment checklist.
deploy-check: install
	DJANGO_ENV=production SECRET_KEY=ci-only-$$RANDOM$$RANDOM-not-a-real-secret-key-0123456789abcdef \
	ALLOWED_HOSTS=council.example.org SITE_URL=https://council.example.org SMTP_HOST=smtp.example.org \
	$(BIN)/python manage.py check --deploy --fail-level WARNING

# The API's OpenAPI schema is committed: clients read it from the repository, and a change
# to the API shows in review as a change to this file.
SCHEMA := council/api/openapi.yaml
SPECTACULAR := $(BIN)/python manage.py spectacular --lang en --validate --fail-on-warn
schema: install
	$(SPECTACULAR) --file $(SCHEMA)

schema-check: install
	@$(SPECTACULAR) --file $(VENV)/openapi.yaml
	@diff -u $(SCHEMA) $(VENV)/openapi.yaml \
		|| { echo "The API changed but $(SCHEMA) did not: run make schema and commit it."; exit 1; }

clean:
	rm -rf $(VENV) db.sqlite3 media staticfiles

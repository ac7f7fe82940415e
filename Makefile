# The two commands of README.md: `make run` and `make test`.
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
FLASK := IMA_ENV=development $(BIN)/flask --app app

.PHONY: run test install messages translations clean

$(VENV)/.installed: requirements.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.installed-test: requirements-test.txt $(VENV)/.installed
	$(BIN)/python -m pip install --quiet -r requirements-test.txt
	touch $@

install: $(VENV)/.installed

## Serve the portal on http://127.0.0.1:5000 with SQLite and the demo data, and its job
## worker (exports, mail) in the background, stopped when the server stops.
run: $(VENV)/.installed translations
	$(FLASK) db upgrade
	$(FLASK) seed-demo --if-empty
	IMA_ENV=development $(BIN)/huey_consumer ima_portal.jobs.huey & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT; \
	trap 'exit 130' INT TERM; \
	$(FLASK) run --host 127.0.0.1 --port 5000

## Check the import contracts (.importlinter), then run the whole test suite in parallel,
## one pytest-xdist worker per core (TEST_WORKERS=0: in one process). Browser tests need
## /usr/bin/chromium; PostgreSQL tests need TEST_DATABASE_URL (each worker uses a database
## of its own beside it: the role needs CREATEDB). .ci/run provides both.
TEST_WORKERS ?= auto
test: $(VENV)/.installed-test translations
	$(BIN)/lint-imports
	$(BIN)/python -m pytest -n $(TEST_WORKERS)

## Compile the catalogues (ima_portal/translations/<lang>/LC_MESSAGES/messages.po) into the
## .mo files Flask-Babel reads (not kept in git).
translations: $(VENV)/.installed
	@if ls ima_portal/translations/*/LC_MESSAGES/messages.po >/dev/null 2>&1; then \
	  $(BIN)/pybabel -q compile -d ima_portal/translations; fi

## Extract every marked interface string into the translation template.
messages: $(VENV)/.installed
	$(BIN)/pybabel extract -F babel.cfg -k _l -k N_ -k NP_:1,2 -o ima_portal/translations/messages.pot .

clean:
	rm -rf $(VENV) .pytest_cache

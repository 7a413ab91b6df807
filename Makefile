# Symposia: `make run` serves the demo conference, `make test` runs the whole suite.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
export PORT
# Links in mail point at the server `make run` starts, whatever its port.
run dev: export SITE_URL ?= http://127.0.0.1:$(PORT)

.PHONY: run dev test test-postgres lint format bench install demo clean

$(VENV)/.installed: pyproject.toml constraints.txt
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || \
		{ echo "Symposia needs Python 3.11 or newer (set PYTHON=python3.x)"; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -c constraints.txt -e '.[test]'
	touch $@

install: $(VENV)/.installed

## run: migrate, load the demo event from examples/mathml2020 and serve it at http://127.0.0.1:$(PORT),
## with the background worker that sends mail (to var/sent-mail/ unless EMAIL_HOST is set)
run: install
	HTTPS=false $(BIN)/symposia setup-demo
	HTTPS=false $(BIN)/symposia serve --port $(PORT) --with-worker

## dev: Django's autoreloading development server with DEBUG on
dev: install
	DEBUG=true $(BIN)/symposia setup-demo
	DEBUG=true $(BIN)/symposia runserver 127.0.0.1:$(PORT)

## test: the whole suite, browser tests included (installs Debian's chromium when missing)
test: install
	@sh scripts/ensure-chromium
	$(BIN)/pytest $(PYTEST_ARGS)

## test-postgres: the suite against PostgreSQL at 127.0.0.1:5432 (database test)
test-postgres: install
	@sh scripts/ensure-chromium
	DATABASE_URL=$${DATABASE_URL:-postgres://postgres@127.0.0.1:5432/test} $(BIN)/pytest $(PYTEST_ARGS)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

format: install
	$(BIN)/ruff format src tests benchmarks
	$(BIN)/ruff check --fix src tests benchmarks

bench: install
	$(BIN)/python benchmarks/assignment.py --submissions 1000 --reviewers 1000
	$(BIN)/python benchmarks/book.py --abstracts 1000
	$(BIN)/python benchmarks/static_export.py --contributions 1000

clean:
	rm -rf $(VENV) var

# Rochdale: `make run` starts everything with demo data; `make test` runs every test.
# Both install what they need first (a virtualenv with the Python packages, the
# GOV.UK Frontend assets, and for the tests Debian's chromium).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
GOVUK := node_modules/govuk-frontend/dist/govuk
PYTEST_WORKERS ?= 2
# Extra arguments: `make run RUN_ARGS="--port 8000"`, `make test PYTEST_ARGS="tests/cli -x"`.
RUN_ARGS ?=
PYTEST_ARGS ?=
# Debian package installs are attempted only as root (CI, containers); elsewhere we say what is missing.
APT_INSTALL := DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends

.PHONY: install python-deps assets translations update-translations node run test lint format browser pdftools clean bench soak wrk

install: python-deps assets translations

# Compiled catalogues (.mo) are build output; the .po sources are committed.
translations: python-deps
	$(BIN)/pybabel compile --use-fuzzy -d app/translations -f

# Re-extract every marked string and merge it into each language's catalogue.
update-translations: python-deps
	$(BIN)/pybabel extract -F babel.cfg -k lazy_gettext -k _l -k stored_gettext -k stored_ngettext:1,2 -o app/translations/messages.pot .
	$(BIN)/pybabel update --no-fuzzy-matching -i app/translations/messages.pot -d app/translations

python-deps: $(VENV)/.installed

$(VENV)/.installed: pyproject.toml
	@$(PYTHON) -c 'import sys; sys.exit(sys.version_info < (3, 11))' || { \
		echo "Rochdale needs Python 3.11 or newer; set PYTHON=python3.11 (or newer)."; exit 1; }
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV) 2>/dev/null || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's python3-venv"; \
			(apt-get update -qq || true) && $(APT_INSTALL) python3-venv >/dev/null && $(PYTHON) -m venv $(VENV); \
		else echo "Cannot create a virtualenv: install your system's python3-venv package."; exit 1; fi; }
	$(BIN)/python -m pip install --upgrade pip
	$(BIN)/python -m pip install -e '.[test]'
	touch $@

node:
	@command -v npm >/dev/null 2>&1 || { \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			echo "Installing Debian's nodejs and npm for the GOV.UK Frontend assets"; \
			(apt-get update -qq || true) && $(APT_INSTALL) nodejs npm >/dev/null; \
		else echo "The GOV.UK Frontend assets need Node.js and npm: please install them."; exit 1; fi; }

node_modules/.installed: package.json package-lock.json
	@$(MAKE) --no-print-directory node
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

assets: app/static/build/rochdale.css app/static/govuk/govuk-frontend.min.js

app/static/govuk/govuk-frontend.min.js: node_modules/.installed
	mkdir -p app/static/govuk
	cp $(GOVUK)/govuk-frontend.min.js app/static/govuk/
	rm -rf app/static/govuk/assets && cp -r $(GOVUK)/assets app/static/govuk/assets

app/static/build/rochdale.css: node_modules/.installed app/assets/rochdale.scss
	mkdir -p app/static/build
	npx sass --load-path=node_modules --no-source-map --style=compressed --quiet-deps \
		app/assets/rochdale.scss app/static/build/rochdale.css

browser:
	@command -v chromium >/dev/null 2>&1 || { \
		echo "Installing Debian's chromium for the browser tests"; \
		(apt-get update -qq || true) && $(APT_INSTALL) chromium >/dev/null; }

# The letters tests render a PDF page and read its QR code as a phone would.
pdftools:
	@command -v pdftoppm >/dev/null 2>&1 && command -v zbarimg >/dev/null 2>&1 || { \
		echo "Installing Debian's poppler-utils and zbar-tools for the letters tests"; \
		(apt-get update -qq || true) && $(APT_INSTALL) poppler-utils zbar-tools >/dev/null; }

# Embedded PostgreSQL and Valkey under instance/ unless DATABASE_URL / REDIS_URL
# are set; demo data on first start; Ctrl-C stops everything.
run: install
	$(BIN)/rochdale run $(RUN_ARGS)

# TEST_DATABASE_URL / TEST_REDIS_URL name CI's servers; without them the tests
# start embedded ones. Exit status 5 (no tests collected) fails like any other.
test: install browser pdftools
	@status=0; $(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup $(PYTEST_ARGS) || status=$$?; \
	if [ $$status -eq 5 ]; then echo "pytest collected no tests: that is a failure."; fi; \
	exit $$status

# Benchmarks and the soak: each runs ours and its reference side by side and prints the ratio; copy the
# figures into bench/RESULTS.md with the command. They need a PostgreSQL superuser URL in
# BENCH_DATABASE_URL (or TEST_DATABASE_URL) and Redis in BENCH_REDIS_URL (or TEST_REDIS_URL).
BENCH_PY := $(BIN)/python
bench: install wrk
	$(BIN)/python -m pip install -q -e '.[test,bench]'
	$(BENCH_PY) bench/bench_stv.py
	$(BENCH_PY) bench/bench_pb.py
	$(BENCH_PY) bench/bench_count_job.py
	$(BENCH_PY) bench/bench_register_import.py
	$(BENCH_PY) bench/bench_letters.py
	$(BENCH_PY) bench/bench_web_vote.py

# About 25 minutes: a 500-vote burst, 20 votes/s for 10 minutes, 2,000 sign-ins in 10 minutes.
soak: install
	$(BENCH_PY) bench/bench_soak.py

wrk:
	@command -v wrk >/dev/null 2>&1 || { \
		echo "Installing Debian's wrk for the web benchmark"; \
		(apt-get update -qq || true) && $(APT_INSTALL) wrk >/dev/null; }

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf app/static/govuk app/static/build node_modules/.installed

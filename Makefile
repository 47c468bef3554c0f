# Two commands do everything: `make demo` and `make test`. Both set up ./.venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
export XLING_CACHE_DIR ?= $(CURDIR)/.cache/xling
export HF_HUB_OFFLINE ?= 1

.PHONY: setup demo test test-fast bench dashboard clean

setup: $(STAMP)

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

demo: setup
	$(BIN)/xling align seeds/000_061724f570955f0f.txt seeds/002_90f3d8e4bff38bac.txt -o data/seeds_alignment.csv --show 50
	@if [ -f app.py ] && [ -z "$$CI" ] && [ -z "$$NO_DASHBOARD" ]; then \
		echo "Dashboard: http://localhost:$(PORT)  (Ctrl-C to stop)"; \
		$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true; fi

test: setup
	$(BIN)/python -m pytest -q

test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not browser"

bench: setup
	$(BIN)/python -m benchmarks.run

dashboard: setup
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

clean:
	rm -rf $(VENV) .cache .pytest_cache

# Two commands do everything: `make demo` and `make test`. Both set up ./.venv first.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
PORT ?= 8501
export XLING_CACHE_DIR ?= $(CURDIR)/.cache/xling
export HF_HUB_OFFLINE ?= 1
# pytest keeps its rewritten test modules as bytecode; a shell that forbids bytecode makes every run compile them again
unexport PYTHONDONTWRITEBYTECODE

.PHONY: setup chromium libreoffice demo lint test test-fast contract bench bench-dashboard dashboard clean

setup: $(STAMP) chromium libreoffice

$(STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test,bench]'
	touch $(STAMP)

# Debian's chromium for the one real-browser test (tests/test_browser.py), installed when missing and we are root.
chromium:
	@if [ ! -x /usr/bin/chromium ]; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get install -y -q chromium || { apt-get update -q && apt-get install -y -q chromium; } \
				|| echo "warning: chromium could not be installed; the browser test will be skipped"; \
		else echo "note: /usr/bin/chromium is missing (install it as root: apt-get install -y chromium); the browser test will be skipped"; fi; \
	fi

# Debian's LibreOffice Calc, headless, for the test that converts an XLSX (tests/test_writers.py); skipped when missing.
libreoffice:
	@if ! command -v soffice >/dev/null; then \
		if [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
			export DEBIAN_FRONTEND=noninteractive; \
			apt-get install -y -q --no-install-recommends libreoffice-calc-nogui \
				|| { apt-get update -q && apt-get install -y -q --no-install-recommends libreoffice-calc-nogui; } \
				|| echo "warning: LibreOffice could not be installed; the XLSX conversion test will be skipped"; \
		else echo "note: soffice is missing (as root: apt-get install -y libreoffice-calc-nogui); the XLSX conversion test will be skipped"; fi; \
	fi

demo: setup
	$(BIN)/xling align seeds/000_061724f570955f0f.txt seeds/002_90f3d8e4bff38bac.txt -o data/seeds_alignment.csv --show 50
	@if [ -f app.py ] && [ -z "$$CI" ] && [ -z "$$NO_DASHBOARD" ]; then \
		echo "Dashboard: http://localhost:$(PORT)  (Ctrl-C to stop)"; \
		$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true; fi

# ruff (unused imports and variables, redefinitions, bugbear) and vulture (dead code; vulture_whitelist.py names
# what frameworks call); both configured in pyproject.toml.
lint: setup
	$(BIN)/ruff check .
	$(BIN)/vulture

# Everything: lint first, then every test (slow, dask and browser ones too), then the contract check.
test: setup lint
	$(BIN)/python -m pytest -q
	$(BIN)/python -m benchmarks.contract --limit 20

# The contract table of the seed pair and of every NTREX test case, byte for byte against data/gold/contract_sha256.json.
contract: setup
	$(BIN)/python -m benchmarks.contract

# The quick loop: no real models, no Dask cluster, no browser (make test runs those).
test-fast: setup
	$(BIN)/python -m pytest -q -m "not slow and not browser and not dask"

bench: setup
	$(BIN)/python -m benchmarks.run

bench-dashboard: setup chromium
	$(BIN)/python -m benchmarks.dashboard_bench --screenshots docs

dashboard: setup
	$(BIN)/streamlit run app.py --server.port $(PORT) --server.headless true

clean:
	rm -rf $(VENV) .cache .pytest_cache

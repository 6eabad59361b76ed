# Quick start: `make run` (install, build the index if missing, start the app) and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
APP_STAMP := $(VENV)/.installed-app
HOST ?= 127.0.0.1
PORT ?= 8501

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
# llama-cpp-python (test extra) compiles from source: build it for any x86-64, not this CPU only.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: install install-app test test-fast corpus index run eval bench clean

# `install`: the package with its test extras (the test extra compiles llama-cpp-python once, ~10 min).
install: $(STAMP)
# `install-app`: what running the app needs, so a first `make run` does not wait for that compile.
install-app: $(APP_STAMP)

$(APP_STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 ($(PY)) is required"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e .
	touch $(APP_STAMP)

$(STAMP): $(APP_STAMP)
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

test: install
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

corpus: install-app
	$(BIN)/assistant corpus

index: install-app
	$(BIN)/assistant index

run: install-app
	$(BIN)/assistant index
	$(BIN)/streamlit run app.py --server.headless true --server.address $(HOST) --server.port $(PORT) --browser.gatherUsageStats false

eval: install-app
	$(BIN)/assistant eval

bench: install-app
	$(BIN)/assistant bench

clean:
	rm -rf $(VENV) index/chroma-* index/.build-* index/.lock index/manifest.json index/encoder

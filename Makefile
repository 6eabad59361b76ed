# Quick start: `make run` (install, build the index if missing, start the app) and `make test`.
PY ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
HOST ?= 127.0.0.1
PORT ?= 8501

export HF_HUB_OFFLINE := 1
export TRANSFORMERS_OFFLINE := 1
export ANONYMIZED_TELEMETRY := False
# llama-cpp-python (test extra) compiles from source: build it for any x86-64, not this CPU only.
export CMAKE_ARGS ?= -DGGML_NATIVE=OFF

.PHONY: install test test-fast corpus index run eval bench clean

install: $(STAMP)

$(STAMP): pyproject.toml
	@command -v $(PY) >/dev/null 2>&1 || { echo "Python 3.11 ($(PY)) is required"; exit 1; }
	test -x $(BIN)/python || $(PY) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet torch==2.13.0
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

test: install
	$(BIN)/python -m pytest -q

test-fast: install
	$(BIN)/python -m pytest -q -m "not slow"

corpus: install
	$(BIN)/assistant corpus

index: install
	$(BIN)/assistant index

run: install
	$(BIN)/assistant index
	$(BIN)/streamlit run app.py --server.headless true --server.address $(HOST) --server.port $(PORT) --browser.gatherUsageStats false

eval: install
	$(BIN)/assistant eval

bench: install
	$(BIN)/assistant bench

clean:
	rm -rf $(VENV) index/chroma-* index/.build-* index/.lock index/manifest.json

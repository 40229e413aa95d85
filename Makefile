# seqshape: the two commands are `make book` and `make test`; both create the environment first.
PYTHON ?= python3
VENV   ?= .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.seqshape-installed
JOBS   ?= 2

# Keep TensorFlow's start-up log out of builds and notebook runs.
export TF_CPP_MIN_LOG_LEVEL ?= 2
export TF_ENABLE_ONEDNN_OPTS ?= 0

.DEFAULT_GOAL := help
.PHONY: help setup browser book test unit numpy-floor notebooks jax lab bench bench-feeding bench-book bench-layers bench-anomaly lint lock clean distclean

help:  ## list the targets
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | awk -F':.*## ' '{printf "  make %-14s %s\n", $$1, $$2}'

setup: $(STAMP)  ## create .venv from requirements.lock and install seqshape (editable)

$(STAMP): requirements.lock pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --disable-pip-version-check -q -r requirements.lock
	$(BIN)/python -m pip install --disable-pip-version-check -q --no-deps -e .
	@touch $@

browser:  ## install Debian's chromium + chromium-driver for the browser check (needs root or sudo)
	@bash tests/install_browser.sh

book: $(STAMP)  ## build the static site into _build/html from stored outputs (warnings are errors)
	$(BIN)/jupyter-book build . -W -n --keep-going

test: $(STAMP) browser  ## unit/property/doctests, strict nbval, the JAX pass, the -W site build, the browser check
	$(BIN)/python tests/run_suite.py --jobs $(JOBS)

unit: $(STAMP)  ## only the companion's unit, property and doctests
	$(BIN)/python tests/run_suite.py --jobs $(JOBS) --only unit

numpy-floor: $(STAMP)  ## only the NumPy-only modules' tests again, with the lowest NumPy pyproject.toml declares
	$(BIN)/python tests/run_suite.py --jobs $(JOBS) --only numpy-floor

notebooks: $(STAMP)  ## only strict nbval over the notebooks in _toc.yml
	$(BIN)/python tests/run_suite.py --jobs $(JOBS) --only notebooks

jax: $(STAMP)  ## only the JAX pass: unit tests and every notebook in _toc.yml under KERAS_BACKEND=jax
	$(BIN)/python tests/run_suite.py --jobs $(JOBS) --only jax

lab: $(STAMP)  ## open JupyterLab on the book
	$(BIN)/jupyter lab --notebook-dir=book

# The long-running benchmarks have their own targets, so `make bench` stays within 10 minutes.
SLOW_BENCH := benchmarks/bench_feeding.py benchmarks/bench_book.py benchmarks/bench_layers.py benchmarks/bench_anomaly.py

bench: $(STAMP)  ## windows, sizes, resampling, memory-mapped streaming, devices (tables -> benchmarks/results/)
	@set -e; for f in $(filter-out $(SLOW_BENCH),$(wildcard benchmarks/bench_*.py)); do echo "== $$f"; $(BIN)/python $$f; done

bench-feeding: $(STAMP)  ## feeding model.fit: as_tf_dataset, WindowDataset, Keras, materialized (about 10 minutes)
	$(BIN)/python benchmarks/bench_feeding.py

bench-book: $(STAMP)  ## time each notebook under nbval and the site build (about 5 minutes)
	$(BIN)/python benchmarks/bench_book.py

bench-layers: $(STAMP)  ## the multi-seed layer comparison that chapter 3 reads (about 45 minutes on 2 busy cores)
	$(BIN)/python benchmarks/bench_layers.py

bench-anomaly: $(STAMP)  ## the 10-seed detectors and gap filler that chapter 5 reads (about 15 minutes)
	$(BIN)/python benchmarks/bench_anomaly.py

lint: $(STAMP)  ## ruff over the package, tests, benchmarks and notebooks
	$(BIN)/ruff check companion tests benchmarks book

lock: $(STAMP)  ## rewrite requirements.lock from the current environment
	$(BIN)/python tests/lockfile.py

clean:  ## remove the built site, caches and test reports (keeps .venv)
	rm -rf _build .pytest_cache .hypothesis .ruff_cache .jupyter_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean  ## also remove the virtual environment
	rm -rf $(VENV)

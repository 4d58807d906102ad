# parstats: `make help` lists the targets.
#   make all   - set up (if needed), build the dataset, the plan-year reports, every province
#                profile, the maps and the index (FULL=1: every province-year, about 940 reports)
#   make test  - set up (if needed) and run the whole test suite
SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
JOBS ?= 2
STAMP := $(VENV)/.parstats-installed

.PHONY: help setup all build reports test test-fast chromium ocr bench lint clean

help: ## List the targets with what they do
	@grep -hE '^[a-zA-Z_-]+:.*?## ' $(MAKEFILE_LIST) | awk 'BEGIN {FS = ":.*?## "}; {printf "  %-10s %s\n", $$1, $$2}'

$(STAMP): pyproject.toml
	@if [ ! -x $(BIN)/python ]; then echo "creating $(VENV)"; $(PYTHON) -m venv $(VENV); fi
	$(BIN)/python -m pip install -q --upgrade pip
	$(BIN)/python -m pip install -q -e '.[test]'
	$(BIN)/python -m ipykernel install --sys-prefix --name python3 >/dev/null
	@touch $(STAMP)

setup: $(STAMP) ## Create the environment (.venv) if missing and install parstats

build: setup ## Rebuild data/processed from data/raw
	$(BIN)/parstats build

FULL ?=
REPORT_SCOPE := $(if $(FULL),--all,)

reports: build ## Plan-year reports, 63 profiles, maps, index (FULL=1: every province-year)
	$(BIN)/parstats reports -j $(JOBS) $(REPORT_SCOPE)

all: reports ## Set up, build the dataset, reports, profiles and index (the main job)

chromium: ## Find or install headless Chromium for the browser tests
	@bash scripts/ensure_chromium.sh

ocr: ## Find or install Tesseract (Vietnamese) and LibreOffice for PDF scans and .doc plans
	@bash scripts/ensure_ocr.sh

test: setup chromium ocr ## Set up and run the whole test suite (unit, notebooks, browser)
	$(BIN)/python -m pytest -n $(JOBS) --dist loadfile tests
	$(BIN)/parstats build
	$(BIN)/python -m pytest --nbval-lax --nbval-sanitize-with notebooks/sanitize.cfg notebooks -q

test-fast: setup ## Run the unit tests only (no notebooks, no browser)
	$(BIN)/python -m pytest -n $(JOBS) -m "not slow and not browser" tests

bench: setup ## Run the benchmarks and print their figures
	$(BIN)/python benchmarks/run_all.py

lint: setup ## Check style and docstrings (ruff)
	$(BIN)/python -m ruff check parstats tests benchmarks

clean: ## Remove rebuilt outputs (data/processed and its generations, reports)
	rm -rf data/processed data/.processed data/.processed.link-*
	find reports -mindepth 1 ! -name .gitkeep -delete

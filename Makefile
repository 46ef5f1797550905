# pipeq — `make run` opens the demo pipeline, `make test` runs every test.
# Both install what is missing first (Debian packages via apt-get; sudo when not root).

SHELL      := /bin/bash
SWIFT      ?= swift
BUILD_DIR  := .build/debug
DEMO_DIR   := demo
DEMO_DEALS := 3000
APT_PACKAGES := libedit-dev pkg-config tmux less
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build test lint format bench run demo clean fuzz fuzz-build fuzz-corpus fuzz-smoke

all: build

# Installs the Debian packages the build and the tests need, only when missing.
deps:
	@missing=""; \
	for p in $(APT_PACKAGES); do \
	  dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; \
	done; \
	if [ -n "$$missing" ]; then \
	  echo "installing:$$missing"; \
	  $(SUDO) apt-get update -qq && $(SUDO) env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $$missing; \
	fi
	@command -v $(SWIFT) >/dev/null || { echo "swift is not on PATH (expected at /opt/swift)"; exit 1; }

build: deps
	$(SWIFT) build

test: deps lint
	$(SWIFT) build --build-tests
	$(SWIFT) test --skip-build --disable-xctest
	$(MAKE) fuzz-smoke

# The committed .swift-format keeps every file in one style.
lint:
	$(SWIFT) format lint --strict -r Sources Tests Fuzz Package.swift

format:
	$(SWIFT) format format -i -r Sources Tests Fuzz Package.swift

# The demo pipeline: generated once into demo/ (ignored by git), then imported.
$(DEMO_DIR)/demo.pipeq: | build
	@mkdir -p $(DEMO_DIR)
	$(BUILD_DIR)/pipeq-gen --deals $(DEMO_DEALS) --today $$(date +%F) -o $(DEMO_DIR)/deals.csv
	$(BUILD_DIR)/pipeq --db $(DEMO_DIR)/demo.pipeq --format table -c ".import $(DEMO_DIR)/deals.csv"

demo: build $(DEMO_DIR)/demo.pipeq

# Opens the interactive session on the demo pipeline (try: .help, count by stage).
run: demo
	$(BUILD_DIR)/pipeq --db $(DEMO_DIR)/demo.pipeq

# pipeq beside sqlite3, DuckDB (in memory and file-backed) and Polars on the same CRM-shaped
# generated pipeline (N deals, default 1,000,000; SHAPE=demo for the demo's shape).
N ?= 1000000
SHAPE ?= crm
RESULTS ?= bench/results.md
bench: deps
	$(SWIFT) build -c release
	@command -v sqlite3 >/dev/null || $(SUDO) apt-get install -y -qq sqlite3
	N=$(N) SHAPE=$(SHAPE) RESULTS=$(RESULTS) python3 bench/run.py

# libFuzzer targets (Fuzz/): the snapshot reader, the journal reader, the query parser, and
# grammar-aware statements (huge numbers, deep nesting, year edges) planned and run.
# `make fuzz FUZZ_SECONDS=600` for a long run; `make test` runs a short smoke run.
FUZZ_SECONDS ?= 60
FUZZ_BUILD   := .build-fuzz

fuzz-build: deps
	$(SWIFT) build --package-path Fuzz --scratch-path $(FUZZ_BUILD) \
	  -Xswiftc -sanitize=fuzzer,address -Xswiftc -use-ld=lld --product pipeq-fuzz

# Seeds: a real store and journal (with an undo), the example scripts and the grammar.
fuzz-corpus: build
	@mkdir -p $(FUZZ_BUILD)/corpus/snapshot $(FUZZ_BUILD)/corpus/journal $(FUZZ_BUILD)/corpus/parser \
	  $(FUZZ_BUILD)/corpus/statements
	@rm -f $(FUZZ_BUILD)/seed.pipeq*
	$(BUILD_DIR)/pipeq-gen --deals 20 -o $(FUZZ_BUILD)/seed.csv
	$(BUILD_DIR)/pipeq --db $(FUZZ_BUILD)/seed.pipeq --now 2026-11-27 -c ".import $(FUZZ_BUILD)/seed.csv" \
	  -c "close lost where idle > 90d" -c "tag x where id < 5" -c "undo" >/dev/null
	cp $(FUZZ_BUILD)/seed.pipeq $(FUZZ_BUILD)/corpus/snapshot/seed
	cp $(FUZZ_BUILD)/seed.pipeq.journal $(FUZZ_BUILD)/corpus/journal/seed
	cp examples/*.pq grammar/pipeq.ebnf $(FUZZ_BUILD)/corpus/parser/
	printf "count where id = 1 or idle > 3000y" > $(FUZZ_BUILD)/corpus/statements/seed

fuzz: fuzz-build fuzz-corpus
	@for target in snapshot journal parser statements; do \
	  echo "fuzzing the $$target reader for $(FUZZ_SECONDS) s"; \
	  SWIFT_BACKTRACE=enable=no PIPEQ_FUZZ_TARGET=$$target $(FUZZ_BUILD)/debug/pipeq-fuzz \
	    -max_total_time=$(FUZZ_SECONDS) -print_final_stats=0 -artifact_prefix=$(FUZZ_BUILD)/crash-$$target- \
	    $(FUZZ_BUILD)/corpus/$$target 2>&1 | grep -E "^Done|ERROR|SUMMARY|Fatal|deadly" ; \
	  [ $${PIPESTATUS[0]} -eq 0 ] || exit 1; \
	done

fuzz-smoke:
	$(MAKE) fuzz FUZZ_SECONDS=10

clean:
	rm -rf .build $(FUZZ_BUILD) $(DEMO_DIR)

# pipeq — `make run` opens the demo pipeline, `make test` runs every test.
# Both install what is missing first (Debian packages via apt-get; sudo when not root).

SWIFT      ?= swift
BUILD_DIR  := .build/debug
DEMO_DIR   := demo
DEMO_DEALS := 3000
APT_PACKAGES := libedit-dev pkg-config
SUDO := $(shell [ "$$(id -u)" = 0 ] || echo sudo)

.PHONY: all deps build test lint run demo clean

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
	$(SWIFT) test --skip-build

# The committed .swift-format keeps every file in one style.
lint:
	$(SWIFT) format lint --strict -r Sources Tests Package.swift

# The demo pipeline: generated once into demo/ (ignored by git), then imported.
$(DEMO_DIR)/demo.pipeq: | build
	@mkdir -p $(DEMO_DIR)
	$(BUILD_DIR)/pipeq-gen --deals $(DEMO_DEALS) --today $$(date +%F) -o $(DEMO_DIR)/deals.csv
	$(BUILD_DIR)/pipeq --db $(DEMO_DIR)/demo.pipeq --format table -c ".import $(DEMO_DIR)/deals.csv"

demo: build $(DEMO_DIR)/demo.pipeq

run: demo
	$(BUILD_DIR)/pipeq --db $(DEMO_DIR)/demo.pipeq --format table examples/first-look.pq

clean:
	rm -rf .build $(DEMO_DIR)

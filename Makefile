# conform: see README.md. `make demo` and `make test` are the two commands a new machine needs.
SHELL   := /bin/bash
GO      ?= go
BIN     := bin/conform
PKGS    := ./...

# DOCS is the folder of the five documents (files NNN_*.txt) that suites/quotes_test.go checks
# every quote against; the repository keeps only the quotes. Where it is empty the test skips.
DOCS ?= $(or $(CONFORM_DOCS),$(wildcard ../shared/seeds))
export CONFORM_DOCS := $(if $(DOCS),$(abspath $(DOCS)))

.PHONY: demo test build vet fmt-check requirements check-requirements unit check bench clean

# demo runs every spec (should-level included) against the embedded reference.
demo: build
	$(BIN) run --strict

build:
	$(GO) build -o $(BIN) ./cmd/conform

# test: formatting, vet, the golden requirements list, then every test (unit).
test: fmt-check vet check-requirements unit

# unit runs every package's tests: two go test commands side by side, whose -json streams
# scripts/testsummary reads together. It prints go test's line for each package as it finishes
# (a failing test's output in full), then names the slowest packages, and fails when any package
# (or either command) failed.
# The library packages and cmd/conform's in-process tests run under the race detector. The
# end-to-end packages (e2e/: the built binary against the reference and each of its breaks;
# suites/<p>: the Ginkgo suites against the embedded reference) run without it: they spend their
# time in bcrypt and in the binary, which the race detector slows many times over, and their
# concurrency is the reference's and the target client's, which the race run already covers.
E2E_PKGS  := ./e2e/... ./suites/...
RACE_PKGS := $(shell $(GO) list ./... | grep -v -e /e2e -e /suites)

unit:
	@echo "go test -race (library packages, cmd/conform) and go test $(E2E_PKGS), side by side"
	@$(GO) run ./scripts/testsummary \
	  <($(GO) test -json -race -count=1 -timeout 5m $(RACE_PKGS)) \
	  <($(GO) test -json -count=1 -timeout 5m $(E2E_PKGS))

# check: the slow checks, for CI beside make test. The hostile targets of e2e/hostile_test.go
# on all five profiles at the default 5 s timeout (about a minute), then each fuzz target for
# FUZZTIME, minimizing what it finds for at most 2 s (minimizing otherwise eats the budget).
FUZZTIME ?= 10s
FUZZ_TARGETS := client:FuzzResponse client:FuzzPrintable client:FuzzJSONDepth \
  specs/env:FuzzDescribe specs/newapikey:FuzzJSONValues specs/newapikey:FuzzXMLValues

check:
	CONFORM_SOAK=1 $(GO) test -count=1 -timeout 10m -run 'TestHostile' ./e2e/
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t##*:}; \
	  echo "fuzz $$fn in ./$$pkg for $(FUZZTIME)"; \
	  $(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./$$pkg || exit 1; \
	done

vet:
	$(GO) vet $(PKGS)

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# requirements regenerates the committed traceability matrix from the specs.
requirements: build
	$(BIN) list --format yaml > fixtures/requirements.yaml
	./scripts/readme-requirements.sh $(BIN)

# check-requirements fails when fixtures/requirements.yaml drifts from the specs.
check-requirements: build
	@$(BIN) list --format yaml | diff -u fixtures/requirements.yaml - \
	  || { echo "fixtures/requirements.yaml is stale: run 'make requirements' and commit it"; exit 1; }
	@$(BIN) list --format markdown | diff -u <(sed -n '/<!-- requirements:start/,/<!-- requirements:end/p' README.md | sed '1d;$$d') - \
	  || { echo "README.md's spec list is stale: run 'make requirements' and commit it"; exit 1; }

bench: build
	./scripts/bench.sh

clean:
	rm -rf bin

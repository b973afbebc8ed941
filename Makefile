# conform: see README.md. `make demo` and `make test` are the two commands a new machine needs.
SHELL   := /bin/bash
GO      ?= go
BIN     := bin/conform
PKGS    := ./...

# DOCS is the folder of the five documents (files NNN_*.txt) that suites/quotes_test.go checks
# every quote against; the repository keeps only the quotes. Where it is empty the test skips.
DOCS ?= $(or $(CONFORM_DOCS),$(wildcard ../shared/seeds))
export CONFORM_DOCS := $(if $(DOCS),$(abspath $(DOCS)))

.PHONY: demo test check soak fuzz race-repeat instances build vet fmt-check requirements check-requirements unit bench clean

# demo runs every spec (should-level included) against the embedded reference.
demo: build
	$(BIN) run --strict

build:
	$(GO) build -o $(BIN) ./cmd/conform

# test: formatting, vet, the golden requirements list, then every test (unit).
test: fmt-check vet check-requirements unit

# unit runs every package's tests: three go test commands side by side, whose -json streams
# scripts/testsummary reads together. It prints go test's line for each package as it finishes
# (a failing test's output in full), then names the slowest packages, and fails when any package
# (or any command) failed.
# The library packages run under the race detector. cmd/conform's in-process tests (conform load
# at a low rate, judged on whether the rate was kept) run without it, as the product does. The
# end-to-end packages (e2e/: the built binary against the reference and each of its breaks;
# suites/<p>: the Ginkgo suites against the embedded reference) run without it too: they spend
# their time in bcrypt and in the binary, which the race detector slows many times over, and
# their concurrency is the reference's and the target client's, which the race run covers. They
# are niced: they soak up the CPU the others leave, and the tests that time a rate keep theirs.
CLI_PKGS  := ./cmd/...
E2E_PKGS  := ./e2e/... ./suites/...
RACE_PKGS := $(shell $(GO) list ./... | grep -v -e /cmd/ -e /e2e -e /suites)

unit:
	@echo "go test -race (library packages), go test $(CLI_PKGS), nice go test $(E2E_PKGS): side by side"
	@$(GO) run ./scripts/testsummary \
	  <($(GO) test -json -race -count=1 -timeout 5m $(RACE_PKGS)) \
	  <($(GO) test -json -count=1 -timeout 5m $(CLI_PKGS)) \
	  <(nice -n 10 $(GO) test -json -count=1 -timeout 5m $(E2E_PKGS))

# check: the slow checks CI runs after make test. The hostile targets of e2e/hostile_test.go on
# all five profiles at the default 5 s timeout (about a minute), every fuzz target, then the
# race specs RACE_REPEAT times against the reference and each race break (about 3 minutes),
# then every spec against two `conform serve` instances: on one real redis-server (they must
# pass, 2FA included), and each on its own memory (they must fail, naming the instance).
check: soak fuzz race-repeat instances

instances:
	CONFORM_INSTANCES=1 $(GO) test -count=1 -timeout 10m -run 'TestInstances' ./e2e/

RACE_REPEAT ?= 50
race-repeat:
	CONFORM_RACE_REPEAT=$(RACE_REPEAT) $(GO) test -count=1 -timeout 20m -run 'TestRaceSpecsAreReliable' ./e2e/

soak:
	CONFORM_SOAK=1 $(GO) test -count=1 -timeout 10m -run 'TestHostile' ./e2e/

# fuzz runs each fuzz target for FUZZTIME (go test takes one -fuzz target per package at a
# time), minimizing what it finds for at most 2 s (minimizing otherwise eats the budget). The
# seed corpora under */testdata/fuzz also run as plain tests in make test.
FUZZTIME ?= 10s
FUZZ_TARGETS := config:FuzzParse redact:FuzzRedact \
  client:FuzzResponse client:FuzzPrintable client:FuzzJSONDepth \
  specs/env:FuzzDescribe specs/newapikey:FuzzJSONValues specs/newapikey:FuzzXMLValues
fuzz:
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

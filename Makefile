# conform: see README.md. `make demo` and `make test` are the two commands a new machine needs.
SHELL   := /bin/bash
GO      ?= go
BIN     := bin/conform
PKGS    := ./...

# -trimpath keeps absolute paths out of what is compiled, so the build cache serves a fresh
# clone of the repository (or a CI workspace at another path) as it serves this one: without
# it every package is compiled again, twice (race and plain), in each new checkout.
export GOFLAGS := $(strip $(GOFLAGS) -trimpath)

# DOCS is the folder of the five documents (files NNN_*.txt) that suites/quotes_test.go checks
# every quote against; the repository keeps only the quotes. Where it is empty the test skips.
DOCS ?= $(or $(CONFORM_DOCS),$(wildcard ../shared/seeds))
export CONFORM_DOCS := $(if $(DOCS),$(abspath $(DOCS)))

.PHONY: demo test check breaks soak distributed fuzz repro race-repeat instances explore build vet fmt-check requirements check-requirements unit bench clean

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
# examples/k8s (its own module: the Kubernetes manifests decoded into k8s.io/api types) runs
# as a fourth. The library packages run under the race detector. cmd/conform's in-process tests (conform load
# at a low rate, judged on whether the rate was kept) run without it, as the product does. The
# end-to-end packages (e2e/: the built binary against the reference and each of its breaks;
# suites/<p>: the Ginkgo suites against the embedded reference) run without it too: they spend
# their time in bcrypt and in the binary, which the race detector slows many times over, and
# their concurrency is the reference's and the target client's, which the race run covers. They
# are niced: they soak up the CPU the others leave, and the tests that time a rate keep theirs.
# Their parallel subtests (a binary and a reference each) spend half their time waiting on
# each other's answers, code deliveries and TTL steps, so e2e runs four at once, not
# GOMAXPROCS (Ginkgo refuses go test -parallel, so suites/ runs apart).
CLI_PKGS  := ./cmd/...
E2E_PKGS  := ./e2e/... ./suites/...
RACE_PKGS := $(shell $(GO) list ./... | grep -v -e /cmd/ -e /e2e -e /suites)
# The reference's bcrypt-bound behaviour tests skip themselves under the race detector (it slows
# blowfish some fifteen times) and run in the niced pass instead.
REF_BCRYPT_TESTS := ^(TestBreaksAreIsolated|TestEachBreakSwitchesOffItsBehaviour|TestFixtureUsers)$$

unit:
	@echo "go test -race (library packages), go test $(CLI_PKGS), nice go test $(E2E_PKGS): side by side"
	@$(GO) run ./scripts/testsummary \
	  <($(GO) test -json -race -count=1 -timeout 5m $(RACE_PKGS)) \
	  <($(GO) test -json -count=1 -timeout 5m $(CLI_PKGS)) \
	  <(nice -n 10 $(GO) test -json -count=1 -parallel 4 -timeout 5m ./e2e/...) \
	  <(CONFORM_TIMEOUT=30s nice -n 10 $(GO) test -json -count=1 -timeout 5m ./suites/...) \
	  <(nice -n 10 $(GO) test -json -count=1 -timeout 5m -run '$(REF_BCRYPT_TESTS)' ./reference) \
	  <(cd examples/k8s && $(GO) test -json -count=1 -timeout 2m ./...)

# check: the slow checks CI runs after make test. Every reference break (make test runs a
# cover of them: each caught requirement seen to fail; here the partial breaks too), the hostile targets of e2e/hostile_test.go on
# all five profiles at the default 5 s timeout (about a minute), the 4-share distributed load,
# every fuzz target, the reproducers of every reference break (repro), then the race specs
# RACE_REPEAT times against the reference and each race break (about 3 minutes), then every
# spec against two `conform serve` instances: on one real redis-server (they must pass, 2FA
# included), and each on its own memory (they must fail, naming the instance).
check: breaks soak distributed fuzz repro race-repeat instances explore

breaks:
	CONFORM_BREAKS=all $(GO) test -count=1 -parallel 4 -timeout 15m -run 'TestEveryBreakIsCaughtByItsSpec' ./e2e/

# explore runs the model specs alone with 50 seeds against the embedded reference and two
# reference instances on one redis-server: a conforming reference passes every seed; then the
# model specs alone against each reference break not in e2e/explore_scope_test.go's list of the
# breaks exploration cannot observe: each must fail a model spec within 10 seeds of 400 steps.
explore:
	CONFORM_EXPLORE_SEEDS=50 $(GO) test -count=1 -parallel 4 -timeout 20m -run 'TestExplorationPassesTheReference' ./e2e/
	CONFORM_EXPLORE_BREAKS=1 $(GO) test -count=1 -parallel 4 -timeout 20m -run 'TestExplorationCatchesEveryBreakInScope|TestExplorationCatchesConcurrentBreaks' ./e2e/

instances:
	CONFORM_INSTANCES=1 $(GO) test -count=1 -timeout 10m -run 'TestInstances' ./e2e/

RACE_REPEAT ?= 50
race-repeat:
	CONFORM_RACE_REPEAT=$(RACE_REPEAT) $(GO) test -count=1 -timeout 20m -run 'TestRaceSpecsAreReliable' ./e2e/

soak:
	CONFORM_SOAK=1 $(GO) test -count=1 -timeout 10m -run 'TestHostile' ./e2e/

# distributed: 4 conform load processes as the shares of one load (--segment i/4, 1600/s in
# total for 3 s) against one reference, merged by conform report (make test runs 2 shares).
distributed:
	CONFORM_DISTRIBUTED=1 $(GO) test -count=1 -timeout 2m -run 'TestDistributedLoad' ./e2e/

# repro replays, for every reference break, each failure's reproducer script (curl) against a
# restarted broken reference (it must reproduce) and a good one (it must not); about a minute.
repro:
	CONFORM_REPRO=1 $(GO) test -count=1 -timeout 10m -run 'TestReproducersOfEveryBreak' ./e2e/

# fuzz runs each fuzz target for FUZZTIME (go test takes one -fuzz target per package at a
# time), minimizing what it finds for at most 2 s (minimizing otherwise eats the budget). The
# seed corpora under */testdata/fuzz also run as plain tests in make test.
FUZZTIME ?= 10s
FUZZ_TARGETS := config:FuzzParse redact:FuzzRedact \
  client:FuzzResponse client:FuzzPrintable client:FuzzJSONDepth load:FuzzReadResponse load:FuzzLoopAnswer \
  specs/env:FuzzDescribe specs/newapikey:FuzzJSONValues specs/newapikey:FuzzXMLValues \
  reference:FuzzLptrackerLogin reference:FuzzJWTLogin reference:FuzzFlylogsLogin \
  reference:FuzzAPIKeyLogin reference:FuzzNewAPIKey reference:FuzzTokens
#
# A target that fails without writing a failing input under testdata/fuzz runs once more: Go
# 1.26's fuzz coordinator can report its own end-of-fuzztime deadline as a failure when a worker
# is slow to stop on a busy machine ("context deadline exceeded", go.dev/issue/75804, fixed in
# Go 1.27). A failing input written, or a second failure, fails the run.
fuzz:
	@for t in $(FUZZ_TARGETS); do pkg=$${t%%:*}; fn=$${t##*:}; dir=./$$pkg/testdata/fuzz/$$fn; \
	  echo "fuzz $$fn in ./$$pkg for $(FUZZTIME)"; \
	  before=$$(ls $$dir 2>/dev/null | wc -l); \
	  $(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./$$pkg && continue; \
	  [ "$$(ls $$dir 2>/dev/null | wc -l)" = "$$before" ] || exit 1; \
	  echo "fuzz $$fn failed without a failing input (go.dev/issue/75804): once more"; \
	  $(GO) test -run '^$$' -fuzz "^$$fn\$$" -fuzztime $(FUZZTIME) -fuzzminimizetime 2s ./$$pkg || exit 1; \
	done

# examples/k8s is a module of its own (its test needs k8s.io/api, conform does not).
vet:
	$(GO) vet $(PKGS)
	cd examples/k8s && $(GO) vet ./...

fmt-check:
	@out=$$(gofmt -l $$(git ls-files '*.go' 2>/dev/null || find . -name '*.go')); \
	if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

# requirements regenerates the committed traceability matrix from the specs, and the ledger's
# report (README tables, docs/ledger.md) from fixtures/ledger.
requirements: build
	$(BIN) list --format yaml > fixtures/requirements.yaml
	./scripts/readme-requirements.sh $(BIN)

# check-requirements fails when fixtures/requirements.yaml drifts from the specs.
check-requirements: build
	@$(BIN) list --format yaml | diff -u fixtures/requirements.yaml - \
	  || { echo "fixtures/requirements.yaml is stale: run 'make requirements' and commit it"; exit 1; }
	@$(BIN) list --format markdown | diff -u <(sed -n '/<!-- requirements:start/,/<!-- requirements:end/p' README.md | sed '1d;$$d') - \
	  || { echo "README.md's spec list is stale: run 'make requirements' and commit it"; exit 1; }
	@$(BIN) list --ledger --format markdown | diff -u <(sed -n '/<!-- ledger:start/,/<!-- ledger:end/p' README.md | sed '1d;$$d') - \
	  || { echo "README.md's ledger tables are stale: run 'make requirements' and commit it"; exit 1; }
	@$(BIN) list --ledger --statements --format markdown | diff -u docs/ledger.md - \
	  || { echo "docs/ledger.md is stale: run 'make requirements' and commit it"; exit 1; }

bench: build
	./scripts/bench.sh

clean:
	rm -rf bin

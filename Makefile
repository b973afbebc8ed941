# conform: see README.md. `make demo` and `make test` are the two commands a new machine needs.
SHELL   := /bin/bash
GO      ?= go
BIN     := bin/conform
PKGS    := ./...

.PHONY: demo test build vet fmt-check requirements check-requirements unit bench clean

# demo runs every spec (should-level included) against the embedded reference.
demo: build
	$(BIN) run --strict

build:
	$(GO) build -o $(BIN) ./cmd/conform

# test: formatting, vet, the golden requirements list, then every test with the race detector.
test: fmt-check vet check-requirements unit

# The library packages run under the race detector. The end-to-end packages (the binary against
# the reference, the Ginkgo suites) run without it: they spend their time in bcrypt at the
# fixtures' cost 10, which the race detector slows about twentyfold, and their concurrency is the
# reference's and the target client's, which the race run already covers.
E2E_PKGS  := ./cmd/... ./e2e/... ./suites/...
RACE_PKGS := $(shell $(GO) list ./... | grep -v -e /cmd/ -e /e2e -e /suites)

unit:
	$(GO) test -race -count=1 -timeout 5m $(RACE_PKGS)
	$(GO) test -count=1 -timeout 5m $(E2E_PKGS)

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

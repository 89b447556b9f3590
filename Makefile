# Cascade — make run starts it with demo data; make test runs every test.
SHELL := /bin/bash
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
GO_PACKAGES := ./...

.PHONY: run test build deps frontend go-test go-and-unit-tests frontend-test e2e bench lint lint-api lint-types lint-vet lint-fmt lint-workflows clean cluster-test chaos crash

## run: build everything, load the demo data, start cascade serve on :8080 (mail in mailpit on :8025)
run: build
	scripts/run.sh

## test: every test — Go (real PostgreSQL, embedded Temporal, mailpit), frontend (Vitest), end-to-end (Chromium)
# What does not depend on each other overlaps, each job's output printed
# whole when it ends (-O): the frontend build with the API lint and type
# check (Node), then go vet with workflowcheck and the gofmt check (go vet
# only after the build: the build empties frontend/dist, which
# ./frontend embeds). Then the Go tests and Vitest beside the binary's build
# and the end-to-end tests: each waits more than it computes (restarts,
# heartbeat timeouts, a browser waiting for the server), together they keep
# the two cores busy. The Go test packages run one at a time here
# (GO_TEST_P=1): one package's serve and the e2e's, at most 40 connections
# each, stay within PostgreSQL's default max_connections (100).
test: deps
	$(MAKE) --no-print-directory -j3 -O frontend lint-api lint-types
	$(MAKE) --no-print-directory -j3 -O lint-vet lint-fmt lint-workflows
	$(MAKE) --no-print-directory -j2 -O go-and-unit-tests e2e GO_TEST_P=1

# go-test, then Vitest: one lane of make test, one job after the other
# (-j1: the other lane, the binary's build then e2e, keeps its job slot)
go-and-unit-tests:
	$(MAKE) --no-print-directory -j1 go-test frontend-test

## build: the frontend, then the single binary with it embedded, in bin/cascade
build: deps frontend bin/cascade

bin/cascade: FORCE
	go build -ldflags "-X main.version=$(VERSION)" -o bin/cascade ./cmd/cascade

deps:
	scripts/deps.sh

frontend:
	npm --prefix frontend run --silent build

# test packages run GO_TEST_P at a time (2 alone; make test runs them one
# at a time beside the end-to-end tests)
GO_TEST_P ?= 2
go-test:
	go test -count=1 -p $(GO_TEST_P) -timeout 15m $(GO_PACKAGES)

frontend-test:
	npm --prefix frontend test --silent

e2e: bin/cascade
	scripts/e2e.sh

## cluster-test: Cascade on a real two-node Temporal cluster (scripts/cluster.sh) losing a worker and a server node mid fan-out
cluster-test: deps
	go test -tags cluster -count=1 -timeout 40m -run TestCluster -v ./cmd/cascade

## crash: kill -9 mid fan-out of a plan to 500 units and mid cancel of one, each restarted: every unit once, every email once, nothing stalls
crash: deps
	go test -tags crash -count=1 -timeout 20m -run 'TestServe_KilledMid(DispatchEveryUnit|PlanCancel)' -v ./cmd/cascade

## chaos: one cascade serve, a plan to 510 units, 11 kill -9 at random moments, a connection drop, a slow SMTP server (CHAOS_SEED replays)
chaos: deps
	go test -tags chaos -count=1 -timeout 40m -run TestChaos -v ./cmd/cascade

## bench: benchmarks with baselines measured in the same run (see bench/)
bench: deps
	go run ./bench

# workflowcheck (Temporal's determinism checker for workflow code) at a
# pinned version: v0.5.0 is the first that builds with Go 1.26 (v0.3.0's
# golang.org/x/tools does not); it does not depend on the SDK's version.
WORKFLOWCHECK_VERSION := v0.5.0
WORKFLOWCHECK := bin/workflowcheck-$(WORKFLOWCHECK_VERSION)
$(WORKFLOWCHECK):
	@mkdir -p bin/.workflowcheck
	GOBIN=$(CURDIR)/bin/.workflowcheck go install go.temporal.io/sdk/contrib/tools/workflowcheck@$(WORKFLOWCHECK_VERSION)
	mv bin/.workflowcheck/workflowcheck $@

clean:
	rm -rf bin tmp frontend/dist/assets frontend/dist/index.html

FORCE:

## lint: go vet, a gofmt check, Temporal's workflowcheck over the workflows, Redocly's
## recommended rules over api/openapi.yaml and the frontend's API types checked against it
## (side by side, each one's output printed whole when it ends)
lint:
	$(MAKE) --no-print-directory -j3 -O lint-api lint-types lint-vet lint-fmt lint-workflows

lint-api:
	npm --prefix frontend run --silent api:lint

lint-types:
	npm --prefix frontend run --silent api:check

lint-vet:
	go vet $(GO_PACKAGES)

lint-fmt:
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^frontend/node_modules/')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi

lint-workflows: $(WORKFLOWCHECK)
	$(WORKFLOWCHECK) ./workflows/... ./bench/...


# Cascade — make run starts it with demo data; make test runs every test.
SHELL := /bin/bash
VERSION ?= $(shell git describe --tags --always --dirty 2>/dev/null || echo dev)
GO_PACKAGES := ./...

.PHONY: run test build deps frontend go-test frontend-test e2e bench lint clean

## run: build everything, load the demo data, start cascade serve on :8080 (mail in mailpit on :8025)
run: build
	scripts/run.sh

## test: every test — Go (real PostgreSQL, embedded Temporal, mailpit), frontend (Vitest), end-to-end (Chromium)
test: deps frontend lint go-test frontend-test bin/cascade e2e

## build: the frontend, then the single binary with it embedded, in bin/cascade
build: deps frontend bin/cascade

bin/cascade: FORCE
	go build -ldflags "-X main.version=$(VERSION)" -o bin/cascade ./cmd/cascade

deps:
	scripts/deps.sh

frontend:
	npm --prefix frontend run --silent build

go-test:
	go test -count=1 -p 2 -timeout 15m $(GO_PACKAGES)

frontend-test:
	npm --prefix frontend test --silent

e2e: bin/cascade
	scripts/e2e.sh

## bench: benchmarks with baselines measured in the same run (see bench/)
bench: deps
	go run ./bench

## lint: go vet and a gofmt check
lint:
	go vet $(GO_PACKAGES)
	@unformatted=$$(gofmt -l $$(git ls-files '*.go' | grep -v '^frontend/node_modules/')); \
	if [ -n "$$unformatted" ]; then echo "gofmt would change:"; echo "$$unformatted"; exit 1; fi

clean:
	rm -rf bin tmp frontend/dist/assets frontend/dist/index.html

FORCE:

# lot-trace: `make run` starts everything on this machine, `make test` runs every test.
SHELL := /bin/bash
GO    ?= go
BIN   := bin/lot-trace

.PHONY: run test build neo4j neo4j-build vet fmt bench clean

## run: the service on 127.0.0.1:8080, on the local Neo4j unless NEO4J_URI is set
run: build
	scripts/run-local -demo

## test: every test (unit, integration against a real Neo4j, end-to-end)
test: neo4j-build
	$(GO) vet ./...
	$(GO) test -count=1 -timeout 40m ./...

## build: the lot-trace binary in bin/
build:
	$(GO) build -o $(BIN) ./cmd/lot-trace

## neo4j: the local embedded Neo4j in the foreground (Ctrl-C stops it)
neo4j: neo4j-build
	neo4j-embedded/launch --data-dir .neo4j-data

## neo4j-build: fetch and build the embedded Neo4j launcher (downloads once, then offline)
neo4j-build:
	neo4j-embedded/launch build

vet:
	$(GO) vet ./...

fmt:
	gofmt -w $$(git ls-files '*.go')

clean:
	rm -rf bin neo4j-embedded/target

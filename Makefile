# lot-trace: `make run` starts everything on this machine, `make test` runs every test.
SHELL := /bin/bash
GO    ?= go
BIN   := bin/lot-trace

.PHONY: run test fuzz build ui docs neo4j neo4j-build vet fmt bench clean

## run: the service on 127.0.0.1:8080, on the local Neo4j unless NEO4J_URI is set
run: build
	scripts/run-local -demo

## test: every test (unit, integration against a real Neo4j, end-to-end), with the race
## detector: the bulk loader and the server run work on several goroutines at once
test: neo4j-build ui docs
	npm --prefix web test
	$(GO) vet ./...
	$(GO) test -race -count=1 -timeout 40m ./...
	$(MAKE) fuzz

## fuzz: a short run of each fuzz target (go test fuzzes one target at a time); FUZZTIME=5m for longer
FUZZTIME ?= 10s
FUZZ_TARGETS := graph/console:FuzzAnalystQueryValidate graph/console:FuzzCheckPlan \
	ingest:FuzzDecodeReceipt ingest:FuzzDecodeProduction ingest:FuzzDecodeShipment ingest:FuzzNDJSON
fuzz:
	@set -e; for t in $(FUZZ_TARGETS); do \
		echo "fuzz $${t#*:} ($(FUZZTIME))"; \
		$(GO) test -run '^$$' -fuzz="^$${t#*:}$$" -fuzztime=$(FUZZTIME) -fuzzminimizetime=100x ./$${t%%:*}/; \
	done

## build: the lot-trace binary in bin/, with the explorer and the API docs page
build: ui docs
	$(GO) build -o $(BIN) ./cmd/lot-trace

## ui: the genealogy explorer, built from web/ into api/ui/dist (embedded by go build)
UI_SRC := $(wildcard web/src/*) web/index.html web/vite.config.ts web/tsconfig.json
ui: api/ui/dist/index.html

api/ui/dist/index.html: web/node_modules/.package-lock.json $(UI_SRC)
	npm --prefix web run build

web/node_modules/.package-lock.json: web/package.json web/package-lock.json
	npm --prefix web ci --no-audit --no-fund
	touch $@

## docs: the API docs page (Swagger UI from npm, no CDN) from docs-ui/ into api/docsui/dist
DOCS_UI := swagger-ui.css swagger-ui-bundle.js swagger-ui-standalone-preset.js
docs: api/docsui/dist/index.html

api/docsui/dist/index.html: docs-ui/node_modules/.package-lock.json docs-ui/index.html docs-ui/docs-init.js
	cp $(addprefix docs-ui/node_modules/swagger-ui-dist/,$(DOCS_UI)) docs-ui/docs-init.js api/docsui/dist/
	cp docs-ui/index.html $@

docs-ui/node_modules/.package-lock.json: docs-ui/package.json docs-ui/package-lock.json
	npm --prefix docs-ui ci --no-audit --no-fund
	touch $@

## bench: README's numbers on a generated history (LOTS lots, default 1,000,000) on a fresh Neo4j
LOTS ?= 1000000
bench: build
	scripts/bench $(LOTS)

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
	rm -rf bin neo4j-embedded/target web/node_modules api/ui/dist/assets api/ui/dist/index.html \
		docs-ui/node_modules $(addprefix api/docsui/dist/,$(DOCS_UI) docs-init.js index.html)

# Builds and tests use Go 1.27.3: Go 1.26.8's standard library has published advisories.
export GOTOOLCHAIN := go1.27.3
export CGO_ENABLED := 0

BIN := bin/qianfa

.PHONY: run build test test-short vet fmt bench screenshots clean

## run: serve on the embedded SQLite database (data/) with the demo agency and users
run: build
	mkdir -p data
	./$(BIN) serve --demo

build:
	go build -trimpath -o $(BIN) ./cmd/qianfa

## test: every test, with the race detector (which needs cgo for its runtime only)
test:
	CGO_ENABLED=1 go test -race -count=1 -timeout 30m ./...

## test-short: quick tests without the race detector
test-short:
	go test -count=1 ./...

vet:
	go vet ./...

fmt:
	gofmt -l -w $$(git ls-files '*.go')

## bench: micro-benchmarks, then a short load run against the product and the database floor (SQLite)
bench:
	go test -run '^$$' -bench . -benchmem ./report/... ./audit/ ./handlers/
	go run ./cmd/qianfa-bench -db sqlite -agencies 300 -reports 1500 -c 8,64 -duration 3s

## screenshots: regenerate docs/screenshots from the browser tests (needs chromium)
screenshots:
	QIANFA_SCREENSHOTS=$(CURDIR)/docs/screenshots go test -count=1 -run 'TestBrowser' ./handlers/

clean:
	rm -rf bin

# The two commands a newcomer needs: `make run` and `make test`. Both install missing Debian
# packages first. Build trees live in build/<preset>.
JOBS ?= $(shell nproc)
LISTEN ?= 127.0.0.1:8080
DATA_DIR ?= ./data

.PHONY: deps build release run test conformance-deps bench format format-check clean

deps:
	@scripts/install-deps.sh

build: deps
	cmake --preset dev >/dev/null
	cmake --build --preset dev -j $(JOBS)

release: deps
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)

run: release
	build/release/bin/spacestore serve --listen $(LISTEN) --data-dir $(DATA_DIR)

conformance-deps:
	cd tests/conformance && npm ci --no-audit --no-fund --loglevel=error

test: build conformance-deps format-check
	ctest --preset dev -j $(JOBS)

bench:
	@scripts/install-deps.sh --bench
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)
	bench/run.sh build/release/bin/spacestore

SOURCES = $(shell git ls-files --cached --others --exclude-standard '*.h' '*.cc')

format:
	clang-format -i $(SOURCES)

# The house format (.clang-format) is checked, not just recommended.
format-check:
	@command -v clang-format >/dev/null || { echo "format-check: clang-format not installed"; exit 1; }
	@clang-format --dry-run --Werror $(SOURCES) && echo "format-check: ok"

clean:
	rm -rf build

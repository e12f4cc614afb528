# The two commands a newcomer needs: `make run` and `make test`; `make check` runs the quality
# gates CI runs after the tests. All install missing Debian packages first. Build trees live in
# build/<preset>.
JOBS ?= $(shell nproc)
# ccache keys on the compiler's arguments, absolute paths included: with the base dir set to
# the checkout, a clone in another folder (CI's clean clone) reuses what this one compiled.
export CCACHE_BASEDIR ?= $(CURDIR)
# With -g (every preset but release) ccache also hashes the directory it compiles in, so two
# clones never shared an entry: CI's clean clone rebuilt all four trees from scratch. Without it,
# a cached object's debug info names the build directory of the clone that compiled it first.
export CCACHE_NOHASHDIR ?= true
LISTEN ?= 127.0.0.1:8080
DATA_DIR ?= ./data

.PHONY: deps build release run test conformance-deps check check-asan check-tsa check-tidy bench fuzz \
	format format-check clean
# Targets run one after another, in the order written: each build already uses $(JOBS) cores.
.NOTPARALLEL:

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

# The quality gates, in this order (tests/README.md, "Quality gates"):
#   check-asan  the asan-ubsan preset (gcc, ASan + UBSan): every suite, conformance included
#               (its cluster suites are the longest tests). UBSan aborts the process it fires
#               in; ASan and leak reports of every process, servers and CLIs the tests start
#               included, go to $(SANITIZER_LOGS), which must stay empty.
#   check-tsa   the clang-tsa preset: everything compiled by clang, -Wthread-safety -Werror.
#   check-tidy  clang-tidy with .clang-tidy over every .cc under src/ and tools/ but the tests
#               (*_test.cc and their helpers, *_test_*.cc), from the clang-tsa compile database.
# Result<T> is [[nodiscard]] (base/result.h), so every build, gcc or clang, checks that no
# Result is dropped unread.
check: check-asan check-tsa check-tidy

SANITIZER_LOGS = $(CURDIR)/build/asan-ubsan/sanitizer-logs

check-asan: deps conformance-deps
	cmake --preset asan-ubsan >/dev/null
	cmake --build --preset asan-ubsan -j $(JOBS)
	@rm -rf $(SANITIZER_LOGS) && mkdir -p $(SANITIZER_LOGS)
	ASAN_OPTIONS=log_path=$(SANITIZER_LOGS)/asan UBSAN_OPTIONS=print_stacktrace=1 \
	  ctest --preset asan-ubsan -j $(JOBS) || { cat $(SANITIZER_LOGS)/* 2>/dev/null; exit 1; }
	@if [ -n "$$(ls -A $(SANITIZER_LOGS))" ]; then cat $(SANITIZER_LOGS)/*; \
	  echo "check-asan: sanitizer reports above"; exit 1; fi
	@echo "check-asan: ok"

check-tsa: deps
	cmake --preset clang-tsa >/dev/null
	cmake --build --preset clang-tsa -j $(JOBS)
	@echo "check-tsa: ok"

# clang-tidy needs only the compile database, so this configures the clang-tsa tree and does not
# build it.
check-tidy: deps
	cmake --preset clang-tsa >/dev/null
	run-clang-tidy -quiet -j $(JOBS) -p build/clang-tsa '^$(CURDIR)/(src|tools)/(?!.*_test[_.]).*\.cc$$'
	@echo "check-tidy: ok"

bench:
	@scripts/install-deps.sh --bench
	cmake --preset release >/dev/null
	cmake --build --preset release -j $(JOBS)
	bench/run.sh build/release/bin/spacestore

# Every fuzz target for SECONDS seconds each, FUZZ_JOBS at a time (scripts/fuzz.sh; the fuzz
# preset: clang, libFuzzer, ASan, UBSan). A finding fails the run and is copied into the
# target's seed corpus, which every `make test` replays.
SECONDS ?= 60
FUZZ_JOBS ?= 1
fuzz: deps
	cmake --preset fuzz >/dev/null
	cmake --build --preset fuzz -j $(JOBS)
	scripts/fuzz.sh $(SECONDS) $(FUZZ_JOBS)

SOURCES = $(shell git ls-files --cached --others --exclude-standard '*.h' '*.cc')

format:
	clang-format -i $(SOURCES)

# The house format (.clang-format) is checked, not just recommended.
format-check:
	@command -v clang-format >/dev/null || { echo "format-check: clang-format not installed"; exit 1; }
	@clang-format --dry-run --Werror $(SOURCES) && echo "format-check: ok"

clean:
	rm -rf build

# The crash loop (tests/README.md, "Crash loop"): CYCLES SIGKILLs under mixed load, each
# followed by fsck (when the binary has it) and a check of everything acknowledged. `make test`
# runs a 20-cycle one through CTest (label `crash`); SEED=<n> repeats a run's operations.
CYCLES ?= 20
.PHONY: crash-test
crash-test: build
	CYCLES=$(CYCLES) SPACESTORE_BIN=$(CURDIR)/build/dev/bin/spacestore build/dev/bin/crash_loop

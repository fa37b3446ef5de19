# Alongside: the front door. See README.md.
#   make        build build/alongside
#   make run    install what is missing, build, create demo data, serve
#   make test   every test layer on the sanitizer build
#   make bench  load scenarios with wrk (numbers, not pass/fail)
#   make fuzz   run the fuzz targets for FUZZ_SECONDS each
#   make clean  remove build output (var/ and its database stay)

LISTEN ?= 127.0.0.1:8080
DB ?= var/alongside.db
FUZZ_SECONDS ?= 60

.PHONY: all build run test bench fuzz clean

all: build

build:
	@./scripts/deps.sh build
	@[ -f build/build.ninja ] || meson setup build --buildtype=release -Dtests=disabled
	@ninja -C build

run: build
	@./scripts/run.sh "$(DB)" "$(LISTEN)"

test:
	@./scripts/test.sh

bench:
	@./scripts/deps.sh bench
	@./bench/run.sh

fuzz:
	@./scripts/fuzz.sh $(FUZZ_SECONDS)

clean:
	rm -rf build build-asan build-fuzz

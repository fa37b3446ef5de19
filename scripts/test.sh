#!/bin/sh
# make test: builds a normal and a sanitizer (address, undefined) build,
# runs every test layer against the sanitizer build and ends with
# "N passed, N failed". Exit status is non-zero when anything failed.
set -u
cd "$(dirname "$0")/.."
top=$(pwd)

./scripts/deps.sh test || exit 1

set -e
[ -f build/build.ninja ] || meson setup build --buildtype=release >/dev/null
ninja -C build >/dev/null
[ -f build-asan/build.ninja ] || meson setup build-asan \
	-Db_sanitize=address,undefined -Db_lundef=false >/dev/null
ninja -C build-asan >/dev/null
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz \
	-Dfuzz=true -Dtests=disabled -Db_sanitize=address,undefined \
	-Db_lundef=false >/dev/null
ninja -C build-fuzz >/dev/null
set +e

export ASAN_OPTIONS="detect_leaks=1:abort_on_error=0:halt_on_error=1"
export UBSAN_OPTIONS="halt_on_error=1:print_stacktrace=1"
export ALONGSIDE_BIN="$top/build-asan/alongside"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

passed=0
failed=0

# count LAYER LOG STATUS: adds the log's "ok"/"not ok" lines to the totals;
# a layer that failed without naming a failing test counts as one failure.
count() {
	ok=$(grep -c '^ok ' "$2")
	bad=$(grep -c '^not ok ' "$2")
	if [ "$3" -ne 0 ] && [ "$bad" -eq 0 ]; then
		bad=1
		echo "not ok - $1 exited with status $3" >> "$2"
	fi
	passed=$((passed + ok))
	failed=$((failed + bad))
	echo "== $1: $ok passed, $bad failed"
	grep -E "^(ok|not ok) " "$2"
	grep -A25 "^not ok " "$2" | grep -vE "^(ok|not ok) " | head -150
}

echo "== unit tests (cmocka, sanitizer build)"
for t in build-asan/test_*; do
	[ -f "$t" ] && [ -x "$t" ] || continue
	name=$(basename "$t")
	CMOCKA_MESSAGE_OUTPUT=TAP "$t" > "$out/$name.log" 2>&1
	count "unit/$name" "$out/$name.log" $?
done

echo "== API and command-line tests (real server on loopback)"
node tests/run.mjs tests/api/*.test.mjs > "$out/api.log" 2>&1
count api "$out/api.log" $?

echo "== browser tests (Chromium)"
if ls tests/e2e/*.test.mjs >/dev/null 2>&1; then
	node tests/run.mjs tests/e2e/*.test.mjs > "$out/e2e.log" 2>&1
	count e2e "$out/e2e.log" $?
else
	echo "(no browser tests yet)"
fi

echo "== fuzz targets over their corpora"
for f in build-fuzz/fuzz_*; do
	[ -f "$f" ] && [ -x "$f" ] || continue
	name=$(basename "$f")
	corpus="tests/fuzz/corpus/${name#fuzz_}"
	# New inputs go to a scratch directory, not into the tree.
	mkdir -p "$out/$name.new"
	if "$f" -runs=20000 -max_len=4096 "$out/$name.new" "$corpus" \
		> "$out/$name.log" 2>&1
	then
		echo "ok - fuzz/$name" >> "$out/$name.log"
	else
		echo "not ok - fuzz/$name" >> "$out/$name.log"
	fi
	count "fuzz/$name" "$out/$name.log" 0
done

echo
echo "$passed passed, $failed failed"
[ "$failed" -eq 0 ]

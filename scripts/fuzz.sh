#!/bin/sh
# make fuzz: runs each libFuzzer target for SECONDS (default 60), keeping
# what it finds in tests/fuzz/corpus/<name>/ and crashes in build-fuzz/.
set -eu
cd "$(dirname "$0")/.."
seconds=${1:-60}
./scripts/deps.sh fuzz
[ -f build-fuzz/build.ninja ] || CC=clang meson setup build-fuzz \
	-Dfuzz=true -Dtests=disabled -Db_sanitize=address,undefined \
	-Db_lundef=false >/dev/null
ninja -C build-fuzz >/dev/null
status=0
for f in build-fuzz/fuzz_*; do
	[ -f "$f" ] && [ -x "$f" ] || continue
	name=$(basename "$f")
	echo "== $name for ${seconds}s"
	"$f" -max_total_time="$seconds" -max_len=4096 \
		-artifact_prefix=build-fuzz/"$name"- \
		"tests/fuzz/corpus/${name#fuzz_}" 2>&1 | tail -3 || status=1
done
exit $status

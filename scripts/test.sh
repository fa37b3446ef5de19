#!/bin/sh
# make test: builds a normal and a sanitizer (address, undefined) build,
# runs every test layer against the sanitizer build and ends with
# "N passed, N failed". Exit status is non-zero when anything failed.
# The API and command-line suite runs twice: on SQLite, and on PostgreSQL
# in a throwaway cluster this script starts and always removes.
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
# Only the PostgreSQL pass below names a cluster.
unset ALONGSIDE_TEST_PG
out=$(mktemp -d)

# A throwaway PostgreSQL cluster: initdb into a temporary directory, a
# free loopback port, trust for 127.0.0.1 and a socket in that (0700)
# directory only, durability off (nothing in it outlives the run).
pgbin=${PG_BINDIR:-/usr/lib/postgresql/15/bin}
pgdir=""
pgport=""

# as_pg CMD...: runs CMD as the cluster's owner. initdb refuses root, so
# under root (as in CI) the cluster belongs to the postgres system user.
as_pg() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

free_port() {
	node -e 'const s = require("net").createServer();
		s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# pg_start: sets pgdir and pgport; non-zero when the cluster is not up.
pg_start() {
	pgdir=$(mktemp -d "${TMPDIR:-/tmp}/alongside-pg-XXXXXX") || return 1
	if [ "$(id -u)" -eq 0 ]; then
		chown postgres "$pgdir" || return 1
	fi
	as_pg "$pgbin/initdb" -D "$pgdir/data" -U postgres -A trust -E UTF8 \
		--locale=C.UTF-8 --no-sync > "$pgdir/initdb.log" 2>&1 || return 1
	as_pg sh -c 'printf "local all all trust\nhost all all 127.0.0.1/32 trust\n" > "$1"' \
		sh "$pgdir/data/pg_hba.conf" || return 1
	# A port free a moment ago may be taken by the time the server binds:
	# try a few.
	for try in 1 2 3; do
		pgport=$(free_port) || return 1
		if as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -l "$pgdir/server.log" \
			-w -t 60 -o "-p $pgport -k '$pgdir' \
			-c listen_addresses=127.0.0.1 -c max_connections=300 \
			-c fsync=off -c synchronous_commit=off -c full_page_writes=off" \
			start > /dev/null 2>&1
		then
			return 0
		fi
	done
	return 1
}

# pg_stop: stops the cluster at once (nothing in it is kept) and removes
# its directory; does nothing when none was started.
pg_stop() {
	[ -n "$pgdir" ] || return 0
	if [ -f "$pgdir/data/postmaster.pid" ]; then
		pid=$(head -n 1 "$pgdir/data/postmaster.pid")
		as_pg "$pgbin/pg_ctl" -D "$pgdir/data" -m immediate -w stop \
			> /dev/null 2>&1 || kill -9 "$pid" 2>/dev/null
	fi
	rm -rf "$pgdir"
	pgdir=""
}

cleanup() {
	pg_stop
	rm -rf "$out"
}
trap cleanup EXIT
trap 'exit 129' HUP
trap 'exit 130' INT
trap 'exit 143' TERM

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

echo "== API and command-line tests on SQLite (real server on loopback)"
node tests/run.mjs tests/api/*.test.mjs > "$out/api-sqlite.log" 2>&1
count api/sqlite "$out/api-sqlite.log" $?

echo "== API and command-line tests on PostgreSQL (a throwaway cluster)"
if pg_start; then
	ALONGSIDE_TEST_PG="postgresql://postgres@127.0.0.1:$pgport" \
		node tests/run.mjs tests/api/*.test.mjs > "$out/api-postgresql.log" 2>&1
	count api/postgresql "$out/api-postgresql.log" $?
else
	# No cluster is a failure of the run, not a skip.
	{
		echo "not ok - a PostgreSQL cluster could not be started in $pgdir"
		tail -n 20 "$pgdir/initdb.log" "$pgdir/server.log" 2>/dev/null |
			sed 's/^/  # /'
	} > "$out/api-postgresql.log"
	count api/postgresql "$out/api-postgresql.log" 1
fi
pg_stop

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

#!/bin/sh
# Installs the Debian packages a make target needs; idempotent.
# usage: scripts/deps.sh build|test|bench|fuzz|all
set -eu

need=${1:-build}

# libqrencode-dev brings libqrencode4, which the binary needs at run time.
build_pkgs="gcc make pkg-config meson ninja-build libmicrohttpd-dev libjansson-dev libsqlite3-dev libpq-dev libsodium-dev libqrencode-dev"
# make test runs the API suite on SQLite and on a throwaway PostgreSQL
# cluster (postgresql-15: initdb, pg_ctl; the client: psql, pg_dump,
# pg_restore).
test_pkgs="$build_pkgs libcmocka-dev clang libclang-rt-14-dev sqlite3 postgresql-15 postgresql-client-15 chromium curl ca-certificates openssl"
bench_pkgs="$build_pkgs wrk curl postgresql-15 postgresql-client-15"
fuzz_pkgs="$build_pkgs clang libclang-rt-14-dev"

case "$need" in
build) pkgs=$build_pkgs ;;
test) pkgs=$test_pkgs ;;
bench) pkgs=$bench_pkgs ;;
fuzz) pkgs=$fuzz_pkgs ;;
all) pkgs="$test_pkgs wrk" ;;
*) echo "usage: $0 build|test|bench|fuzz|all" >&2; exit 2 ;;
esac

as_root() {
	if [ "$(id -u)" -eq 0 ]; then
		"$@"
	elif command -v sudo >/dev/null 2>&1; then
		sudo "$@"
	else
		echo "deps: need root or sudo to run: $*" >&2
		exit 1
	fi
}

missing=""
for p in $pkgs; do
	if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed"; then
		missing="$missing $p"
	fi
done

# Node and npm drive the browser tests; a machine may already carry them
# from another source, in which case Debian's packages would conflict.
if [ "$need" = test ] || [ "$need" = all ]; then
	command -v node >/dev/null 2>&1 || missing="$missing nodejs"
	command -v npm >/dev/null 2>&1 || missing="$missing npm"
fi

if [ -n "$missing" ]; then
	echo "deps: installing$missing"
	as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
	# shellcheck disable=SC2086
	as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q --no-install-recommends $missing
fi

if [ "$need" = test ] || [ "$need" = all ]; then
	top=$(cd "$(dirname "$0")/.." && pwd)
	if [ ! -d "$top/tests/e2e/node_modules/playwright-core" ]; then
		echo "deps: installing playwright-core into tests/e2e"
		(cd "$top/tests/e2e" && npm install --no-audit --no-fund --silent)
	fi
fi

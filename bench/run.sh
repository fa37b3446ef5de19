#!/bin/sh
# Load scenarios for Alongside with wrk. Prints requests/s, p50 and p99
# latency per scenario and the server's peak memory. Numbers, not pass or
# fail: tests never depend on speed.
#
#   make bench                       # 10,000 people, 30 s per scenario
#   BENCH_PEOPLE=100000 BENCH_SECONDS=60 make bench
#
# Environment: BENCH_PEOPLE, BENCH_SECONDS, BENCH_CONNECTIONS,
# BENCH_THREADS (wrk threads), BENCH_PORT, BENCH_SERVER_THREADS.
set -eu
cd "$(dirname "$0")/.."

people=${BENCH_PEOPLE:-10000}
seconds=${BENCH_SECONDS:-30}
conns=${BENCH_CONNECTIONS:-32}
wthreads=${BENCH_THREADS:-2}
port=${BENCH_PORT:-18480}
pw=bench-password-not-real
data=bench/data
db=$data/bench-$people.db
results=bench/results
url=http://127.0.0.1:$port

[ -f build/build.ninja ] || meson setup build --buildtype=release -Dtests=disabled >/dev/null
ninja -C build >/dev/null
bin=./build/alongside
mkdir -p "$data" "$results"

if [ ! -f "$db" ]; then
	echo "generating $people people into $db"
	start=$(date +%s)
	"$bin" demo --db "$db" --password "$pw" --people "$people" >/dev/null
	echo "generated in $(( $(date +%s) - start )) s"
fi

sthreads=${BENCH_SERVER_THREADS:-}
"$bin" serve --db "$db" --listen "127.0.0.1:$port" --quiet \
	${sthreads:+--threads "$sthreads"} > "$results/server.log" 2>&1 &
pid=$!
trap 'kill "$pid" 2>/dev/null || true' EXIT INT TERM
for i in $(seq 1 100); do
	curl -fs "$url/healthz" >/dev/null 2>&1 && break
	sleep 0.1
done

# Sign in as a peer specialist; keep the cookie for wrk.
cookie=$(curl -fs -D - -o /dev/null -H 'Content-Type: application/json' \
	-d "{\"username\":\"peer.north\",\"password\":\"$pw\"}" \
	"$url/api/v1/session" | sed -n 's/^[Ss]et-[Cc]ookie: \(alongside_session=[^;]*\).*/\1/p')
[ -n "$cookie" ] || { echo "sign-in failed" >&2; exit 1; }

# Person ids on the peer's roster (up to 2,000), for the read scenario.
ids=$results/ids.txt
: > "$ids"
after=
while [ "$(wc -l < "$ids")" -lt 2000 ]; do
	page=$(curl -fs -H "Cookie: $cookie" "$url/api/v1/people?limit=200${after:+&after=$after}")
	echo "$page" | grep -o '"id":"[0-9a-f-]*"' | cut -d'"' -f4 >> "$ids"
	after=$(echo "$page" | sed -n 's/.*"next":"\([0-9a-f-]*\)".*/\1/p')
	[ -n "$after" ] || break
done

export BENCH_COOKIE="$cookie" BENCH_IDS="$ids"
report() {
	name=$1
	shift
	wrk -t "$wthreads" -c "$conns" -d "${seconds}s" --latency "$@" \
		> "$results/$name.txt" 2>&1
	rps=$(sed -n 's/^Requests\/sec: *//p' "$results/$name.txt")
	p50=$(awk '$1 == "50%" { print $2 }' "$results/$name.txt")
	p99=$(awk '$1 == "99%" { print $2 }' "$results/$name.txt")
	non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$results/$name.txt")
	printf '%-28s %10s req/s   p50 %-9s p99 %-9s %s\n' "$name" "$rps" \
		"$p50" "$p99" "${non2xx:+($non2xx non-2xx!)}"
}

echo
echo "Alongside $(git rev-parse --short HEAD 2>/dev/null || echo '?'), $people people, $(nproc) cores, wrk -t$wthreads -c$conns -d${seconds}s"
report "healthz (no session)" "$url/healthz"
report "roster page (50 people)" -s bench/roster.lua "$url"
report "roster search (q=jo)" -s bench/search.lua "$url"
report "person read (audited)" -s bench/person.lua "$url"
hwm=$(awk '/VmHWM/ { print $2 " " $3 }' "/proc/$pid/status")
rss=$(awk '/VmRSS/ { print $2 " " $3 }' "/proc/$pid/status")
echo "server memory: $rss resident now, $hwm at peak (a sign-in's argon2id hash takes 64 MiB while it runs)"

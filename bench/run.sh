#!/bin/sh
# Load scenarios for Alongside with wrk, on SQLite and on PostgreSQL: the
# signed-in roster page, a roster name search, a person read and a person
# update (both audited), the language coach's check of a note, a group
# session of 10 read with each attendee's billing worked out (audited for
# each), searches of the resource directory (20,000 services: words,
# category and language, near a postal code or a point, open now, all of
# them at once; bench/resources.lua), and /healthz. For each backend it prints requests/s, p50 and p99 latency and
# the non-2xx count per scenario, the server process's memory, and every
# command it ran. Numbers, not pass or fail: tests never depend on speed.
#
#   make bench                        # scale 0.05: 10 teams, 102 staff,
#                                     # 5,000 people, 100,000 audit entries;
#                                     # 15 s a scenario, both backends
#   BENCH_SCALE=1 BENCH_SECONDS=30 make bench
#                                     # the state-sized network: 200 teams,
#                                     # 2,002 staff, 100,000 people,
#                                     # 2,000,000 audit entries (generating
#                                     # takes about 1.5 min on SQLite and
#                                     # 7 min on PostgreSQL, once)
#   BENCH_BACKENDS=sqlite make bench  # one backend
#   BENCH_MODELS=both make bench      # also the other --thread-model
#   BENCH_PG=postgresql://USER@HOST:PORT make bench
#                                     # an existing PostgreSQL server
#
# The data: build/bench-generate (bench/generate.c, built with the program
# and never installed) makes a fictional state-wide network through the
# core functions:
#   build/bench-generate --db FILE|postgresql://... --scale S --services N
# Each team has about 500 people at every scale; the bench signs in as
# peer.north, a peer specialist on team north. The resource directory has
# BENCH_SERVICES services (20,000 at every scale; 0 leaves the directory
# and its scenarios out). A generated database is kept and reused: SQLite
# as bench/data/state-SCALE-sSERVICES.db, PostgreSQL as the database
# alongside_bench_SCALE_sSERVICES. Each run works on a fresh copy of it
# (bench/data/run.db; the database alongside_bench_run, made with
# CREATE DATABASE ... TEMPLATE), so runs do not drift as updates and audit
# entries pile up.
#
# PostgreSQL: without BENCH_PG the script starts a throwaway cluster
# (initdb into a temporary directory, 127.0.0.1:BENCH_PG_PORT, as the
# postgres user when run as root) and removes it at the end, even on
# failure; its generated database goes with it. BENCH_PG names a server
# (any database in the URI is ignored) where the user may create
# databases; the generated database stays there for the next run.
#
# Environment: BENCH_SCALE (0.05), BENCH_SERVICES (20000), BENCH_SECONDS (15), BENCH_CONNECTIONS
# (32), BENCH_THREADS (wrk threads, 2), BENCH_PORT (18480), BENCH_BACKENDS
# ("sqlite postgresql"), BENCH_MODELS ("default" or "both"), BENCH_PG,
# BENCH_PG_PORT (55790), BENCH_PG_BIN (PostgreSQL's initdb and pg_ctl),
# BENCH_SERVER_THREADS (serve --threads), BENCH_DB_CONNECTIONS
# (serve --db-connections), ALONGSIDE_KEY_FILE (the key file sealing every
# database the bench makes; default bench/data/bench.key, kept with them:
# remove it only with them).
set -eu
cd "$(dirname "$0")/.."

scale=${BENCH_SCALE:-0.05}
services=${BENCH_SERVICES:-20000}
seconds=${BENCH_SECONDS:-15}
conns=${BENCH_CONNECTIONS:-32}
wthreads=${BENCH_THREADS:-2}
port=${BENCH_PORT:-18480}
backends=${BENCH_BACKENDS:-sqlite postgresql}
models=${BENCH_MODELS:-default}
pgport=${BENCH_PG_PORT:-55790}
sthreads=${BENCH_SERVER_THREADS:-}
dbconns=${BENCH_DB_CONNECTIONS:-}
pw=bench-password-not-real
data=bench/data
# One key file seals every database the bench makes (generated, copied,
# served); it is kept beside them in bench/data.
export ALONGSIDE_KEY_FILE="${ALONGSIDE_KEY_FILE:-$(pwd)/$data/bench.key}"
results=bench/results
url=http://127.0.0.1:$port
tag=$(echo "$scale" | tr . _)_s$services

[ -f build/build.ninja ] || meson setup build --buildtype=release -Dtests=disabled >/dev/null
ninja -C build >/dev/null
bin=./build/alongside
gen=./build/bench-generate
mkdir -p "$data" "$results"
summary=$results/summary.txt
: > "$summary"

pid=
pgtmp=
cleanup() {
	[ -z "$pid" ] || kill "$pid" 2>/dev/null || true
	if [ -n "$pgtmp" ]; then
		as_postgres "$pgbin/pg_ctl" -D "$pgtmp/data" -m immediate \
		    -w stop >/dev/null 2>&1 || true
		rm -rf "$pgtmp"
	fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

say() {
	echo "\$ $*"
}

# psql without ~/.psqlrc, quiet, stopping at the first error.
pgsql() {
	PGOPTIONS='-c client_min_messages=warning' psql -X -q \
	    -v ON_ERROR_STOP=1 "$@"
}

as_postgres() {
	if [ "$(id -u)" -eq 0 ]; then
		runuser -u postgres -- "$@"
	else
		"$@"
	fi
}

# Runs a command, timing it; prints the command first.
timed() {
	say "$@"
	t0=$(date +%s)
	"$@"
	echo "($(( $(date +%s) - t0 )) s)"
}

sqlite_db() {
	pristine=$data/state-$scale-s$services.db
	if [ ! -f "$pristine" ]; then
		rm -f "$pristine.new" "$pristine.new-wal" "$pristine.new-shm"
		timed "$gen" --db "$pristine.new" --scale "$scale" \
		    --services "$services"
		timed "$bin" audit verify --db "$pristine.new"
		mv "$pristine.new" "$pristine"
	fi
	# A database kept from an older build gets this build's schema.
	"$bin" migrate --db "$pristine" >/dev/null
	echo "database: $pristine, $(du -h "$pristine" | cut -f1)"
}

# PostgreSQL: a server URI in $pgserver, started here unless BENCH_PG.
pg_server() {
	if [ -n "${BENCH_PG:-}" ]; then
		case $BENCH_PG in
		*://*/*) pgserver=${BENCH_PG%/*} ;;
		*) pgserver=$BENCH_PG ;;
		esac
		return 0
	fi
	pgbin=${BENCH_PG_BIN:-$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)}
	if [ ! -x "$pgbin/initdb" ]; then
		echo "no PostgreSQL server (initdb) found: set BENCH_PG_BIN or BENCH_PG," >&2
		echo "or BENCH_BACKENDS=sqlite" >&2
		exit 1
	fi
	pgtmp=$(mktemp -d /tmp/alongside-bench-pg.XXXXXX)
	[ "$(id -u)" -ne 0 ] || chown postgres "$pgtmp"
	as_postgres "$pgbin/initdb" -D "$pgtmp/data" -U postgres -A trust \
	    --no-sync >/dev/null
	say "$pgbin/pg_ctl" start -o "-p $pgport -k $pgtmp -c listen_addresses=127.0.0.1 -c shared_buffers=256MB"
	as_postgres "$pgbin/pg_ctl" -D "$pgtmp/data" -l "$pgtmp/log" -w \
	    -o "-p $pgport -k $pgtmp -c listen_addresses=127.0.0.1 -c shared_buffers=256MB" \
	    start >/dev/null
	pgserver=postgresql://postgres@127.0.0.1:$pgport
}

pg_db() {
	pg_server
	pristine=alongside_bench_$tag
	have=$(pgsql "$pgserver/postgres" -tAc \
	    "SELECT 1 FROM pg_database WHERE datname = '$pristine'")
	if [ -n "$have" ]; then
		got=$(pgsql "$pgserver/$pristine" -tAc \
		    "SELECT string_agg(value, ' ' ORDER BY name) FROM setting WHERE name IN ('bench_scale', 'bench_services')" \
		    2>/dev/null || true)
		if [ "$got" != "$scale $services" ]; then
			echo "$pgserver/$pristine is not a finished scale $scale network with $services services; drop it to make it again" >&2
			exit 1
		fi
	else
		pgsql "$pgserver/postgres" -c "CREATE DATABASE $pristine"
		if ! timed "$gen" --db "$pgserver/$pristine" --scale "$scale" \
		    --services "$services"; then
			pgsql "$pgserver/postgres" -c "DROP DATABASE $pristine"
			exit 1
		fi
		timed "$bin" audit verify --db "$pgserver/$pristine"
	fi
	"$bin" migrate --db "$pgserver/$pristine" >/dev/null
	echo "database: $pgserver/$pristine, $(pgsql "$pgserver/postgres" -tAc \
	    "SELECT pg_size_pretty(pg_database_size('$pristine'))")"
}

# A fresh working copy of the generated database for one run.
fresh_copy() {
	if [ "$backend" = sqlite ]; then
		rm -f "$data/run.db" "$data/run.db-wal" "$data/run.db-shm"
		cp "$pristine" "$data/run.db"
		dburi=$data/run.db
	else
		pgsql "$pgserver/postgres" \
		    -c "DROP DATABASE IF EXISTS alongside_bench_run" \
		    -c "CREATE DATABASE alongside_bench_run TEMPLATE $pristine STRATEGY file_copy"
		dburi=$pgserver/alongside_bench_run
	fi
}

start_server() {
	set -- serve --db "$dburi" --listen "127.0.0.1:$port" --quiet \
	    --thread-model "$model" ${sthreads:+--threads "$sthreads"} \
	    ${dbconns:+--db-connections "$dbconns"}
	say "$bin" "$@"
	"$bin" "$@" > "$out/server.log" 2>&1 &
	pid=$!
	for _ in $(seq 1 100); do
		curl -fs "$url/healthz" >/dev/null 2>&1 && return 0
		sleep 0.1
	done
	echo "the server did not start; see $out/server.log" >&2
	return 1
}

stop_server() {
	kill "$pid" 2>/dev/null || true
	wait "$pid" 2>/dev/null || true
	pid=
}

# Signs in as peer.north: the cookie and CSRF token for wrk.
sign_in() {
	say curl -d '{"username":"peer.north","password":"..."}' "$url/api/v1/session"
	curl -fs -D "$out/signin.head" -o "$out/signin.json" \
	    -H 'Content-Type: application/json' \
	    -d "{\"username\":\"peer.north\",\"password\":\"$pw\"}" \
	    "$url/api/v1/session" || { echo "sign-in failed" >&2; return 1; }
	BENCH_COOKIE=$(sed -n 's/^[Ss]et-[Cc]ookie: \(alongside_session=[^;]*\).*/\1/p' "$out/signin.head")
	BENCH_CSRF=$(sed -n 's/.*"csrf_token":"\([^"]*\)".*/\1/p' "$out/signin.json")
	[ -n "$BENCH_COOKIE" ] && [ -n "$BENCH_CSRF" ] || { echo "sign-in failed" >&2; return 1; }
	export BENCH_COOKIE BENCH_CSRF
}

# "id version" of the people on the roster (up to 2,000), as they are now.
collect_ids() {
	ids=$out/ids.txt
	: > "$ids"
	after=
	while [ "$(wc -l < "$ids")" -lt 2000 ]; do
		page=$(curl -fs -H "Cookie: $BENCH_COOKIE" \
		    "$url/api/v1/people?limit=200${after:+&after=$after}")
		echo "$page" | grep -o '"id":"[0-9a-f-]*","version":[0-9]*' |
		    sed 's/"id":"\([^"]*\)","version":\(.*\)/\1 \2/' >> "$ids"
		after=$(echo "$page" | sed -n 's/.*"next":"\([0-9a-f-]*\)".*/\1/p')
		[ -n "$after" ] || break
	done
	export BENCH_IDS=$ids BENCH_THREADS=$wthreads
}

# A wellness group of team north with a draft session of 10 people from
# the roster, all present with a note each: its path in BENCH_SESSION for
# bench/group.lua. Reading it works out each attendee's billing on their
# day and is audited once for each of them.
group_session() {
	h="-H Cookie:$BENCH_COOKIE -H X-CSRF-Token:$BENCH_CSRF -H Content-Type:application/json"
	gid=$(curl -fs $h -d '{"team":"north","name":"Bench wellness group","curriculum":"wellness_coaching","location":"Community room"}' \
	    "$url/api/v1/groups" | sed -n 's/^{"id":"\([0-9a-f-]*\)".*/\1/p')
	att=$(head -n 10 "$ids" | awk '{ printf "%s{\"person_id\":\"%s\",\"present\":true,\"note\":\"Shared what helps on a hard day.\",\"next_steps\":\"Come next week.\"}", (NR > 1 ? "," : ""), $1 }')
	now=$(date -u +%s)
	start=$(date -u -d "@$((now - 7200))" +%Y-%m-%dT%H:%M:00Z)
	end=$(date -u -d "@$((now - 3600))" +%Y-%m-%dT%H:%M:00Z)
	sid=$(curl -fs $h -d "{\"started_at\":\"$start\",\"ended_at\":\"$end\",\"narrative\":\"Talked about stress and practised a breathing exercise.\",\"attendance\":[$att]}" \
	    "$url/api/v1/groups/$gid/sessions" | sed -n 's/^{"id":"\([0-9a-f-]*\)".*/\1/p')
	[ -n "$gid" ] && [ -n "$sid" ] || { echo "group session set-up failed" >&2; return 1; }
	export BENCH_SESSION=/api/v1/groups/$gid/sessions/$sid
}

# CPU time in clock ticks, to tell how much of the machine other work took
# during a scenario: the machine's busy time (with the time a hypervisor
# gave to other guests) and its total, and the time of the given
# processes (the server and the PostgreSQL backends serving it).
cpu_machine() {
	awk '/^cpu / { print $2 + $3 + $4 + $7 + $8 + $9, $2 + $3 + $4 + $5 + $6 + $7 + $8 + $9 }' /proc/stat
}
cpu_procs() {
	for p in "$@"; do
		[ ! -r "/proc/$p/stat" ] || sed 's/.*) //' "/proc/$p/stat"
	done | awk '{ s += $12 + $13 } END { print s + 0 }'
}
# This shell's children (wrk, curl, psql) so far, in ticks; in $ticks,
# since `times` in a pipe or $(...) would see a subshell's.
cpu_children() {
	times > "$results/.times"
	ticks=$(awk -v hz="$(getconf CLK_TCK)" 'NR == 2 {
		n = split($0, f, /[ms ]+/); t = 0
		for (i = 1; i + 1 <= n; i += 2) t += f[i] * 60 + f[i + 1]
		print int(t * hz) }' "$results/.times")
}
our_pids() {
	echo "$pid"
	[ "$backend" != postgresql ] || pgsql "$pgserver/postgres" -tAc \
	    "SELECT pid FROM pg_stat_activity WHERE datname = 'alongside_bench_run'"
}

scenario() {
	name=$1
	file=$out/$(echo "$name" | tr 'A-Z' 'a-z' | tr -cs 'a-z0-9\n' '-').txt
	shift
	say wrk -t "$wthreads" -c "$conns" -d "${seconds}s" --latency "$@"
	pids=$(our_pids | tr '\n' ' ')
	m0=$(cpu_machine)
	o0=$(cpu_procs $pids)
	cpu_children
	c0=$ticks
	wrk -t "$wthreads" -c "$conns" -d "${seconds}s" --latency "$@" \
	    > "$file" 2>&1 || true
	# Backends opened during the run count from zero.
	pids=$(our_pids | tr '\n' ' ')
	o1=$(cpu_procs $pids)
	cpu_children
	c1=$ticks
	m1=$(cpu_machine)
	others=$(echo "$m0 $m1 $o0 $o1 $c0 $c1" | awk '{
		busy = $3 - $1; total = $4 - $2; ours = ($6 - $5) + ($8 - $7)
		o = total > 0 ? 100 * (busy - ours) / total : 0
		printf "%d%%", o < 0 ? 0 : o }')
	rps=$(sed -n 's/^Requests\/sec: *//p' "$file")
	p50=$(awk '$1 == "50%" { print $2 }' "$file")
	p99=$(awk '$1 == "99%" { print $2 }' "$file")
	non2xx=$(sed -n 's/^ *Non-2xx or 3xx responses: *//p' "$file")
	errs=$(sed -n 's/^ *Socket errors: *//p' "$file")
	printf '  %-32s %9s req/s  p50 %-9s p99 %-9s non-2xx %-5s other CPU %s%s\n' \
	    "$name" "${rps:-?}" "${p50:-?}" "${p99:-?}" "${non2xx:-0}" \
	    "$others" "${errs:+  socket errors: $errs}"
	printf '%s|%s|%s|%s|%s|%s|%s\n' "$label" "$name" "${rps:-?}" \
	    "${p50:-?}" "${p99:-?}" "${non2xx:-0}" "$others" >> "$summary"
}

# The scenario's name for a kind of bench/resources.lua.
dir_label() {
	case $1 in
	category) echo "category+lang" ;;
	postal) echo "near postal" ;;
	point) echo "near point" ;;
	open) echo "open now" ;;
	*) echo "$1" ;;
	esac
}

run_backend() {
	backend=$1
	case $backend in
	sqlite) default=pool other=per-connection ;;
	postgresql) default=per-connection other=pool ;;
	*) echo "no backend $backend" >&2; exit 2 ;;
	esac
	echo
	echo "== $backend, scale $scale"
	if [ "$backend" = sqlite ]; then sqlite_db; else pg_db; fi
	list=$default
	[ "$models" != both ] || list="$default $other"
	for model in $list; do
		label="$backend $model"
		out=$results/$backend-$model
		mkdir -p "$out"
		echo
		echo "-- $label$([ "$model" = "$default" ] && echo ' (default)' || true)"
		fresh_copy
		start_server
		sign_in
		# A sign-in's argon2id hash takes 64 MiB while it runs; start
		# the peak over (Linux clear_refs) to see the scenarios' own.
		echo 5 > "/proc/$pid/clear_refs" 2>/dev/null || true
		collect_ids
		echo "  signed in as peer.north; $(wc -l < "$ids") people on the roster"
		scenario "healthz (no session)" "$url/healthz"
		scenario "roster page (50 people)" -s bench/roster.lua "$url"
		scenario "roster search (q=jo)" -s bench/search.lua "$url"
		scenario "person read (audited)" -s bench/person.lua "$url"
		scenario "language check (1.4k chars)" -s bench/language.lua "$url"
		group_session
		scenario "group session read (10)" -s bench/group.lua "$url"
		if [ "$services" -gt 0 ]; then
			for kind in words category postal point open combined; do
				scenario "directory search: $(dir_label $kind)" \
				    -s bench/resources.lua "$url" -- "$kind"
			done
		fi
		collect_ids
		scenario "person update (PATCH)" -s bench/update.lua "$url"
		rss=$(awk '/VmRSS/ { print $2 " " $3 }' "/proc/$pid/status")
		hwm=$(awk '/VmHWM/ { print $2 " " $3 }' "/proc/$pid/status")
		echo "  server memory: VmRSS $rss after the run, VmHWM $hwm at peak after sign-in"
		printf '%s|memory VmRSS / VmHWM|%s / %s|||\n' "$label" "$rss" \
		    "$hwm" >> "$summary"
		stop_server
	done
}

echo "Alongside $(git rev-parse --short HEAD 2>/dev/null || echo '?'), scale $scale, $services directory services, $(nproc) cores, wrk -t$wthreads -c$conns -d${seconds}s"
for b in $backends; do
	run_backend "$b"
done

echo
echo "== summary: requests/s, p50, p99, non-2xx, and the share of the"
echo "   machine's CPU other work took meanwhile (high: the numbers are low)"
awk -F'|' '{ if ($1 != last) { print "-- " $1; last = $1 }
	if ($4 == "") printf "  %-32s %s\n", $2, $3
	else printf "  %-32s %10s req/s %10s %10s %6s %5s\n", $2, $3, $4, $5, $6, $7 }' "$summary"

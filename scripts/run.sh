#!/bin/sh
# make run: demo data on first use, then serve. usage: run.sh DB LISTEN
set -eu
db=$1
listen=$2
bin=./build/alongside
signins="$(dirname "$db")/demo-sign-ins.txt"

mkdir -p "$(dirname "$db")"
if [ ! -f "$db" ]; then
	umask 077
	"$bin" demo --db "$db" > "$signins"
else
	# A database from an older build: bring its schema and rule sets up
	# to this one (a no-op when they are current).
	"$bin" migrate --db "$db" > /dev/null
fi
echo
echo "Alongside: http://$listen"
echo
if [ -f "$signins" ]; then
	cat "$signins"
else
	echo "(no demo sign-ins recorded for $db)"
fi
echo
echo "Stop with Ctrl-C."
exec "$bin" serve --db "$db" --listen "$listen"

-- A draft group session of 10 people, all present (made by bench/run.sh
-- through the API): GET works out each attendee's billing among their
-- notes of the day and audits the read once for each of them.
dofile("bench/common.lua")
wrk.path = os.getenv("BENCH_SESSION")

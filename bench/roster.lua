-- The signed-in team roster, first page of 50.
dofile("bench/common.lua")
wrk.path = "/api/v1/people?limit=50"

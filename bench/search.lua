-- Roster name search by prefix.
dofile("bench/common.lua")
wrk.path = "/api/v1/people?q=jo&limit=50"

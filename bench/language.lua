-- The language coach as a note is typed: POST /api/v1/language/check with
-- a 1,400-character note holding a few terms to reconsider, a quotation
-- and an organisation's name. Not audited and writes nothing.
dofile("bench/common.lua")
local para = "We met at the library and talked through the week. " ..
  "They said \"I was an addict for years\" and laughed about it. " ..
  "We looked at Narcotics Anonymous meetings near the bus line. " ..
  "Staff at the shelter called them non-compliant, which they did not " ..
  "like; they are working on their own plan and chose two goals. "
local text = para .. para .. para .. para .. para
wrk.method = "POST"
wrk.path = "/api/v1/language/check"
wrk.headers["Content-Type"] = "application/json"
wrk.headers["X-CSRF-Token"] = os.getenv("BENCH_CSRF")
wrk.body = '{"text":"' .. text:gsub('"', '\\"') .. '"}'

-- Person updates: PATCH a phone number with If-Match, as a peer saving a
-- form does. BENCH_IDS holds "id version" lines. Each wrk thread owns a
-- disjoint share of the people (line k goes to thread k mod
-- BENCH_THREADS), a person never has two requests in flight, and the
-- version comes from the ETag of the last answer, so connections never
-- trip over each other's versions: any 412 in the non-2xx count is a
-- real lost race, not the bench's own.
dofile("bench/common.lua")
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("slice", counter)
end

local queue, version, busy = {}, {}, {}
local head = 1

function init(args)
  local n = tonumber(os.getenv("BENCH_THREADS") or "1")
  local k = 0
  for line in io.lines(os.getenv("BENCH_IDS")) do
    local id, v = line:match("^(%S+) (%d+)$")
    if id then
      if k % n == (slice or 1) - 1 then
        queue[#queue + 1] = id
        version[id] = tonumber(v)
      end
      k = k + 1
    end
  end
  math.randomseed(slice or 1)
end

function request()
  for _ = 1, #queue do
    local id = queue[head]
    head = head % #queue + 1
    if not busy[id] then
      busy[id] = true
      local h = {}
      for name, value in pairs(wrk.headers) do
        h[name] = value
      end
      h["Content-Type"] = "application/json"
      h["X-CSRF-Token"] = os.getenv("BENCH_CSRF")
      h["If-Match"] = '"' .. version[id] .. '"'
      return wrk.format("PATCH", "/api/v1/people/" .. id, h,
        string.format('{"phone":"555-01%02d"}', math.random(0, 99)))
    end
  end
  -- More connections than people: nothing free to change.
  error("bench/update.lua: more connections than people on the roster")
end

-- A 200 names the person first and carries the new version; an error
-- does not say whose it was, so that person simply stays out of play.
function response(status, headers, body)
  if status ~= 200 then
    return
  end
  local id = body:match('^{"id":"([0-9a-f-]+)"')
  local etag = headers["ETag"] or headers["Etag"] or headers["etag"]
  if id and busy[id] and etag then
    version[id] = tonumber(etag:match('"(%d+)"'))
    busy[id] = nil
  end
end

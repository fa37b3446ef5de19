-- Reads of random people on the roster; each read is audited.
dofile("bench/common.lua")
local ids = load_ids()
local counter = 0

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  math.randomseed(seed or 1)
end

function request()
  return wrk.format("GET", "/api/v1/people/" .. ids[math.random(#ids)])
end

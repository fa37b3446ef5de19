-- Directory searches as a peer makes them (GET /api/v1/resources, first
-- page of 25), each request one of a mix of realistic queries. The kind
-- comes after "--" on wrk's command line:
--   words     q only: "food", "housing help", "recovery", a town's name
--             with a need, now and then a word nothing has ("dentist")
--   category  category + language (category=housing&language=es)
--   postal    near a postal code, radius 25 km
--   point     near latitude,longitude (in a town or out in the country),
--             radius 10, 25 or 50 km
--   open      open_now=true
--   combined  q + category + language + near (postal code) + open_now
-- Postal codes and towns are those bench-generate makes (bench/generate.c:
-- code 60100 + 97 * town + 3 * cell of a 5 x 5 grid, 12 the middle one).
dofile("bench/common.lua")

local words = { "food", "housing help", "recovery", "pantry", "shelter",
  "job training", "meals", "rent", "clinic", "peer support",
  "riverside recovery", "maple grove food", "bus pass", "veterans",
  "meetings", "computer", "garden", "ged", "utility", "reentry",
  "recov", "hous", "dentist" }
local categories = { "housing", "food-insecurity", "recovery-community",
  "employment", "mutual-aid", "health-care-access", "homelessness",
  "transportation", "peer-delivered-services", "housing-instability",
  "financial-insecurity", "education" }
local languages = { "es", "es", "es", "es", "en", "en", "pl", "zh", "vi",
  "ar" }
-- Town centres (bench/generate.c towns[]).
local towns = { { 41.85, -88.20 }, { 41.50, -90.50 }, { 40.70, -89.60 },
  { 40.10, -88.25 }, { 39.80, -89.65 }, { 42.20, -89.10 },
  { 41.10, -87.85 }, { 38.60, -90.00 }, { 37.75, -89.20 },
  { 39.00, -88.55 }, { 40.45, -91.10 }, { 38.30, -88.90 } }
-- The middle cell and the eight around it: every one holds places.
local cells = { 12, 12, 12, 6, 7, 8, 11, 13, 16, 17, 18 }
local combined_words = { "food", "housing", "recovery", "help", "peer",
  "job", "meals", "support" }
local radii = { 10, 25, 25, 50 }

local function pick(t)
  return t[math.random(#t)]
end

local function postal()
  return string.format("%05d", 60100 + 97 * (math.random(#towns) - 1) +
    3 * pick(cells))
end

local function point()
  local lat, lon
  if math.random(4) == 1 then
    -- Anywhere in the state.
    lat = 37 + math.random() * 5.5
    lon = -91.5 + math.random() * 4
  else
    local t = pick(towns)
    lat = t[1] + (math.random() - 0.5) * 0.1
    lon = t[2] + (math.random() - 0.5) * 0.1
  end
  return string.format("%.5f,%.5f", lat, lon)
end

local function enc(s)
  return (s:gsub(" ", "%%20"))
end

local queries = {
  words = function()
    return "q=" .. enc(pick(words))
  end,
  category = function()
    return "category=" .. pick(categories) .. "&language=" .. pick(languages)
  end,
  postal = function()
    return "near=" .. postal() .. "&radius_km=25"
  end,
  point = function()
    return "near=" .. point() .. "&radius_km=" .. pick(radii)
  end,
  open = function()
    return "open_now=true"
  end,
  combined = function()
    return "q=" .. pick(combined_words) .. "&category=" .. pick(categories) ..
      "&language=" .. pick(languages) .. "&near=" .. postal() ..
      "&radius_km=25&open_now=true"
  end,
}

local counter = 0
local query

function setup(thread)
  counter = counter + 1
  thread:set("seed", counter)
end

function init(args)
  query = queries[args[1] or ""]
  if query == nil then
    error("bench/resources.lua: say words, category, postal, point, open " ..
      "or combined after --")
  end
  math.randomseed(seed or 1)
end

function request()
  return wrk.format("GET", "/api/v1/resources?" .. query())
end

-- Shared by the scenarios: the session cookie comes from the environment.
wrk.headers["Cookie"] = os.getenv("BENCH_COOKIE")
wrk.headers["Accept"] = "application/json"

-- Person ids from BENCH_IDS, one a line (first field: "id version").
function load_ids()
  local ids = {}
  for line in io.lines(os.getenv("BENCH_IDS")) do
    ids[#ids + 1] = line:match("^(%S+)")
  end
  return ids
end

-- One page scenario for wrk, driven by bench/web/run.py (see its docstring).
--
--   wrk -c 50 -d 20s --latency -s pages.lua URL -- PATHS COOKIE THINK_MS [HX]
--
-- PATHS: a file of request paths, one a line; each request picks one at random.
-- COOKIE: the Cookie header of a signed-in session. THINK_MS: mean pause between a client's
-- requests (exponential; 0 for back to back). HX: "hx" to send HX-Request (htmx partials).
-- done() prints one line, "RESULT key=value ...", that run.py reads.

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  paths = {}
  for line in io.lines(args[1]) do
    if line ~= "" then
      table.insert(paths, line)
    end
  end
  wrk.headers["Cookie"] = args[2]
  think = tonumber(args[3]) or 0
  if args[4] == "hx" then
    wrk.headers["HX-Request"] = "true"
  end
  not_ok = 0
  -- Each thread its own sequence; wrk gives no thread index, so the address of a table.
  math.randomseed(os.time() + tonumber(tostring({}):match("0x(%x+)") or "0", 16) % 100000)
end

function request()
  return wrk.format("GET", paths[math.random(#paths)])
end

function delay()
  if think <= 0 then
    return 0
  end
  return math.floor(-think * math.log(1 - math.random()))
end

-- A redirect to the sign-in page is fast and small: it must count as a failure, not a sample.
function response(status, headers, body)
  if status ~= 200 then
    not_ok = not_ok + 1
  end
end

function done(summary, latency, requests)
  local not_ok = 0
  for _, thread in ipairs(threads) do
    not_ok = not_ok + (thread:get("not_ok") or 0)
  end
  local e = summary.errors
  io.write(string.format(
    "RESULT requests=%d duration_us=%d p50_us=%d p95_us=%d p99_us=%d max_us=%d "
      .. "not_ok=%d socket_errors=%d timeouts=%d\n",
    summary.requests, summary.duration, latency:percentile(50), latency:percentile(95),
    latency:percentile(99), latency.max, not_ok, e.connect + e.read + e.write, e.timeout
  ))
end

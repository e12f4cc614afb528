-- The part every wrk script in bench/ shares. A script loads it first thing, from its own
-- directory, and keeps what it returns:
--
--   local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")
--
-- wrk runs each script once in its main Lua state (setup(), done()) and once more in every
-- thread's state (init(), request(), response()), so this file is loaded in each of them too.
-- Loading it defines the globals wrk calls:
--
--   setup(thread)  records the thread, and gives it the global `index` (0, 1, ...), which a
--                  script's init() may use to start each thread somewhere else.
--   response()     counts every response whose status is not 2xx into the globals `non2xx` and
--                  `first_bad_status` of its thread (so 1xx and 3xx too, which wrk's own
--                  "Non-2xx or 3xx responses" counter does not).
--   done()         sums those counters over the threads and prints the one line bench/run.sh
--                  parses (and fails on if it is missing):
--                    bench-lua: requests=N non2xx=M first_bad_status=S
--
-- It defines no request(): a script that sends one pre-built request leaves it out (wrk's
-- static-request path), one that cycles through several calls bench.cycle().

local bench = {}

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

non2xx = 0
first_bad_status = 0

function response(status, headers, body)
  if status < 200 or status > 299 then
    non2xx = non2xx + 1
    if first_bad_status == 0 then first_bad_status = status end
  end
end

function done(summary, latency, reqs)
  local bad, first = 0, 0
  for _, thread in ipairs(threads) do
    bad = bad + (thread:get("non2xx") or 0)
    if first == 0 then first = thread:get("first_bad_status") or 0 end
  end
  io.write(string.format("bench-lua: requests=%d non2xx=%d first_bad_status=%d\n",
                         summary.requests, bad, first))
end

-- Defines request() to return the pre-built requests in turn, round-robin, the first one sent
-- being requests[start % #requests + 1] (start defaults to 0). requests must not be empty.
function bench.cycle(requests, start)
  local cursor = (start or 0) % #requests
  function request()
    cursor = cursor % #requests + 1
    return requests[cursor]
  end
end

-- The whole content of the file at path ("rb": byte for byte).
function bench.read_file(path)
  local f = assert(io.open(path, "rb"))
  local content = f:read("*a")
  f:close()
  return content
end

-- The non-empty lines of the file at path, in order.
function bench.read_lines(path)
  local lines = {}
  local f = assert(io.open(path, "r"))
  for line in f:lines() do
    if line ~= "" then lines[#lines + 1] = line end
  end
  f:close()
  return lines
end

return bench

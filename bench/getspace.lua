-- wrk script: GET {url path}{id}?unionId={union} round-robin over the ids in a file, and count
-- every response whose status is not 2xx.
--
-- Usage: wrk ... -s bench/getspace.lua http://HOST:PORT/v1.0/storage/spaces/ -- IDS_FILE UNION_ID
--
-- The URL's path is the prefix the ids are appended to, so the same script drives spacestore
-- (GetSpace) and the nginx baseline (which answers every path with the same body): both servers
-- see byte-for-byte the same requests and wrk spends the same CPU per request on both, which
-- matters because wrk shares the machine's cores with the server it measures.
--
-- All requests are built once in init(), so request() only indexes a table. Each wrk thread
-- starts at a different offset so the threads do not walk the ids in lockstep.
--
-- done() prints one line that bench/run.sh parses (and fails on if it is missing):
--   bench-lua: requests=N non2xx=M first_bad_status=S
-- non2xx comes from response(), so it also catches 1xx and 3xx, which wrk's own
-- "Non-2xx or 3xx responses" counter does not.

local threads = {}

function setup(thread)
  thread:set("index", #threads)
  table.insert(threads, thread)
end

local requests = {}
local cursor = 0

function init(args)
  local ids_file, union_id = args[1], args[2]
  if ids_file == nil or union_id == nil then
    error("usage: wrk ... -s getspace.lua URL -- IDS_FILE UNION_ID")
  end
  local prefix = wrk.path
  if prefix:sub(-1) ~= "/" then prefix = prefix .. "/" end
  local f = assert(io.open(ids_file, "r"))
  for id in f:lines() do
    if id ~= "" then
      requests[#requests + 1] = wrk.format("GET", prefix .. id .. "?unionId=" .. union_id)
    end
  end
  f:close()
  if #requests == 0 then error("no ids in " .. ids_file) end
  cursor = (index or 0) * 7919 % #requests  -- 7919: a prime, spreads the starting points
  non2xx = 0
  first_bad_status = 0
end

function request()
  cursor = cursor % #requests + 1
  return requests[cursor]
end

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

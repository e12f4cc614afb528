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
-- setup(), response() and done() come from common.lua (next to this file): non-2xx responses
-- are counted (1xx and 3xx too, which wrk's own "Non-2xx or 3xx responses" counter misses) and
-- done() prints the line bench/run.sh parses (and fails on if it is missing):
--   bench-lua: requests=N non2xx=M first_bad_status=S

local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  local ids_file, union_id = args[1], args[2]
  if ids_file == nil or union_id == nil then
    error("usage: wrk ... -s getspace.lua URL -- IDS_FILE UNION_ID")
  end
  local prefix = wrk.path
  if prefix:sub(-1) ~= "/" then prefix = prefix .. "/" end
  local requests = {}
  for _, id in ipairs(bench.read_lines(ids_file)) do
    requests[#requests + 1] = wrk.format("GET", prefix .. id .. "?unionId=" .. union_id)
  end
  if #requests == 0 then error("no ids in " .. ids_file) end
  -- index: this thread's number, from common.lua's setup(). 7919: a prime, spreads the starts.
  bench.cycle(requests, (index or 0) * 7919)
end

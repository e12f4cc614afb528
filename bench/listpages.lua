-- wrk script: ListDentries of the root folder, 50 dentries a page, cycling through the first
-- page and the page after each nextToken in a file; counts every response that is not 2xx.
--
-- Usage: wrk ... -H "x-acs-dingtalk-access-token: T" -s bench/listpages.lua \
--          http://HOST:PORT/v1.0/storage/spaces/SPACE/dentries -- TOKENS_FILE UNION_ID
--
-- The URL's path is the ListDentries path without a query; the script adds
-- ?unionId=U&parentId=0&maxResults=50[&nextToken=T]. All requests are built once in init(), so
-- request() only indexes a table. The tokens come from walking the folder beforehand
-- (bench/api.js listtokens); they are keyset cursors, so they stay valid while the folder does
-- not change.
--
-- done() prints the line bench/run.sh parses (and fails on if it is missing):
--   bench-lua: requests=N non2xx=M first_bad_status=S

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

local requests = {}
local cursor = 0

local function url_encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local tokens_file, union_id = args[1], args[2]
  if tokens_file == nil or union_id == nil then
    error("usage: wrk ... -s listpages.lua URL -- TOKENS_FILE UNION_ID")
  end
  local base = wrk.path .. "?unionId=" .. url_encode(union_id) .. "&parentId=0&maxResults=50"
  requests[1] = wrk.format("GET", base)
  local f = assert(io.open(tokens_file, "r"))
  for token in f:lines() do
    if token ~= "" then
      requests[#requests + 1] = wrk.format("GET", base .. "&nextToken=" .. url_encode(token))
    end
  end
  f:close()
  if #requests < 2 then error("no tokens in " .. tokens_file) end
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

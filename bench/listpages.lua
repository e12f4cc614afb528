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
-- setup(), response() and done() come from common.lua (next to this file); done() prints the
-- line bench/run.sh parses (and fails on if it is missing):
--   bench-lua: requests=N non2xx=M first_bad_status=S

local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

local function url_encode(s)
  return (s:gsub("[^%w%-%._~]", function(c) return string.format("%%%02X", string.byte(c)) end))
end

function init(args)
  local tokens_file, union_id = args[1], args[2]
  if tokens_file == nil or union_id == nil then
    error("usage: wrk ... -s listpages.lua URL -- TOKENS_FILE UNION_ID")
  end
  local base = wrk.path .. "?unionId=" .. url_encode(union_id) .. "&parentId=0&maxResults=50"
  local requests = { wrk.format("GET", base) }
  for _, token in ipairs(bench.read_lines(tokens_file)) do
    requests[#requests + 1] = wrk.format("GET", base .. "&nextToken=" .. url_encode(token))
  end
  if #requests < 2 then error("no tokens in " .. tokens_file) end
  bench.cycle(requests)
end

-- wrk script: POST the same JSON body (the GetDentries {"dentryIds":[...]} request) to the URL
-- given to wrk, and count every response whose status is not 2xx.
--
-- Usage: wrk ... -H "x-acs-dingtalk-access-token: T" -s bench/getdentries.lua \
--          http://HOST:PORT/v1.0/storage/spaces/SPACE/dentries/query?unionId=U -- BODY_FILE
--
-- The same script, URL, headers and body drive spacestore and the nginx baseline (which answers
-- a POST to any path with its fixed body), so both servers receive byte-for-byte the same
-- requests. The request never changes, so it is set up once in init() and wrk sends that
-- pre-built request every time (no request() function: wrk's static-request path).
--
-- setup(), response() and done() come from common.lua (next to this file); done() prints the
-- line bench/run.sh parses (and fails on if it is missing):
--   bench-lua: requests=N non2xx=M first_bad_status=S

local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  local body_file = args[1]
  if body_file == nil then error("usage: wrk ... -s getdentries.lua URL -- BODY_FILE") end
  local body = bench.read_file(body_file)
  if #body == 0 then error(body_file .. " is empty") end
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
end

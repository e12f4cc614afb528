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
-- done() prints the line bench/run.sh parses (and fails on if it is missing):
--   bench-lua: requests=N non2xx=M first_bad_status=S

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local body_file = args[1]
  if body_file == nil then error("usage: wrk ... -s getdentries.lua URL -- BODY_FILE") end
  local f = assert(io.open(body_file, "rb"))
  local body = f:read("*a")
  f:close()
  if #body == 0 then error(body_file .. " is empty") end
  wrk.method = "POST"
  wrk.body = body
  wrk.headers["Content-Type"] = "application/json"
  non2xx = 0
  first_bad_status = 0
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

-- wrk script: PUT the same body of SIZE bytes to the URL given to wrk (a signed upload URL), and
-- count every response whose status is not 2xx.
--
-- Usage: wrk ... -H "Authorization: ..." -H "x-oss-date: ..." -s bench/put.lua SIGNED_URL -- SIZE
--
-- The signed headers come from GetFileUploadInfo and are passed with -H. One upload key takes
-- any number of PUTs until it is committed, each one storing the whole body again (staging
-- file, fsync, rename), so a single key serves the whole run. The body is built once in init()
-- and wrk sends that pre-built request every time (no request() function: wrk's static-request
-- path), so wrk spends no CPU per request building 1 MiB strings.
--
-- done() prints the line bench/run.sh parses (and fails on if it is missing):
--   bench-lua: requests=N non2xx=M first_bad_status=S

local threads = {}

function setup(thread)
  table.insert(threads, thread)
end

function init(args)
  local size = tonumber(args[1])
  if size == nil or size < 1 then error("usage: wrk ... -s put.lua SIGNED_URL -- SIZE") end
  wrk.method = "PUT"
  wrk.body = string.rep("spacestore bench upload body\n", math.ceil(size / 29)):sub(1, size)
  assert(#wrk.body == size)
  wrk.headers["Content-Type"] = "application/octet-stream"
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

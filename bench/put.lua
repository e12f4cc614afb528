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
-- setup(), response() and done() come from common.lua (next to this file); done() prints the
-- line bench/run.sh parses (and fails on if it is missing):
--   bench-lua: requests=N non2xx=M first_bad_status=S

dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  local size = tonumber(args[1])
  if size == nil or size < 1 then error("usage: wrk ... -s put.lua SIGNED_URL -- SIZE") end
  wrk.method = "PUT"
  wrk.body = string.rep("spacestore bench upload body\n", math.ceil(size / 29)):sub(1, size)
  assert(#wrk.body == size)
  wrk.headers["Content-Type"] = "application/octet-stream"
end

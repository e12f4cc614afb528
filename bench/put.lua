-- wrk script: PUT bodies of SIZE bytes to a set of signed upload URLs in turn, and count every
-- response whose status is not 2xx.
--
-- Usage: wrk ... -s bench/put.lua URL -- SIZE KEYS_FILE [PATH_PREFIX]
--
-- KEYS_FILE holds one upload key a line: the signed URL's path and query, then each signed
-- header ("Name: value"), separated by tabs (bench/run.sh writes it from GetFileUploadInfo).
-- An upload key takes any number of PUTs until it is committed, each storing the whole body
-- again (staging file, fsync, rename), so a few keys serve the whole run; many keys let the
-- server see concurrent uploads of different files, as it would from many clients. Each
-- thread sends them round-robin, starting at a different key. PATH_PREFIX is put before every
-- path: "/sink" sends the very same requests to the reference nginx's PUT sink.
--
-- Every request (1 MiB body and all) is built once in init(), so wrk spends no CPU per
-- request building bodies.
--
-- setup(), response() and done() come from common.lua (next to this file); done() prints the
-- line bench/run.sh parses (and fails on if it is missing):
--   bench-lua: requests=N non2xx=M first_bad_status=S

local bench = dofile((debug.getinfo(1, "S").source:match("^@(.*/)") or "./") .. "common.lua")

function init(args)
  local size = tonumber(args[1])
  local keys = args[2]
  local prefix = args[3] or ""
  if size == nil or size < 1 or keys == nil then
    error("usage: wrk ... -s put.lua URL -- SIZE KEYS_FILE [PATH_PREFIX]")
  end
  local body = string.rep("spacestore bench upload body\n", math.ceil(size / 29)):sub(1, size)
  assert(#body == size)
  local requests = {}
  for _, line in ipairs(bench.read_lines(keys)) do
    local fields = {}
    for field in line:gmatch("[^\t]+") do fields[#fields + 1] = field end
    local headers = { ["Content-Type"] = "application/octet-stream" }
    for i = 2, #fields do
      local name, value = fields[i]:match("^([^:]+):%s*(.*)$")
      assert(name, "not a header: " .. fields[i])
      headers[name] = value
    end
    requests[#requests + 1] = wrk.format("PUT", prefix .. fields[1], headers, body)
  end
  assert(#requests > 0, "no upload keys in " .. keys)
  bench.cycle(requests, (index or 0) * math.floor(#requests / 2))
end

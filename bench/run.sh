#!/usr/bin/env bash
# spacestore benchmark suite. Usage: bench/run.sh BIN   (`make bench` runs it on the release build)
#
# Every scenario measures spacestore and, in the same run on the same machine, nginx serving a
# fixed body of a comparable size, then reports spacestore as a ratio to nginx. Absolute req/s
# on a shared, noisy machine mean little; the ratio to a well-known server measured seconds
# apart mostly cancels out the noise. See bench/README.md.
#
# The script reports, it does not gate: it exits 0 whether or not the targets are met. It exits
# non-zero only when the measurement itself broke (a server did not start or died, wrk failed,
# a socket error, or any response that was not 2xx).
#
# Environment (all optional):
#   BENCH_SECONDS      wrk duration per run, seconds. Default: 15.
#   BENCH_CONNECTIONS  wrk connections. Default: 64.
#   BENCH_THREADS      wrk threads. Default: 2.
#   BENCH_KEEP         1 keeps the temp directory (logs, wrk output, configs) for a post-mortem.
#   SPACESTORE_IO_THREADS, SPACESTORE_WORKERS  passed to `spacestore serve` as --io-threads and
#                      --workers; unset means the server's own defaults.
#
# Layout: start_* / stop_* manage the servers, run_wrk records one load run, check_* record a
# target, report prints them all. A new scenario is one more scenario_* function called from main.
set -euo pipefail

readonly BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly BENCH_SECONDS="${BENCH_SECONDS:-15}"
readonly BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-64}"
readonly BENCH_THREADS="${BENCH_THREADS:-2}"
readonly NGINX_BIN="${NGINX_BIN:-/usr/sbin/nginx}"

# Fixed bootstrap credentials: the server creates this organization on its empty data dir.
export SPACESTORE_CORP_ID="dingbench"
export SPACESTORE_APP_KEY="bench-app-key"
export SPACESTORE_APP_SECRET="bench-app-secret"
export SPACESTORE_UNION_ID="benchunion"

WORK=""              # temp dir holding everything this run creates
SPACESTORE_PID=""
SPACESTORE_URL=""    # http://127.0.0.1:PORT once started
NGINX_PID=""
NGINX_URL=""
TOKEN=""             # access token from seed_spaces
IDS_FILE=""          # space ids from seed_spaces, one a line
GETSPACE_BYTES=""    # body size of one GetSpace reply

RUNS=()              # run names in the order they ran
declare -A RPS=() P50=() P99=() TIMEOUTS=()
CHECKS=()            # lines printed under the table
NOTES=()

log() { echo "bench: $*" >&2; }
die() {
  echo "bench: FAILED: $*" >&2
  exit 1
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  stop_nginx || true
  stop_spacestore || true
  if [[ -n "$WORK" && -d "$WORK" ]]; then
    if [[ "${BENCH_KEEP:-0}" == 1 ]]; then
      log "kept $WORK"
    else
      rm -rf "$WORK"
    fi
  fi
  exit "$status"
}

# Stops PID with SIGTERM (escalating to SIGKILL after 10 s) and reaps it. $2 names it in logs.
stop_pid() {
  local pid=$1 name=$2 i
  [[ -n "$pid" ]] || return 0
  kill -0 "$pid" 2>/dev/null || { wait "$pid" 2>/dev/null || true; return 0; }
  kill -TERM "$pid" 2>/dev/null || true
  for ((i = 0; i < 100; i++)); do
    kill -0 "$pid" 2>/dev/null || break
    sleep 0.1
  done
  if kill -0 "$pid" 2>/dev/null; then
    log "$name (pid $pid) ignored SIGTERM for 10 s; killing it"
    kill -KILL "$pid" 2>/dev/null || true
  fi
  wait "$pid" 2>/dev/null || true
}

# Dies if PID is no longer running, showing the tail of LOG.
require_alive() {
  local pid=$1 name=$2 log_file=$3
  if ! kill -0 "$pid" 2>/dev/null; then
    local rc=0
    wait "$pid" 2>/dev/null || rc=$?
    echo "--- last lines of $log_file ---" >&2
    tail -n 20 "$log_file" >&2 || true
    die "$name (pid $pid) is not running (exit status $rc)"
  fi
}

# Prints a TCP port that was free a moment ago. Only nginx needs this; spacestore binds port 0.
free_port() {
  node -e 'const s = require("net").createServer();
           s.listen(0, "127.0.0.1", () => { console.log(s.address().port); s.close(); });'
}

# Converts a wrk duration ("812.00us", "1.20ms", "2.00s", "1.00m") to milliseconds.
to_ms() {
  awk -v v="$1" 'BEGIN {
    n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
    if (u == "us") n /= 1000; else if (u == "ms") n += 0; else if (u == "s") n *= 1000
    else if (u == "m") n *= 60000; else if (u == "h") n *= 3600000; else exit 1
    printf "%.3f", n }'
}

# ---------------------------------------------------------------------------------------------
# Servers

start_spacestore() {
  local bin=$1
  local args=(serve --listen 127.0.0.1:0 --data-dir "$WORK/spacestore-data" --access-log false)
  if [[ -n "${SPACESTORE_IO_THREADS:-}" ]]; then args+=(--io-threads "$SPACESTORE_IO_THREADS"); fi
  if [[ -n "${SPACESTORE_WORKERS:-}" ]]; then args+=(--workers "$SPACESTORE_WORKERS"); fi
  log "starting $bin ${args[*]}"
  "$bin" "${args[@]}" >"$WORK/spacestore.out" 2>"$WORK/spacestore.err" &
  SPACESTORE_PID=$!
  local i line
  for ((i = 0; i < 200; i++)); do
    line=$(grep -o -m1 'spacestore listening on http://[0-9.:]*' "$WORK/spacestore.out" || true)
    [[ -n "$line" ]] && break
    require_alive "$SPACESTORE_PID" spacestore "$WORK/spacestore.err"
    sleep 0.1
  done
  [[ -n "$line" ]] || die "spacestore did not print its listening line within 20 s"
  SPACESTORE_URL=${line#spacestore listening on }
  log "spacestore (pid $SPACESTORE_PID) listening on $SPACESTORE_URL"
}

stop_spacestore() {
  stop_pid "$SPACESTORE_PID" spacestore
  SPACESTORE_PID=""
}

# Creates COUNT spaces; sets TOKEN, IDS_FILE and GETSPACE_BYTES.
seed_spaces() {
  local count=$1
  IDS_FILE="$WORK/space-ids.txt"
  log "seeding $count spaces"
  local out
  out=$(node "$BENCH_DIR/seed.js" "$SPACESTORE_URL" "$IDS_FILE" "$count" 8) ||
    die "seeding spacestore failed"
  TOKEN=$(sed -n 's/^token=//p' <<<"$out")
  GETSPACE_BYTES=$(sed -n 's/^getspace_bytes=//p' <<<"$out")
  [[ -n "$TOKEN" ]] || die "seed.js printed no token"
  local n
  n=$(grep -c . "$IDS_FILE")
  [[ "$n" == "$count" ]] || die "expected $count ids in $IDS_FILE, found $n"
}

# Writes a JSON object of exactly BYTES bytes to FILE: a GetSpace-shaped reply padded with a
# filler field, so nginx sends a body of the same kind and size as the API under test.
make_json_body() {
  local file=$1 bytes=$2
  local head='{"space":{"id":"378816342455","corpId":"dingbench","appId":"861772992","name":"bench 0","ownerType":"USER","ownerId":"benchunion","creatorId":"benchunion","modifierId":"benchunion","usedQuota":0,"quota":1048576,"status":"NORMAL","createTime":"2026-01-01T00:00:00Z","modifiedTime":"2026-01-01T00:00:00Z","scene":"bench","sceneId":"0","capabilities":{"canSearch":false,"canRename":false,"canRecordRecentFile":false},"partitions":[{"partitionType":"PUBLIC_OSS_PARTITION","quota":{"used":0,"max":1048576,"type":"PRIVATE"}}],"filler":"'
  local tail='"}}'
  local pad=$((bytes - ${#head} - ${#tail}))
  ((pad >= 0)) || die "make_json_body: $bytes bytes is smaller than the JSON skeleton"
  { printf '%s' "$head"; printf "%${pad}s" '' | tr ' ' 'x'; printf '%s' "$tail"; } >"$file"
  local size
  size=$(stat -c %s "$file")
  [[ "$size" == "$bytes" ]] || die "$file is $size bytes, expected exactly $bytes"
  node -e 'JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"))' "$file" ||
    die "$file is not valid JSON"
}

# Starts nginx answering every GET with BODY_FILE as application/json; sets NGINX_URL.
start_nginx() {
  local body_file=$1
  local dir="$WORK/nginx" port
  mkdir -p "$dir/www" "$dir/temp"
  cp "$body_file" "$dir/www/body.json"
  # As root, nginx workers run as `nobody`, and mktemp -d makes the tree 0700.
  chmod 755 "$WORK" "$dir" "$dir/www"
  chmod 644 "$dir/www/body.json"
  port=$(free_port)
  cat >"$dir/nginx.conf" <<EOF
# Generated by bench/run.sh: the nginx baseline spacestore is compared against.
#
# worker_processes 2: the benchmark machine has 2 cores and spacestore runs on the same 2. nginx
# scales by processes, one per core; more would only add context switches, fewer would leave a
# core idle and flatter spacestore. wrk runs on those same cores for both servers alike.
worker_processes 2;
pid $dir/nginx.pid;
error_log $dir/error.log warn;
events {
  worker_connections 4096;
}
http {
  access_log off;
  server_tokens off;
  sendfile on;
  tcp_nodelay on;
  # Keep-alive as wrk and real API clients use it. nginx closes a connection after 1000
  # requests by default, which would make wrk reconnect and measure connection setup too.
  keepalive_timeout 75s;
  keepalive_requests 1000000;
  open_file_cache max=16 inactive=600s;
  open_file_cache_valid 600s;
  # Debian's compiled-in temp paths are under /var/lib/nginx; keep everything in the temp dir.
  client_body_temp_path $dir/temp/body;
  proxy_temp_path $dir/temp/proxy;
  fastcgi_temp_path $dir/temp/fastcgi;
  uwsgi_temp_path $dir/temp/uwsgi;
  scgi_temp_path $dir/temp/scgi;
  server {
    listen 127.0.0.1:$port;
    location / {
      root $dir/www;
      types { }
      default_type application/json;
      try_files /body.json =500;
    }
  }
}
EOF
  log "starting nginx on 127.0.0.1:$port"
  "$NGINX_BIN" -p "$dir" -e "$dir/error.log" -c "$dir/nginx.conf" -g 'daemon off;' \
    >"$dir/stdout.log" 2>&1 &
  NGINX_PID=$!
  local i
  for ((i = 0; i < 100; i++)); do
    require_alive "$NGINX_PID" nginx "$dir/error.log"
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      NGINX_URL="http://127.0.0.1:$port"
      log "nginx (pid $NGINX_PID) listening on $NGINX_URL"
      return 0
    fi
    sleep 0.1
  done
  die "nginx did not accept connections on port $port within 10 s"
}

stop_nginx() {
  stop_pid "$NGINX_PID" nginx
  NGINX_PID=""
}

# ---------------------------------------------------------------------------------------------
# Measurement

# run_wrk NAME URL [HEADER...] [-- LUA_SCRIPT [SCRIPT_ARG...]]
# Runs wrk with the BENCH_* settings and records req/s, p50 and p99 (ms) under NAME. Dies on a
# wrk failure, on connect/read/write socket errors and on any non-2xx response (counted by the
# Lua script when there is one, and by wrk itself for >= 400 either way). Timeouts (wrk waits
# 2 s) are recorded and reported, since they are a latency result rather than a broken run.
run_wrk() {
  local name=$1 url=$2
  shift 2
  local args=(-t"$BENCH_THREADS" -c"$BENCH_CONNECTIONS" -d"${BENCH_SECONDS}s" --latency)
  while (($#)) && [[ "$1" != "--" ]]; do
    args+=(-H "$1")
    shift
  done
  local script_args=()
  if (($#)); then
    shift
    (($#)) || die "run_wrk $name: -- must be followed by a Lua script"
    args+=(-s "$1")
    shift
    script_args=(-- "$@")
  fi
  local out="$WORK/wrk-$name.txt"
  log "wrk $name: ${BENCH_THREADS} threads, ${BENCH_CONNECTIONS} connections, ${BENCH_SECONDS} s"
  local rc=0
  wrk "${args[@]}" "$url" "${script_args[@]}" >"$out" 2>&1 || rc=$?
  sed 's/^/  | /' "$out" >&2
  ((rc == 0)) || die "wrk $name exited with status $rc"

  local rps p50 p99
  rps=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
  p50=$(awk '$1 == "50%" { print $2 }' "$out")
  p99=$(awk '$1 == "99%" { print $2 }' "$out")
  [[ -n "$rps" && -n "$p50" && -n "$p99" ]] || die "wrk $name: could not find Requests/sec and the 50%/99% latency lines"
  p50=$(to_ms "$p50") || die "wrk $name: unknown latency unit in '$p50'"
  p99=$(to_ms "$p99") || die "wrk $name: unknown latency unit in '$p99'"
  awk -v r="$rps" 'BEGIN { exit !(r > 0) }' || die "wrk $name: no requests completed"

  local errors connect rd wr timeout
  errors=$(grep -o 'Socket errors: .*' "$out" || true)
  connect=$(sed -n 's/.*connect \([0-9]*\).*/\1/p' <<<"$errors")
  rd=$(sed -n 's/.*read \([0-9]*\).*/\1/p' <<<"$errors")
  wr=$(sed -n 's/.*write \([0-9]*\).*/\1/p' <<<"$errors")
  timeout=$(sed -n 's/.*timeout \([0-9]*\).*/\1/p' <<<"$errors")
  if ((${connect:-0} + ${rd:-0} + ${wr:-0} > 0)); then
    die "wrk $name: $errors"
  fi
  if ((${#script_args[@]})); then
    local lua non2xx first
    lua=$(grep -m1 '^bench-lua:' "$out" || true)
    [[ -n "$lua" ]] || die "wrk $name: the Lua script printed no bench-lua line (did it load?)"
    non2xx=$(sed -n 's/.*non2xx=\([0-9]*\).*/\1/p' <<<"$lua")
    first=$(sed -n 's/.*first_bad_status=\([0-9]*\).*/\1/p' <<<"$lua")
    ((non2xx == 0)) || die "wrk $name: $non2xx non-2xx responses (first status: $first)"
  fi
  local wrk_bad
  wrk_bad=$(sed -n 's/.*Non-2xx or 3xx responses: \([0-9]*\).*/\1/p' "$out")
  ((${wrk_bad:-0} == 0)) || die "wrk $name: $wrk_bad responses with status >= 400"

  RUNS+=("$name")
  RPS[$name]=$rps
  P50[$name]=$p50
  P99[$name]=$p99
  TIMEOUTS[$name]=${timeout:-0}
  ((${timeout:-0} == 0)) || NOTES+=("$name: $timeout requests timed out (no reply within 2 s)")
}

# check_ratio LABEL NUM_RUN DEN_RUN MIN: records "LABEL = RPS[NUM]/RPS[DEN] (target >= MIN)".
check_ratio() {
  local label=$1 num=$2 den=$3 min=$4
  CHECKS+=("$(awk -v a="${RPS[$num]}" -v b="${RPS[$den]}" -v min="$min" -v label="$label" 'BEGIN {
    r = a / b
    printf "%s = %.2f (target >= %.2f)  %s", label, r, min, (r >= min ? "PASS" : "FAIL") }')")
}

# check_p99_below LABEL RUN MAX_MS: records "LABEL = P99[RUN] ms (target < MAX_MS ms)".
check_p99_below() {
  local label=$1 run=$2 max=$3
  CHECKS+=("$(awk -v p="${P99[$run]}" -v max="$max" -v label="$label" 'BEGIN {
    printf "%s = %.2f ms (target < %s ms)  %s", label, p, max, (p < max ? "PASS" : "FAIL") }')")
}

report() {
  echo
  echo "spacestore bench: wrk -t$BENCH_THREADS -c$BENCH_CONNECTIONS -d${BENCH_SECONDS}s," \
    "$(nproc) cores, io-threads ${SPACESTORE_IO_THREADS:-default}, workers ${SPACESTORE_WORKERS:-default}"
  printf '%-24s %12s %10s %10s\n' run req/s "p50 ms" "p99 ms"
  local name
  for name in "${RUNS[@]}"; do
    printf '%-24s %12.0f %10.3f %10.3f\n' "$name" "${RPS[$name]}" "${P50[$name]}" "${P99[$name]}"
  done
  echo
  local line
  for line in "${CHECKS[@]}"; do echo "$line"; done
  if ((${#NOTES[@]})); then
    echo
    for line in "${NOTES[@]}"; do echo "note: $line"; done
  fi
}

# ---------------------------------------------------------------------------------------------
# Scenarios

# GetSpace over 1,000 spaces against nginx serving a 700-byte JSON body for every path.
scenario_getspace() {
  local bin=$1
  start_spacestore "$bin"
  seed_spaces 1000
  local header="x-acs-dingtalk-access-token: $TOKEN"
  node "$BENCH_DIR/probe.js" "$SPACESTORE_URL/v1.0/storage/spaces/$(head -n1 "$IDS_FILE")?unionId=$SPACESTORE_UNION_ID" "$header" >/dev/null ||
    die "GetSpace probe failed"
  run_wrk spacestore-getspace "$SPACESTORE_URL/v1.0/storage/spaces/" "$header" \
    -- "$BENCH_DIR/getspace.lua" "$IDS_FILE" "$SPACESTORE_UNION_ID"
  require_alive "$SPACESTORE_PID" spacestore "$WORK/spacestore.err"
  # Free spacestore's CPU and memory before the baseline runs on the same cores.
  stop_spacestore

  make_json_body "$WORK/body-700.json" 700
  start_nginx "$WORK/body-700.json"
  local probe
  probe=$(node "$BENCH_DIR/probe.js" "$NGINX_URL/v1.0/storage/spaces/probe" "$header") ||
    die "nginx probe failed"
  [[ "$probe" == "200 700 application/json" ]] || die "nginx probe: expected '200 700 application/json', got '$probe'"
  # Same Lua script, ids and header as the spacestore run, so wrk sends identical requests.
  run_wrk nginx-json-700b "$NGINX_URL/v1.0/storage/spaces/" "$header" \
    -- "$BENCH_DIR/getspace.lua" "$IDS_FILE" "$SPACESTORE_UNION_ID"
  require_alive "$NGINX_PID" nginx "$WORK/nginx/error.log"
  stop_nginx

  NOTES+=("response bodies: spacestore GetSpace $GETSPACE_BYTES bytes, nginx 700 bytes")
  check_ratio "ratio spacestore/nginx req/s" spacestore-getspace nginx-json-700b 0.70
  check_p99_below "spacestore p99" spacestore-getspace 5
}

main() {
  (($# == 1)) || { echo "usage: bench/run.sh PATH/TO/spacestore" >&2; exit 2; }
  local bin=$1
  [[ "$bin" == */* ]] || bin="./$bin"
  [[ -x "$bin" ]] || die "$bin is not an executable file"
  bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
  local tool
  for tool in wrk node "$NGINX_BIN" awk; do
    command -v "$tool" >/dev/null || die "$tool not found (run scripts/install-deps.sh --bench)"
  done
  [[ "$BENCH_SECONDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_SECONDS must be a positive integer"
  [[ "$BENCH_THREADS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_THREADS must be a positive integer"
  [[ "$BENCH_CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CONNECTIONS must be a positive integer"
  ((BENCH_CONNECTIONS >= BENCH_THREADS)) || die "BENCH_CONNECTIONS must be >= BENCH_THREADS"

  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/spacestore-bench.XXXXXX")

  scenario_getspace "$bin"
  report
}

main "$@"

#!/usr/bin/env bash
# spacestore benchmark suite. Usage: bench/run.sh BIN   (`make bench` runs it on the release build)
#
# Most scenarios measure spacestore and, in the same run on the same machine, a reference: the
# reference nginx (bench/nginx-reference.conf) serving a fixed body of a comparable size for the
# request scenarios, its PUT sink (the body read and discarded) for the upload scenarios, dd
# writing the same bytes to the same filesystem for the 1 GiB upload. It then reports spacestore
# as a ratio to the reference, sides taking turns round after round, medians. Absolute figures
# on a shared, noisy machine mean little; the ratio to a well-known tool measured seconds apart
# mostly cancels out the noise. The exceptions are absolute targets: latencies (listing, held
# connections), start to ready, memory. Every figure also goes to a JSON file (BENCH_OUT). See
# bench/README.md.
#
# The script reports, it does not gate: it exits 0 whether or not the targets are met. It exits
# non-zero only when the measurement itself broke (a server did not start or died, wrk failed,
# a socket error, any response that was not 2xx, an upload that did not land, dd failed).
#
# Environment (all optional):
#   BENCH_SCENARIOS    comma-separated subset of micro,getspace,getdentries,permgetdentries,put,
#                      put64m,upload,list,startup,connections,copy,recycle,tree,scaleout to run.
#                      Default: all. They always run in that order.
#   BENCH_SECONDS      wrk duration per run, seconds. Default: 15.
#   BENCH_ROUNDS       rounds of the GetSpace, GetDentries and PUT 1 MiB comparisons:
#                      spacestore and nginx take turns (A B A B ...) and each side's median
#                      counts. Default: 3.
#   BENCH_CONNECTIONS  wrk connections (GetSpace, GetDentries). Default: 64.
#   BENCH_THREADS      wrk threads (all runs but the listing, which is -t1 -c1). Default: 2.
#   BENCH_PUT_CONNECTIONS  wrk connections for the 1 MiB PUT runs. Default: 64.
#   BENCH_PUT_KEYS     upload keys the 1 MiB PUTs cycle through. Default: 64.
#   BENCH_UPLOAD_ROUNDS  rounds of the 64 MiB upload comparison (spacestore and the nginx sink
#                      take turns; each side's median counts). Default: 5.
#   BENCH_START_ROUNDS starts of the server the startup scenario times (the median counts).
#                      Default: 5.
#   BENCH_HELD         connections the connections scenario holds open. Default: 20000 (fewer,
#                      with a note, when the open files hard limit does not allow them).
#   BENCH_MICRO_MIN_TIME  seconds each micro-benchmark runs at least. Default: 0.1.
#   BENCH_OUT          the JSON results file. Default: bench-results.json in the build directory
#                      above the binary's (build/release/bench-results.json).
#   BENCH_KEEP         1 keeps the temp directory (logs, wrk output, configs) for a post-mortem.
#                      With the upload scenario it holds ~3 GiB of uploaded blobs.
#   SPACESTORE_IO_THREADS, SPACESTORE_WORKERS  passed to `spacestore serve` as --io-threads and
#                      --workers; unset means the server's own defaults.
#
# Layout: start_* / stop_* manage the servers, run_wrk records one load run, record_value one
# other figure (dd, uploads, memory), check_* record a target, report prints them all. A new
# scenario is one more scenario_* function, listed in ALL_SCENARIOS.
set -euo pipefail
export LC_ALL=C   # '.' as the decimal point in awk, printf and EPOCHREALTIME

readonly BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
readonly BENCH_SCENARIOS="${BENCH_SCENARIOS:-all}"
readonly BENCH_SECONDS="${BENCH_SECONDS:-15}"
readonly BENCH_ROUNDS="${BENCH_ROUNDS:-3}"
readonly BENCH_CONNECTIONS="${BENCH_CONNECTIONS:-64}"
readonly BENCH_THREADS="${BENCH_THREADS:-2}"
readonly BENCH_PUT_CONNECTIONS="${BENCH_PUT_CONNECTIONS:-64}"
readonly BENCH_PUT_KEYS="${BENCH_PUT_KEYS:-64}"
readonly BENCH_UPLOAD_ROUNDS="${BENCH_UPLOAD_ROUNDS:-5}"
readonly BENCH_START_ROUNDS="${BENCH_START_ROUNDS:-5}"
readonly NGINX_BIN="${NGINX_BIN:-/usr/sbin/nginx}"
readonly BENCH_HELD="${BENCH_HELD:-20000}"
readonly ALL_SCENARIOS=(micro getspace getdentries permgetdentries put put64m upload list startup
  connections copy recycle tree scaleout)

readonly MIB=1048576
readonly GIB=1073741824
readonly LIST_DENTRIES=1000000   # size of the folder the listing scenario pages through
readonly RECYCLE_FILES=10000    # small files in the folder the recycle scenario deletes and restores
readonly LIST_TOKENS=20          # pages the listing run cycles through, besides the first
readonly CONNECTIONS_RSS_LIMIT_MIB=256   # documented bound: docs/architecture.md, bench/README.md
readonly CONNECTIONS_BYTES_LIMIT=8192    # per held connection, same documents
readonly TREE_SIZES=(1000 10000 100000)   # descendants of the folder the tree scenario moves
readonly TREE_ROUNDS=5                     # renames and moves per size (the median counts)
readonly TREE_LIMIT_MS=100                 # documented target: bench/README.md
readonly LIST_STRIDE=50          # keep the nextToken of every 50th page: 20 tokens span 50,000 rows
readonly COPY_DENTRIES=10000     # descendants of the folder the copy scenario copies
readonly COPY_ROUNDS=3           # copies of it (the median counts)
readonly PERM_USERS=20           # other users holding grants in the permgetdentries space
readonly PERM_FOLDERS=7          # folders beside a/b/c granted to each of them: 20 x 10 grants

# Fixed bootstrap credentials: the server creates this organization on its empty data dir.
export SPACESTORE_CORP_ID="dingbench"
export SPACESTORE_APP_KEY="bench-app-key"
export SPACESTORE_APP_SECRET="bench-app-secret"
export SPACESTORE_UNION_ID="benchunion"

WORK=""              # temp dir holding everything this run creates
BIN=""               # the spacestore binary under test
SEED_BIN=""          # spacestore-bench-seed, next to the server binary
PUT_LOAD_BIN=""      # spacestore-put-load, next to the server binary
SCENARIOS=()         # the scenarios this run runs, in order
SPACESTORE_PID=""
SPACESTORE_URL=""    # http://127.0.0.1:PORT once started
DATA_DIR=""          # the running spacestore's --data-dir
SPACESTORE_LOG=""    # the running spacestore's stderr
NGINX_PID=""
NGINX_URL=""
TOKEN=""             # access token (seed_spaces or api_token)
SPACE_ID=""          # the space new_space created
IDS_FILE=""          # space ids from seed_spaces, one a line
GETSPACE_BYTES=""    # body size of one GetSpace reply
UPLOAD_KEY=""        # from upload_info
UPLOAD_URL=""
UPLOAD_HEADERS=()    # "Name: value", every signed header the PUT must carry

CURRENT_SCENARIO=""  # the scenario running, for the JSON file
RUNS=()              # wrk run names in the order they ran
declare -A RPS=() P50=() P99=() TIMEOUTS=() LOAD=() RATE_UNIT=() ROUNDS_OF=() SCENARIO_OF=()
VALUES=()            # other figures (dd, uploads, memory) in the order they were taken
declare -A VALUE=() UNIT=()
CHECKS=()            # lines printed under the tables
CHECK_JSON=()        # the same checks as JSON objects, for the results file
RESULTS_WRITTEN=0
STARTED_AT=""        # UTC, ISO 8601
LOAD_BEFORE=""       # /proc/loadavg when the run started
NOTES=()

log() { echo "bench: $*" >&2; }
die() {
  echo "bench: FAILED: $*" >&2
  exit 1
}

cleanup() {
  local status=$?
  trap - EXIT INT TERM
  if ((status != 0 && !RESULTS_WRITTEN)) && [[ -n "$RESULTS_FILE" ]]; then
    write_results false && log "partial results (the run broke off) in $RESULTS_FILE"
  fi
  stop_nginx || true
  stop_pid "$HOLD_PID" hold.js || true
  stop_nodes || true
  stop_spacestore || true
  stop_s3 || true
  stop_postgres || true
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

# Microseconds since the epoch, without a fork (bash 5's EPOCHREALTIME; LC_ALL=C keeps the '.').
now_us() { local t=$EPOCHREALTIME; echo "${t/./}"; }

# ---------------------------------------------------------------------------------------------
# Servers

# start_spacestore BIN NAME [ARG...]: starts spacestore on a fresh data dir $WORK/data-NAME (each
# scenario gets its own, so a subset selected with BENCH_SCENARIOS measures the same state as a
# full run), with the ARGs appended to its command line.
start_spacestore() {
  local bin=$1 name=$2
  shift 2
  DATA_DIR="$WORK/data-$name"
  local args=(serve --listen 127.0.0.1:0 --data-dir "$DATA_DIR" --access-log false "$@")
  if [[ -n "${SPACESTORE_IO_THREADS:-}" ]]; then args+=(--io-threads "$SPACESTORE_IO_THREADS"); fi
  if [[ -n "${SPACESTORE_WORKERS:-}" ]]; then args+=(--workers "$SPACESTORE_WORKERS"); fi
  # One pair of log files per start: the background child opens (truncates) its files only
  # after the fork, so reusing a file could let the loop below read the previous server's line.
  local out="$WORK/spacestore-$name.out"
  SPACESTORE_LOG="$WORK/spacestore-$name.err"
  : >"$out"
  log "starting $bin ${args[*]}"
  "$bin" "${args[@]}" >>"$out" 2>"$SPACESTORE_LOG" &
  SPACESTORE_PID=$!
  local i line
  for ((i = 0; i < 200; i++)); do
    line=$(grep -o -m1 'spacestore listening on http://[0-9.:]*' "$out" || true)
    [[ -n "$line" ]] && break
    require_alive "$SPACESTORE_PID" spacestore "$SPACESTORE_LOG"
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

# api COMMAND ARGS...: bench/api.js against the running spacestore.
api() { node "$BENCH_DIR/api.js" "$SPACESTORE_URL" "$@"; }

# Sets TOKEN to a fresh access token of the running spacestore.
api_token() {
  TOKEN=$(api token) || die "getting an access token failed"
}

# new_space SCENE_ID: AddSpace without a quota; sets SPACE_ID.
new_space() {
  SPACE_ID=$(api space "$TOKEN" "$1") || die "AddSpace (sceneId $1) failed"
  log "created space $SPACE_ID (sceneId $1)"
}

# seed_dentries COUNT PREFIX: COUNT files PREFIX0.. in SPACE_ID's root folder, written straight
# into DATA_DIR's metadata.db by spacestore-bench-seed while the server runs.
seed_dentries() {
  local count=$1 prefix=$2
  log "seeding $count dentries into space $SPACE_ID (ids ${prefix}0..$prefix$((count - 1)))"
  "$SEED_BIN" "$DATA_DIR" "$SPACE_ID" "$count" "$prefix" >&2 ||
    die "spacestore-bench-seed $count $prefix failed"
}

# GetFileUploadInfo for SPACE_ID: sets UPLOAD_KEY, UPLOAD_URL and UPLOAD_HEADERS.
upload_info() {
  local out
  out=$(api uploadinfo "$TOKEN" "$SPACE_ID") || die "GetFileUploadInfo failed"
  UPLOAD_KEY=$(sed -n 's/^key=//p' <<<"$out")
  UPLOAD_URL=$(sed -n 's/^url=//p' <<<"$out")
  mapfile -t UPLOAD_HEADERS < <(sed -n 's/^header=//p' <<<"$out")
  [[ -n "$UPLOAD_KEY" && -n "$UPLOAD_URL" && ${#UPLOAD_HEADERS[@]} -gt 0 ]] ||
    die "GetFileUploadInfo: no key, url or headers in: $out"
}

# upload FILE: PUTs FILE to UPLOAD_URL with the signed headers (curl -T streams it from disk;
# "Expect:" skips the 100-continue round trip). Dies unless the reply is 200 with every byte
# sent. Prints the wall-clock seconds the upload took, from curl's start to the reply.
upload() {
  local file=$1
  local size
  size=$(stat -c %s "$file")
  local args=(-sS -o "$WORK/upload-reply.txt" -w '%{http_code} %{size_upload}' -T "$file" -H "Expect:")
  local h
  for h in "${UPLOAD_HEADERS[@]}"; do args+=(-H "$h"); done
  local started ended out
  started=$(now_us)
  out=$(curl "${args[@]}" "$UPLOAD_URL") || die "curl -T $file failed"
  ended=$(now_us)
  local code sent
  read -r code sent <<<"$out"
  [[ "$code" == 200 ]] || die "PUT $file -> HTTP $code: $(head -c 300 "$WORK/upload-reply.txt")"
  [[ "$sent" == "$size" ]] || die "PUT $file: curl sent $sent of $size bytes"
  awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.6f", (b - a) / 1e6 }'
}

# commit_check NAME SIZE: commits UPLOAD_KEY as NAME and dies unless the file is SIZE bytes.
commit_check() {
  local name=$1 size=$2 got
  got=$(api commit "$TOKEN" "$SPACE_ID" "$UPLOAD_KEY" "$name") || die "CommitFile $name failed"
  [[ "$got" == "$size" ]] || die "CommitFile $name: size $got, expected $size"
}

# proc_kib FIELD: FIELD (VmRSS, VmHWM, ...) of the running spacestore, in KiB.
proc_kib() {
  local v
  v=$(awk -v f="$1:" '$1 == f { print $2 }' "/proc/$SPACESTORE_PID/status") || true
  [[ -n "$v" ]] || die "no $1 in /proc/$SPACESTORE_PID/status"
  echo "$v"
}

# The reference nginx (bench/nginx-reference.conf, bench/README.md): GetSpace answered with
# space.json, GetDentries (a POST) with dentries-30.json, PUT /sink/ read and discarded (201).
# The bodies are the files beside this script; their sizes are checked by the probes.
readonly NGINX_SPACE_BYTES=702
readonly NGINX_DENTRIES_BYTES=15578

# Starts the reference nginx in $WORK/nginx (a new config and port each time); sets NGINX_URL.
start_nginx() {
  local dir="$WORK/nginx" port
  mkdir -p "$dir/data" "$dir/run"
  cp "$BENCH_DIR/space.json" "$BENCH_DIR/dentries-30.json" "$dir/data/"
  # As root, nginx workers run as `nobody`, and mktemp -d makes the tree 0700.
  chmod 755 "$WORK" "$dir" "$dir/data" "$dir/run"
  chmod 644 "$dir/data/space.json" "$dir/data/dentries-30.json"
  port=$(free_port)
  sed -e "s|@PORT@|$port|g" -e "s|@RUN@|run|g" "$BENCH_DIR/nginx-reference.conf" >"$dir/nginx.conf"
  log "starting nginx (bench/nginx-reference.conf) on 127.0.0.1:$port"
  "$NGINX_BIN" -p "$dir/" -e "$dir/run/error.log" -c "$dir/nginx.conf" -g 'daemon off;' \
    >"$dir/stdout.log" 2>&1 &
  NGINX_PID=$!
  local i
  for ((i = 0; i < 100; i++)); do
    require_alive "$NGINX_PID" nginx "$dir/run/error.log"
    if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      NGINX_URL="http://127.0.0.1:$port"
      log "nginx (pid $NGINX_PID) listening on $NGINX_URL"
      return 0
    fi
    sleep 0.1
  done
  die "nginx did not accept connections on port $port within 10 s"
}

# probe_nginx_getspace HEADER: one GetSpace-shaped GET to nginx; dies unless it is space.json.
probe_nginx_getspace() {
  local probe
  probe=$(node "$BENCH_DIR/probe.js" "$NGINX_URL/v1.0/storage/spaces/probe?unionId=probe" "$1") ||
    die "nginx probe failed"
  [[ "$probe" == "200 $NGINX_SPACE_BYTES application/json" ]] ||
    die "nginx probe: expected '200 $NGINX_SPACE_BYTES application/json', got '$probe'"
}

# probe_nginx_getdentries REQUEST_FILE PATH HEADER: the GetDentries POST spacestore gets, sent to
# nginx once; dies unless the answer is dentries-30.json.
probe_nginx_getdentries() {
  local request=$1 path=$2 header=$3 probe
  probe=$(node "$BENCH_DIR/probe.js" -X POST --body-file "$request" "$NGINX_URL$path" "$header" \
    "content-type: application/json") || die "nginx probe failed"
  [[ "$probe" == "200 $NGINX_DENTRIES_BYTES application/json" ]] ||
    die "nginx probe: expected '200 $NGINX_DENTRIES_BYTES application/json', got '$probe'"
}

stop_nginx() {
  stop_pid "$NGINX_PID" nginx
  NGINX_PID=""
}

# ---------------------------------------------------------------------------------------------
# Scale-out: PostgreSQL metadata and S3-compatible blobs (docs/deployment.md)

PG_PID=""
PG_URL=""            # postgres://spacestore@127.0.0.1:PORT/postgres once started
S3_PID=""
S3_ENDPOINT=""       # http://127.0.0.1:PORT once started
NODE_PIDS=()         # extra spacestore nodes of the scaleout scenario
NODE_URLS=()

# as_postgres CMD...: runs CMD as the postgres system user when this script runs as root
# (PostgreSQL refuses to run as root), else as the caller. exec'd, so $! is the server itself.
as_postgres() {
  if (($(id -u) == 0)); then
    setpriv --reuid=postgres --regid=postgres --init-groups --reset-env -- "$@"
  else
    "$@"
  fi
}

# A private PostgreSQL in $WORK/pg on a free loopback port, fsync on (the Debian defaults
# otherwise, but for max_connections: three nodes' pools); sets PG_URL.
start_postgres() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n1)
  [[ -x "$bindir/initdb" ]] || die "PostgreSQL server binaries not found (scripts/install-deps.sh)"
  local dir="$WORK/pg" port
  mkdir -p "$dir"
  if (($(id -u) == 0)); then
    chown postgres: "$dir"
    chmod o+x "$WORK"   # mktemp made it 0700: the postgres user must pass through to $dir
  fi
  as_postgres "$bindir/initdb" -D "$dir/data" -U spacestore --auth=trust -E UTF8 \
    >"$WORK/pg-initdb.log" 2>&1 || die "initdb failed (see $WORK/pg-initdb.log)"
  port=$(free_port)
  as_postgres "$bindir/postgres" -D "$dir/data" -k "$dir" -h 127.0.0.1 -p "$port" \
    -c max_connections=200 -c shared_buffers=256MB -c fsync=on >"$WORK/pg.log" 2>&1 &
  PG_PID=$!
  local i
  for ((i = 0; i < 100; i++)); do
    "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" && break
    require_alive "$PG_PID" postgres "$WORK/pg.log"
    sleep 0.1
  done
  "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" || die "PostgreSQL not ready within 10 s"
  PG_URL="postgres://spacestore@127.0.0.1:$port/postgres"
  log "postgres (pid $PG_PID) on port $port"
}

stop_postgres() {
  stop_pid "$PG_PID" postgres
  PG_PID=""
}

# PostgreSQL's count of committed transactions (each autocommit statement is one), all databases.
pg_xacts() { psql "$PG_URL" -Atc "SELECT sum(xact_commit) FROM pg_stat_database"; }

# pgbench_ceiling: PostgreSQL's own rate of primary-key reads (pgbench -S, 16 clients) on the
# scenario's server: the ceiling the nodes' reads share. Records pgbench-select.
pgbench_ceiling() {
  local bindir
  bindir=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n1)
  local created
  created=$(psql "$PG_URL" -Atc "CREATE DATABASE pgbench" 2>&1) || die "CREATE DATABASE pgbench: $created"
  local url=${PG_URL%/postgres}/pgbench out tps
  "$bindir/pgbench" -i -q -s 10 "$url" >"$WORK/pgbench-init.log" 2>&1 || die "pgbench -i failed"
  out=$("$bindir/pgbench" -S -n -c 16 -j 2 -T "$BENCH_SECONDS" "$url" 2>&1) || die "pgbench -S failed: $out"
  tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' <<<"$out" | head -n1)
  [[ -n "$tps" ]] || die "pgbench printed no tps: $out"
  log "pgbench -S: $tps tps"
  record_value pgbench-select "$tps" "tps (pgbench -S -c 16, PostgreSQL's own point reads)"
}

# s3rver (the conformance suite's npm dependency) on a free port with bucket "bench"; sets
# S3_ENDPOINT and the credentials spacestore reads.
start_s3() {
  local js="$BENCH_DIR/../tests/conformance/node_modules/s3rver/bin/s3rver.js" port
  [[ -f "$js" ]] || die "s3rver not installed (make conformance-deps)"
  port=$(free_port)
  mkdir -p "$WORK/s3"
  node "$js" -d "$WORK/s3" -a 127.0.0.1 -p "$port" --silent --configure-bucket bench \
    >"$WORK/s3rver.log" 2>&1 &
  S3_PID=$!
  local i
  for ((i = 0; i < 100; i++)); do
    curl -s -o /dev/null "http://127.0.0.1:$port/" && break
    require_alive "$S3_PID" s3rver "$WORK/s3rver.log"
    sleep 0.1
  done
  S3_ENDPOINT="http://127.0.0.1:$port"
  export SPACESTORE_S3_ACCESS_KEY_ID=S3RVER SPACESTORE_S3_SECRET_ACCESS_KEY=S3RVER
  log "s3rver (pid $S3_PID) on $S3_ENDPOINT"
}

stop_s3() {
  stop_pid "$S3_PID" s3rver
  S3_PID=""
}

# start_node BIN NAME: one more spacestore on the scenario's PostgreSQL and bucket, beside the
# one start_spacestore started (which stays in SPACESTORE_PID/SPACESTORE_URL).
start_node() {
  local keep_pid=$SPACESTORE_PID keep_url=$SPACESTORE_URL keep_dir=$DATA_DIR keep_log=$SPACESTORE_LOG
  start_spacestore "$1" "$2" --metadata "$PG_URL" --blobs "s3://bench?endpoint=$S3_ENDPOINT&region=us-east-1"
  NODE_PIDS+=("$SPACESTORE_PID")
  NODE_URLS+=("$SPACESTORE_URL")
  SPACESTORE_PID=$keep_pid SPACESTORE_URL=$keep_url DATA_DIR=$keep_dir SPACESTORE_LOG=$keep_log
}

stop_nodes() {
  local pid
  for pid in "${NODE_PIDS[@]}"; do stop_pid "$pid" spacestore; done
  NODE_PIDS=() NODE_URLS=()
}

# ---------------------------------------------------------------------------------------------
# Measurement

# run_wrk [-t THREADS] [-c CONNECTIONS] NAME URL [HEADER...] [-- LUA_SCRIPT [SCRIPT_ARG...]]
# Runs wrk for BENCH_SECONDS with BENCH_THREADS threads and BENCH_CONNECTIONS connections unless
# -t/-c say otherwise, and records req/s, p50 and p99 (ms) under NAME. Dies on a wrk failure, on
# connect/read/write socket errors and on any non-2xx response (counted by the Lua script when
# there is one, and by wrk itself for >= 400 either way). Timeouts (wrk waits 2 s) are recorded
# and reported, since they are a latency result rather than a broken run.
run_wrk() {
  local threads=$BENCH_THREADS connections=$BENCH_CONNECTIONS
  while (($#)) && [[ "$1" == -t || "$1" == -c ]]; do
    if [[ "$1" == -t ]]; then threads=$2; else connections=$2; fi
    shift 2
  done
  ((threads <= connections)) || threads=$connections   # wrk needs a connection per thread
  local name=$1 url=$2
  shift 2
  local args=(-t"$threads" -c"$connections" -d"${BENCH_SECONDS}s" --latency)
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
  log "wrk $name: $threads threads, $connections connections, ${BENCH_SECONDS} s"
  local rc=0
  wrk "${args[@]}" "$url" "${script_args[@]}" >"$out" 2>&1 || rc=$?
  sed 's/^/  | /' "$out" >&2
  ((rc == 0)) || die "wrk $name exited with status $rc"
  record_load "$name" "$out" "$threads" "$connections" "${#script_args[@]}"
}

# run_put_load NAME URL KEYS [PATH_PREFIX]: spacestore-put-load (bench/put_load.cc) PUTting
# 1 MiB bodies that all differ, over BENCH_PUT_CONNECTIONS connections for BENCH_SECONDS, to
# the signed paths of KEYS (under PATH_PREFIX); recorded as run_wrk records a run.
run_put_load() {
  local name=$1 url=$2 keys=$3 prefix=${4:-}
  local hostport=${url#*://}
  hostport=${hostport%%/*}
  local out="$WORK/load-$name.txt" rc=0
  log "spacestore-put-load $name: $BENCH_PUT_CONNECTIONS connections, ${BENCH_SECONDS} s"
  "$PUT_LOAD_BIN" "${hostport%:*}" "${hostport##*:}" "$BENCH_SECONDS" "$BENCH_PUT_CONNECTIONS" \
    "$MIB" "$keys" $prefix >"$out" 2>&1 || rc=$?
  sed 's/^/  | /' "$out" >&2
  ((rc == 0)) || die "spacestore-put-load $name exited with status $rc"
  record_load "$name" "$out" "$BENCH_PUT_CONNECTIONS" "$BENCH_PUT_CONNECTIONS" 1
}

# record_load NAME OUT THREADS CONNECTIONS SCRIPTED: reads a wrk-format report from OUT (req/s,
# the 50% and 99% latencies, socket errors, and with SCRIPTED > 0 the bench-lua line) and
# records the run under NAME; dies on errors or non-2xx answers.
record_load() {
  local name=$1 out=$2 threads=$3 connections=$4 scripted=$5
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
  if ((scripted)); then
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
  LOAD[$name]="-t$threads -c$connections"
  RATE_UNIT[$name]="req/s"
  ROUNDS_OF[$name]=1
  SCENARIO_OF[$name]=$CURRENT_SCENARIO
  TIMEOUTS[$name]=${timeout:-0}
  ((${timeout:-0} == 0)) || NOTES+=("$name: $timeout requests timed out (no reply within 2 s)")
}

# median NUMBER...: the median (the mean of the middle two for an even count).
median() {
  printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END {
    printf "%s", (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'
}

# alternate [-r ROUNDS] NAME_A RUN_A NAME_B RUN_B [NAME RUN]...: calls `RUN_A NAME_A#r`,
# `RUN_B NAME_B#r` (and so on) for r = 1 .. ROUNDS (default BENCH_ROUNDS), taking turns
# (A B A B ..., or A B C A B C ...), each RUN_* being a function that calls run_wrk (or
# record_transfer) with the name it is given. Every server stays up for the whole comparison,
# so a slow spell of the shared machine hits all sides alike instead of only the one that
# happened to run then. Then records each NAME as the median of its rounds (rate, p50 and p99
# each).
alternate() {
  local rounds=$BENCH_ROUNDS
  if [[ "${1:-}" == -r ]]; then
    rounds=$2
    shift 2
  fi
  (($# >= 4 && $# % 2 == 0)) || die "alternate: expected NAME RUN pairs"
  local pairs=("$@") r i
  for ((r = 1; r <= rounds; r++)); do
    for ((i = 0; i < ${#pairs[@]}; i += 2)); do
      "${pairs[i + 1]}" "${pairs[i]}#$r"
    done
  done
  local name rps p50 p99 timeouts
  for ((i = 0; i < ${#pairs[@]}; i += 2)); do
    name=${pairs[i]}
    rps=() p50=() p99=() timeouts=0
    for ((r = 1; r <= rounds; r++)); do
      rps+=("${RPS[$name#$r]}")
      p50+=("${P50[$name#$r]}")
      p99+=("${P99[$name#$r]}")
      timeouts=$((timeouts + ${TIMEOUTS[$name#$r]}))
    done
    RUNS+=("$name")
    RPS[$name]=$(median "${rps[@]}")
    P50[$name]=$(median "${p50[@]}")
    P99[$name]=$(median "${p99[@]}")
    LOAD[$name]="median"
    RATE_UNIT[$name]=${RATE_UNIT[$name#1]}
    ROUNDS_OF[$name]=$rounds
    SCENARIO_OF[$name]=$CURRENT_SCENARIO
    TIMEOUTS[$name]=$timeouts
  done
}

# record_transfer NAME LOAD BYTES SECONDS: records one transfer that is not a wrk run (a curl
# upload) as a run named NAME: its rate in MiB/s, and its duration as both p50 and p99.
record_transfer() {
  local name=$1 load=$2 bytes=$3 secs=$4
  RUNS+=("$name")
  RPS[$name]=$(awk -v b="$bytes" -v s="$secs" -v m="$MIB" 'BEGIN { printf "%.2f", b / m / s }')
  P50[$name]=$(awk -v s="$secs" 'BEGIN { printf "%.3f", s * 1000 }')
  P99[$name]=${P50[$name]}
  LOAD[$name]=$load
  RATE_UNIT[$name]="MiB/s"
  ROUNDS_OF[$name]=1
  SCENARIO_OF[$name]=$CURRENT_SCENARIO
  TIMEOUTS[$name]=0
}

# record_value NAME VALUE UNIT: a figure that is not a wrk run (dd, uploads, memory).
record_value() {
  VALUES+=("$1")
  VALUE[$1]=$2
  UNIT[$1]=$3
  SCENARIO_OF[value:$1]=$CURRENT_SCENARIO
}

# check LABEL VALUE OP LIMIT [UNIT] [NOTE] [JSON_FIELD...]: records "LABEL = VALUE[UNIT] (target
# OP LIMIT[UNIT]) PASS|FAIL[  NOTE]". OP is ">=" or "<"; UNIT is appended as is (" ms", " MiB"
# or nothing). Each JSON_FIELD (`name=JSON`) is added to, or replaces, the check's fields in the
# results file (check_ratio's value, reference and ratio).
check() {
  local label=$1 value=$2 op=$3 limit=$4 unit=${5:-} note=${6:-}
  shift $(($# < 6 ? $# : 6))
  local pass=false
  if awk -v v="$value" -v op="$op" -v lim="$limit" \
    'BEGIN { exit !((op == ">=") ? (v + 0 >= lim + 0) : (v + 0 < lim + 0)) }'; then
    pass=true
  fi
  CHECKS+=("$(awk -v v="$value" -v op="$op" -v lim="$limit" -v u="$unit" -v label="$label" \
    -v note="$note" -v pass="$pass" 'BEGIN {
    printf "%s = %.2f%s (target %s %s%s)  %s", label, v, u, op, lim, u,
      (pass == "true" ? "PASS" : "FAIL")
    if (note != "") printf "  [%s]", note }')")
  check_json "$label" "$value" "${unit# }" "{\"op\":\"$op\",\"limit\":$limit}" "$pass" "$note" "$@"
}

# check_json LABEL VALUE UNIT TARGET_JSON PASS NOTE [name=JSON...]: one check as a JSON object
# (CHECK_JSON), in the results file's format (README.md, "The results file").
check_json() {
  local label=$1 value=$2 unit=$3 target=$4 pass=$5 note=$6
  shift 6
  local args=(--arg scenario "$CURRENT_SCENARIO" --arg metric "$label" --arg value "$value"
    --arg unit "$unit" --argjson target "$target" --argjson pass "$pass" --arg note "$note")
  local filter='{scenario: $scenario, kind: "check", metric: $metric,
    value: ($value | tonumber? // null), unit: $unit, reference: null, ratio: null,
    target: $target, pass: $pass, rounds: null, note: (if $note == "" then null else $note end)}'
  local field i=0
  for field in "$@"; do
    args+=(--argjson "f$i" "${field#*=}")
    filter+=" + {\"${field%%=*}\": \$f$i}"
    i=$((i + 1))
  done
  CHECK_JSON+=("$(jq -nc "${args[@]}" "$filter")") || die "check_json: jq failed on $label"
}

# report_only LABEL VALUE: records "LABEL = VALUE (no target; reported only)".
report_only() {
  CHECKS+=("$(awk -v v="$2" -v label="$1" 'BEGIN {
    printf "%s = %.2f (no target; reported only)", label, v }')")
  check_json "$1" "$2" "" null null ""
}

# ratio A B: A / B with 4 decimals.
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.4f", (b > 0 ? a / b : 0) }'; }

# check_ratio LABEL NUM_RUN DEN_RUN MIN: records "LABEL = RPS[NUM]/RPS[DEN] (target >= MIN)";
# in the results file, value is NUM_RUN's rate, reference DEN_RUN's, and the target the ratio's.
check_ratio() {
  local label=$1 num=$2 den=$3 min=$4 r
  r=$(ratio "${RPS[$num]}" "${RPS[$den]}")
  check "$label" "$r" ">=" "$min" "" "" "value=${RPS[$num]}" \
    "unit=\"${RATE_UNIT[$num]:-req/s}\"" "reference=${RPS[$den]}" "ratio=$r" \
    "rounds=${ROUNDS_OF[$num]:-1}"
}

# check_ratio_of_ratios LABEL NUM_RUN NUM_REF DEN_RUN DEN_REF MIN: records
# "LABEL = (RPS[NUM_RUN]/RPS[NUM_REF]) / (RPS[DEN_RUN]/RPS[DEN_REF]) (target >= MIN)": how one
# ratio to a reference compares with another, each taken against its own reference.
check_ratio_of_ratios() {
  local label=$1 num=$2 num_ref=$3 den=$4 den_ref=$5 min=$6 a b r
  a=$(ratio "${RPS[$num]}" "${RPS[$num_ref]}")
  b=$(ratio "${RPS[$den]}" "${RPS[$den_ref]}")
  r=$(ratio "$a" "$b")
  check "$label" "$r" ">=" "$min" "" "" "value=$a" "unit=\"ratio\"" "reference=$b" "ratio=$r" \
    "rounds=${ROUNDS_OF[$num]:-1}"
}

# check_p99_below LABEL RUN MAX_MS [NOTE]: records "LABEL = P99[RUN] ms (target < MAX_MS ms)".
check_p99_below() {
  local label=$1 run=$2 max=$3 note=${4:-}
  check "$label" "${P99[$run]}" "<" "$max" " ms" "$note" "rounds=${ROUNDS_OF[$run]:-1}"
}

# write_results COMPLETE: writes every figure of the run to RESULTS_FILE (README.md, "The
# results file"): the machine, the settings, each run, each other measurement, each check and
# the micro-benchmarks. COMPLETE is false when the run broke off (written from cleanup).
RESULTS_FILE=""
MICRO_JSON=""   # spacestore-microbench's --benchmark_out file, once the micro scenario ran
write_results() {
  local complete=$1 name lines=()
  for name in "${RUNS[@]}"; do
    lines+=("$(jq -nc --arg scenario "${SCENARIO_OF[$name]}" --arg metric "$name" \
      --arg value "${RPS[$name]}" --arg unit "${RATE_UNIT[$name]:-req/s}" \
      --arg load "${LOAD[$name]}" \
      --arg p50 "${P50[$name]}" --arg p99 "${P99[$name]}" --arg timeouts "${TIMEOUTS[$name]}" \
      --arg rounds "${ROUNDS_OF[$name]:-1}" '{scenario: $scenario, kind: "run", metric: $metric,
        value: ($value | tonumber), unit: $unit, load: $load, p50_ms: ($p50 | tonumber),
        p99_ms: ($p99 | tonumber), timeouts: ($timeouts | tonumber),
        rounds: ($rounds | tonumber)}')")
  done
  for name in "${VALUES[@]}"; do
    lines+=("$(jq -nc --arg scenario "${SCENARIO_OF[value:$name]}" --arg metric "$name" \
      --arg value "${VALUE[$name]}" --arg unit "${UNIT[$name]}" '{scenario: $scenario,
        kind: "value", metric: $metric, value: ($value | tonumber? // null), unit: $unit}')")
  done
  local micro='[]'
  if [[ -n "$MICRO_JSON" && -s "$MICRO_JSON" ]]; then
    micro=$(jq -c '[.benchmarks[] | {name, real_time, cpu_time, time_unit, iterations,
      bytes_per_second: (.bytes_per_second // null)}]' "$MICRO_JSON") || micro='[]'
  fi
  local commit dirty=false
  commit=$(git -C "$BENCH_DIR" rev-parse HEAD 2>/dev/null || echo unknown)
  [[ -z "$(git -C "$BENCH_DIR" status --porcelain 2>/dev/null)" ]] || dirty=true
  printf '%s\n' "${lines[@]}" "${CHECK_JSON[@]}" | jq -s \
    --argjson complete "$complete" --argjson micro "$micro" \
    --arg nproc "$(nproc)" --arg kernel "$(uname -r)" \
    --arg cpu "$(sed -n 's/^model name[[:space:]]*: //p' /proc/cpuinfo | head -n1)" \
    --arg started "$STARTED_AT" --arg finished "$(date -u +%Y-%m-%dT%H:%M:%SZ)" \
    --arg load_before "$LOAD_BEFORE" --arg load_after "$(cut -d' ' -f1-3 /proc/loadavg)" \
    --arg commit "$commit" --argjson dirty "$dirty" --arg binary "$BIN" \
    --arg scenarios "$(IFS=,; echo "${SCENARIOS[*]}")" \
    --arg seconds "$BENCH_SECONDS" --arg rounds "$BENCH_ROUNDS" \
    --arg connections "$BENCH_CONNECTIONS" --arg threads "$BENCH_THREADS" \
    --arg put_connections "$BENCH_PUT_CONNECTIONS" --arg put_keys "$BENCH_PUT_KEYS" \
    --arg upload_rounds "$BENCH_UPLOAD_ROUNDS" --arg start_rounds "$BENCH_START_ROUNDS" \
    --arg io_threads "${SPACESTORE_IO_THREADS:-}" --arg workers "${SPACESTORE_WORKERS:-}" \
    '{format: "spacestore-bench-results/1", complete: $complete,
      machine: {nproc: ($nproc | tonumber), kernel: $kernel, cpu: $cpu,
        loadavg_before: $load_before, loadavg_after: $load_after},
      started: $started, finished: $finished, git_commit: $commit, git_dirty: $dirty,
      binary: $binary,
      settings: {scenarios: ($scenarios | split(",")), seconds: ($seconds | tonumber),
        rounds: ($rounds | tonumber), connections: ($connections | tonumber),
        threads: ($threads | tonumber), put_connections: ($put_connections | tonumber),
        put_keys: ($put_keys | tonumber), upload_rounds: ($upload_rounds | tonumber),
        start_rounds: ($start_rounds | tonumber),
        io_threads: (if $io_threads == "" then null else ($io_threads | tonumber? // .) end),
        workers: (if $workers == "" then null else ($workers | tonumber? // .) end)},
      figures: ., micro: $micro}' >"$RESULTS_FILE.tmp" || return 1
  mv "$RESULTS_FILE.tmp" "$RESULTS_FILE"
  RESULTS_WRITTEN=1
}

report() {
  echo
  echo "spacestore bench: ${BENCH_SECONDS}s per run, $(nproc) cores," \
    "io-threads ${SPACESTORE_IO_THREADS:-default}, workers ${SPACESTORE_WORKERS:-default}," \
    "scenarios $(IFS=,; echo "${SCENARIOS[*]}")"
  local name line
  if ((${#RUNS[@]})); then
    printf '%-30s %-10s %12s %-6s %10s %10s\n' run load rate unit "p50 ms" "p99 ms"
    for name in "${RUNS[@]}"; do
      printf '%-30s %-10s %12.0f %-6s %10.3f %10.3f\n' "$name" "${LOAD[$name]}" "${RPS[$name]}" \
        "${RATE_UNIT[$name]:-req/s}" "${P50[$name]}" "${P99[$name]}"
    done
  fi
  if [[ -n "$MICRO_JSON" && -s "$MICRO_JSON" ]]; then
    echo
    # CPU time per call, as Google Benchmark's bytes_per_second is (wall time is in the JSON).
    printf '%-30s %10s %12s %12s\n' micro-benchmark "" "cpu ns/op" "MiB/s"
    jq -r '.benchmarks[] | [.name, (if .time_unit == "ns" then .cpu_time
        elif .time_unit == "us" then .cpu_time * 1e3 elif .time_unit == "ms" then .cpu_time * 1e6
        else .cpu_time * 1e9 end), ((.bytes_per_second // 0) / 1048576)] | @tsv' "$MICRO_JSON" |
      awk -F'\t' '{ if ($3 > 0) printf "%-30s %10s %12.1f %12.0f\n", $1, "", $2, $3
                    else printf "%-30s %10s %12.1f %12s\n", $1, "", $2, "-" }'
  fi
  if ((${#VALUES[@]})); then
    echo
    printf '%-28s %-10s %12s\n' measurement "" value
    for name in "${VALUES[@]}"; do
      printf '%-28s %-10s %12.2f %s\n' "$name" "" "${VALUE[$name]}" "${UNIT[$name]}"
    done
  fi
  echo
  for line in "${CHECKS[@]}"; do echo "$line"; done
  if ((${#NOTES[@]})); then
    echo
    for line in "${NOTES[@]}"; do echo "note: $line"; done
  fi
}

# ---------------------------------------------------------------------------------------------
# Scenarios

# The micro-benchmarks of the hot paths (bench/micro/micro_bench.cc): spacestore-microbench, next
# to the server binary, for BENCH_MICRO_MIN_TIME (0.1 s) per benchmark. Its JSON output goes into
# the results file ("micro") and a short table; no targets (they show a regression between runs).
scenario_micro() {
  local bin=$1 micro
  micro="$(dirname "$bin")/spacestore-microbench"
  if [[ ! -x "$micro" ]]; then
    NOTES+=("micro: $micro not found (built by the release preset); skipped")
    return 0
  fi
  MICRO_JSON="$WORK/micro.json"
  log "running $micro"
  "$micro" --benchmark_min_time="${BENCH_MICRO_MIN_TIME:-0.1}" --benchmark_out="$MICRO_JSON" \
    --benchmark_out_format=json 2>&1 | sed 's/^/  | /' >&2
  ((PIPESTATUS[0] == 0)) || die "$micro failed"
  jq -e '.benchmarks | length > 0' "$MICRO_JSON" >/dev/null || die "$micro wrote no results"
  NOTES+=("micro: CPU time per call (wall time in the JSON file), on cores shared with the machine's other work; compare them between runs of the same machine")
}

# GetSpace over 1,000 spaces against the reference nginx serving space.json (702 bytes).
scenario_getspace() {
  local bin=$1
  start_spacestore "$bin" getspace
  seed_spaces 1000
  local header="x-acs-dingtalk-access-token: $TOKEN"
  node "$BENCH_DIR/probe.js" "$SPACESTORE_URL/v1.0/storage/spaces/$(head -n1 "$IDS_FILE")?unionId=$SPACESTORE_UNION_ID" "$header" >/dev/null ||
    die "GetSpace probe failed"

  start_nginx
  probe_nginx_getspace "$header"

  # Same Lua script, ids and header for both, so wrk sends identical requests.
  getspace_spacestore() {
    run_wrk "$1" "$SPACESTORE_URL/v1.0/storage/spaces/" "$header" \
      -- "$BENCH_DIR/getspace.lua" "$IDS_FILE" "$SPACESTORE_UNION_ID"
  }
  getspace_nginx() {
    run_wrk "$1" "$NGINX_URL/v1.0/storage/spaces/" "$header" \
      -- "$BENCH_DIR/getspace.lua" "$IDS_FILE" "$SPACESTORE_UNION_ID"
  }
  alternate spacestore-getspace getspace_spacestore nginx-space-702b getspace_nginx
  stop_compared

  NOTES+=("response bodies: spacestore GetSpace $GETSPACE_BYTES bytes, nginx $NGINX_SPACE_BYTES bytes")
  check_ratio "GetSpace: ratio spacestore/nginx req/s" spacestore-getspace nginx-space-702b 1.0
  check_p99_below "GetSpace: spacestore p99" spacestore-getspace 2
}

# write_getdentries_request FILE: the GetDentries body naming the 30 seeded ids g0..g29.
write_getdentries_request() {
  local ids=() i
  for ((i = 0; i < 30; i++)); do ids+=("\"g$i\""); done
  (IFS=,; printf '{"dentryIds":[%s]}' "${ids[*]}") >"$1"
}

# start_nginx_dentries REQUEST_FILE PATH HEADER: the reference nginx, probed once with the
# GetDentries request spacestore gets.
start_nginx_dentries() {
  start_nginx
  probe_nginx_getdentries "$@"
}

# stop_compared: checks that spacestore and nginx both lived through the runs, then stops them.
stop_compared() {
  require_alive "$SPACESTORE_PID" spacestore "$SPACESTORE_LOG"
  require_alive "$NGINX_PID" nginx "$WORK/nginx/run/error.log"
  stop_spacestore
  stop_nginx
}

# GetDentries of the same 30 ids (about 14 KB of JSON) against the reference nginx answering the
# same POST with dentries-30.json (15,578 bytes).
scenario_getdentries() {
  local bin=$1
  start_spacestore "$bin" getdentries
  api_token
  new_space getdentries
  seed_dentries 30 g
  local body="$WORK/getdentries-30.json"
  write_getdentries_request "$body"
  local probe bytes
  probe=$(api getdentries "$TOKEN" "$SPACE_ID" "$body") || die "GetDentries probe failed"
  bytes=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' <<<"$probe")
  local path="/v1.0/storage/spaces/$SPACE_ID/dentries/query?unionId=$SPACESTORE_UNION_ID"
  local header="x-acs-dingtalk-access-token: $TOKEN"

  start_nginx_dentries "$body" "$path" "$header"

  getdentries_spacestore() {
    run_wrk "$1" "$SPACESTORE_URL$path" "$header" -- "$BENCH_DIR/getdentries.lua" "$body"
  }
  getdentries_nginx() {
    run_wrk "$1" "$NGINX_URL$path" "$header" -- "$BENCH_DIR/getdentries.lua" "$body"
  }
  alternate spacestore-getdentries-30 getdentries_spacestore nginx-dentries-30 getdentries_nginx
  stop_compared

  NOTES+=("response bodies: spacestore GetDentries (30 ids) $bytes bytes, nginx $NGINX_DENTRIES_BYTES bytes")
  check_ratio "GetDentries: ratio spacestore/nginx req/s" spacestore-getdentries-30 nginx-dentries-30 0.8
}

# admin_users BIN UNION_ID...: makes users of the bench org with these unionIds, through `spacestore
# admin` on the running server's data dir (the server bootstraps the org, and sees users made
# this way on its next request).
admin_users() {
  local bin=$1 u
  shift
  for u in "$@"; do
    "$bin" admin --data-dir "$DATA_DIR" user create --corp-id "$SPACESTORE_CORP_ID" \
      --union-id "$u" >/dev/null || die "admin user create $u failed"
  done
}

# grant DENTRY_ID ROLE UNION_ID...: AddPermission as the bootstrap user (the space's owner);
# prints how many grants the dentry holds afterwards.
grant() {
  local out
  out=$(api grant "$TOKEN" "$SPACE_ID" "$@") || die "AddPermission $2 on $1 failed"
  sed -n 's/^grants=//p' <<<"$out"
}

# GetDentries of the same 30 ids in a/b/c, by the space's owner and by a user who reaches them
# through a READER grant on a (three folders up), in a space holding 202 grants, against nginx
# answering the same POST with dentries-30.json: the granted user's ratio to nginx must be at
# least 0.80 of the owner's.
scenario_permgetdentries() {
  local bin=$1 u="unionId=$SPACESTORE_UNION_ID"
  start_spacestore "$bin" permgetdentries
  local reader=benchreader stranger=benchstranger others=() i
  for ((i = 0; i < PERM_USERS; i++)); do others+=("benchu$i"); done
  admin_users "$bin" "$reader" "$stranger" "${others[@]}"
  api_token
  new_space permgetdentries
  local space="/v1.0/storage/spaces/$SPACE_ID" a b c folders=()
  a=$(dt_call POST "$space/dentries/0/folders?$u" '{"name":"a"}' | json_get dentry.id)
  b=$(dt_call POST "$space/dentries/$a/folders?$u" '{"name":"b"}' | json_get dentry.id)
  c=$(dt_call POST "$space/dentries/$b/folders?$u" '{"name":"c"}' | json_get dentry.id)
  [[ -n "$a" && -n "$b" && -n "$c" ]] || die "AddFolder a/b/c gave no dentry id"
  for ((i = 0; i < PERM_FOLDERS; i++)); do
    folders+=("$(dt_call POST "$space/dentries/0/folders?$u" "{\"name\":\"x$i\"}" | json_get dentry.id)")
  done
  folders+=("$a" "$b" "$c")
  log "seeding 30 files into a/b/c (folder $c)"
  "$SEED_BIN" "$DATA_DIR" "$SPACE_ID" 30 g "$c" >&2 || die "spacestore-bench-seed 30 g $c failed"

  # Every other user on every folder, roles taking turns; the reader on a alone; the stranger on
  # x0 alone, so that it reaches the space but not a/b/c (a user with no role anywhere in the
  # space is refused GetDentries as a whole, and would not show the per-item refusal).
  local roles=(READER DOWNLOADER EDITOR MANAGER) grants=0 n
  for ((i = 0; i < ${#folders[@]}; i++)); do
    n=$(grant "${folders[i]}" "${roles[i % ${#roles[@]}]}" "${others[@]}")
    grants=$((grants + n))
  done
  # Each listing counts the others' grants on that folder again.
  n=$(grant "$a" READER "$reader")
  grants=$((grants + n - PERM_USERS))
  n=$(grant "${folders[0]}" READER "$stranger")
  grants=$((grants + n - PERM_USERS))
  ((grants == PERM_USERS * ${#folders[@]} + 2)) ||
    die "expected $((PERM_USERS * ${#folders[@]} + 2)) grants in the space, found $grants"
  log "space $SPACE_ID holds $grants grants ($PERM_USERS users on ${#folders[@]} folders, $reader READER on a, $stranger READER on x0)"

  local body="$WORK/permgetdentries-30.json"
  write_getdentries_request "$body"
  local probe owner_bytes reader_bytes
  probe=$(api getdentries "$TOKEN" "$SPACE_ID" "$body") || die "GetDentries probe (owner) failed"
  owner_bytes=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' <<<"$probe")
  probe=$(api getdentries "$TOKEN" "$SPACE_ID" "$body" "$reader") ||
    die "GetDentries probe ($reader, granted READER on a) failed"
  reader_bytes=$(sed -n 's/.*bytes=\([0-9]*\).*/\1/p' <<<"$probe")
  api getdentries "$TOKEN" "$SPACE_ID" "$body" "$stranger" denied >/dev/null ||
    die "GetDentries probe ($stranger, granted on x0 only) did not refuse every item"
  local query="$space/dentries/query"
  local header="x-acs-dingtalk-access-token: $TOKEN"

  start_nginx_dentries "$body" "$query?$u" "$header"

  perm_owner() {
    run_wrk "$1" "$SPACESTORE_URL$query?$u" "$header" -- "$BENCH_DIR/getdentries.lua" "$body"
  }
  perm_reader() {
    run_wrk "$1" "$SPACESTORE_URL$query?unionId=$reader" "$header" \
      -- "$BENCH_DIR/getdentries.lua" "$body"
  }
  perm_nginx() {
    run_wrk "$1" "$NGINX_URL$query?$u" "$header" -- "$BENCH_DIR/getdentries.lua" "$body"
  }
  alternate spacestore-perm-owner-30 perm_owner spacestore-perm-granted-30 perm_reader \
    nginx-perm-dentries-30 perm_nginx
  stop_compared

  NOTES+=("permgetdentries: $grants grants in the space; response bodies: owner $owner_bytes bytes, granted user $reader_bytes bytes, nginx $NGINX_DENTRIES_BYTES bytes")
  report_only "GetDentries with grants: ratio owner/nginx req/s" \
    "$(ratio "${RPS[spacestore-perm-owner-30]}" "${RPS[nginx-perm-dentries-30]}")"
  report_only "GetDentries with grants: ratio granted user (READER 3 folders up)/nginx req/s" \
    "$(ratio "${RPS[spacestore-perm-granted-30]}" "${RPS[nginx-perm-dentries-30]}")"
  check_ratio_of_ratios "GetDentries with grants: granted user's ratio / owner's ratio" \
    spacestore-perm-granted-30 nginx-perm-dentries-30 spacestore-perm-owner-30 nginx-perm-dentries-30 0.80
}

# upload_keys COUNT FILE: COUNT upload keys of SPACE_ID (GetFileUploadInfo each), written to FILE
# for spacestore-put-load: the signed URL's path and query, then each signed header, tab-separated; their
# keys go to FILE.keys, one a line. Sets UPLOAD_URL to the first key's URL.
upload_keys() {
  local count=$1 file=$2 i first=""
  : >"$file"
  : >"$file.keys"
  for ((i = 0; i < count; i++)); do
    upload_info
    [[ -n "$first" ]] || first=$UPLOAD_URL
    (IFS=$'\t'; printf '%s\t%s\n' "/${UPLOAD_URL#*://*/}" "${UPLOAD_HEADERS[*]}") >>"$file"
    echo "$UPLOAD_KEY" >>"$file.keys"
  done
  UPLOAD_URL=$first
}

# sink_put FILE NAME: PUTs FILE to the reference nginx's sink as curl -T does to spacestore
# (upload); dies unless the reply is 201 with every byte sent. Prints the seconds it took.
sink_put() {
  local file=$1 name=$2 size out started ended code sent
  size=$(stat -c %s "$file")
  started=$(now_us)
  out=$(curl -sS -o /dev/null -w '%{http_code} %{size_upload}' -T "$file" -H "Expect:" \
    "$NGINX_URL/sink/$name") || die "curl -T $file to the nginx sink failed"
  ended=$(now_us)
  read -r code sent <<<"$out"
  [[ "$code" == 201 ]] || die "PUT $file to the nginx sink -> HTTP $code"
  [[ "$sent" == "$size" ]] || die "PUT $file to the nginx sink: curl sent $sent of $size bytes"
  awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.6f", (b - a) / 1e6 }'
}

# PUTs of 1 MiB bodies, BENCH_PUT_CONNECTIONS (64) at once over BENCH_PUT_KEYS (64) upload keys,
# durable (each answered once fsynced), against the same wrk load to the reference nginx's sink
# (the body read and thrown away): how close a durable upload comes to the loopback HTTP
# ceiling. Rounds alternate; afterwards every key is committed and its size checked.
scenario_put() {
  local bin=$1
  start_spacestore "$bin" put
  api_token
  new_space put
  local keys="$WORK/put-keys.tsv"
  log "getting $BENCH_PUT_KEYS upload keys"
  upload_keys "$BENCH_PUT_KEYS" "$keys"
  start_nginx
  put_spacestore() { run_put_load "$1" "$SPACESTORE_URL" "$keys"; }
  put_sink() { run_put_load "$1" "$NGINX_URL" "$keys" /sink; }
  alternate spacestore-put-1mib put_spacestore nginx-sink-put-1mib put_sink
  # Each key holds the last body PUT to it; committing them checks that the uploads landed.
  local i all
  mapfile -t all <"$keys.keys"
  for ((i = 0; i < ${#all[@]}; i++)); do
    UPLOAD_KEY=${all[i]}
    commit_check "put-1mib-$i.bin" "$MIB"
  done
  stop_compared

  check_ratio "PUT 1 MiB x$BENCH_PUT_CONNECTIONS connections: ratio spacestore/nginx sink req/s" \
    spacestore-put-1mib nginx-sink-put-1mib 0.35
  NOTES+=("PUT 1 MiB: $BENCH_PUT_CONNECTIONS connections over $BENCH_PUT_KEYS upload keys; spacestore answers each once it is on disk (fsync), the nginx sink discards the body")
}

# One stream of 64 MiB: curl -T of a file to a fresh upload key each round (durable: answered
# once fsynced), against curl -T of that file to the reference nginx's sink, rounds alternating
# (BENCH_UPLOAD_ROUNDS, 5), medians of MiB/s. Each round's file differs from the last in its
# first bytes, so that no upload is a duplicate of stored content (which is not written again).
# Every upload is committed and its size checked between rounds (not timed).
scenario_put64m() {
  local bin=$1 size=$((64 * MIB))
  local file="$WORK/put-64mib.bin"
  head -c "$size" /dev/urandom >"$file"
  # On disk now: the first round's filesystem sync would otherwise write the file out as well.
  sync "$file"
  start_spacestore "$bin" put64m
  api_token
  new_space put64m
  start_nginx
  local round=0
  put64m_spacestore() {
    round=$((round + 1))
    printf '%016d' "$round" | dd of="$file" bs=16 count=1 conv=notrunc status=none ||
      die "marking $file for round $round failed"
    upload_info
    local secs
    secs=$(upload "$file") || die "upload $1 failed"
    record_transfer "$1" "curl -T" "$size" "$secs"
    commit_check "put-64mib-$round.bin" "$size"
  }
  put64m_sink() {
    local secs
    secs=$(sink_put "$file" "put64m-$round") || die "PUT $1 to the nginx sink failed"
    record_transfer "$1" "curl -T" "$size" "$secs"
  }
  alternate -r "$BENCH_UPLOAD_ROUNDS" spacestore-put-64mib put64m_spacestore \
    nginx-sink-put-64mib put64m_sink
  stop_compared
  rm -f "$file"

  check_ratio "PUT 64 MiB, one stream: ratio spacestore/nginx sink MiB/s" \
    spacestore-put-64mib nginx-sink-put-64mib 0.8
  NOTES+=("PUT 64 MiB: curl -T of one 64 MiB file of random bytes (its first 16 bytes the round's number, so no round is a duplicate), a fresh upload key each round, $BENCH_UPLOAD_ROUNDS rounds a side; p50/p99 of these runs are the upload's wall time")
}

# One 1 GiB file uploaded with curl -T, best of 3, against dd copying it with fsync, best of 3;
# and how much spacestore's resident memory grows while it receives the uploads. Uploads and dd
# copies alternate (upload, dd, upload, dd, ...) so that a slow spell of the shared disk hits
# both sides alike; spacestore stays up, idle, while dd runs. Every upload and every dd copy
# writes a new 1 GiB file; all of them are removed only at the end (the blobs with $WORK).
scenario_upload() {
  local bin=$1
  local file="$WORK/upload-1gib.bin"
  log "writing $file: 1 GiB of random bytes"
  head -c "$GIB" /dev/urandom >"$file"
  start_spacestore "$bin" upload
  api_token
  new_space upload

  local rss_before hwm_before hwm_after i secs rate best_upload=0 best_dd=0 started ended
  rss_before=$(proc_kib VmRSS) || die "reading spacestore's VmRSS failed"
  hwm_before=$(proc_kib VmHWM) || die "reading spacestore's VmHWM failed"
  for i in 1 2 3; do
    upload_info   # a fresh key for each upload
    # New content each time: a duplicate of an earlier upload is not written again.
    printf '%016d' "$i" | dd of="$file" bs=16 count=1 conv=notrunc status=none ||
      die "marking $file for upload $i failed"
    sync
    secs=$(upload "$file") || die "upload $i failed"
    rate=$(awk -v s="$secs" 'BEGIN { printf "%.2f", 1024 / s }')
    log "upload $i: 1 GiB in $secs s = $rate MiB/s"
    best_upload=$(awk -v a="$best_upload" -v b="$rate" 'BEGIN { print (b > a ? b : a) }')

    # A new file each time, like the uploads (each a new blob, none removed). Deleting dd.out
    # and writing it again would let the filesystem hand back the blocks it just freed, which
    # on a thin-provisioned virtual disk are several times faster to write than new ones.
    sync
    started=$(now_us)
    dd if="$file" of="$WORK/dd.out.$i" bs=1M conv=fsync status=none || die "dd of $file failed"
    ended=$(now_us)
    rate=$(awk -v us="$((ended - started))" 'BEGIN { printf "%.2f", 1024 / (us / 1e6) }')
    log "dd $i: 1 GiB in $(((ended - started) / 1000)) ms = $rate MiB/s"
    best_dd=$(awk -v a="$best_dd" -v b="$rate" 'BEGIN { print (b > a ? b : a) }')
  done
  rm -f "$WORK"/dd.out.*
  hwm_after=$(proc_kib VmHWM) || die "reading spacestore's VmHWM failed"
  commit_check upload-1gib.bin "$GIB"
  require_alive "$SPACESTORE_PID" spacestore "$SPACESTORE_LOG"
  stop_spacestore
  rm -f "$file"

  local growth
  growth=$(awk -v a="$hwm_after" -v b="$rss_before" 'BEGIN { printf "%.2f", (a - b) / 1024 }')
  record_value spacestore-upload-1gib "$best_upload" "MiB/s (curl -T, best of 3)"
  record_value dd-1gib-fsync "$best_dd" "MiB/s (dd bs=1M conv=fsync, best of 3)"
  record_value spacestore-rss-growth "$growth" "MiB (VmHWM after - VmRSS before)"
  check "Upload 1 GiB: ratio upload/dd" "$(ratio "$best_upload" "$best_dd")" ">=" 0.80
  check "Upload 1 GiB: RSS growth during 1 GiB upload" "$growth" "<" 64 " MiB"
  NOTES+=("spacestore memory: VmRSS $((rss_before / 1024)) MiB and VmHWM $((hwm_before / 1024)) MiB before the uploads, VmHWM $((hwm_after / 1024)) MiB after")
}

# One page of 50 from a folder of 1,000,000 dentries, one request at a time, cycling through the
# first page and the pages after 20 tokens collected by walking the folder.
scenario_list() {
  local bin=$1
  start_spacestore "$bin" list
  api_token
  new_space list
  seed_dentries "$LIST_DENTRIES" l
  local tokens="$WORK/list-tokens.txt" walk
  log "walking the folder for $LIST_TOKENS nextTokens, one every $LIST_STRIDE pages"
  walk=$(api listtokens "$TOKEN" "$SPACE_ID" "$LIST_TOKENS" "$LIST_STRIDE" "$tokens") ||
    die "walking ListDentries pages failed"
  local page_bytes
  page_bytes=$(sed -n 's/.*page_bytes=\([0-9]*\).*/\1/p' <<<"$walk")
  run_wrk -t 1 -c 1 spacestore-list-page-1m "$SPACESTORE_URL/v1.0/storage/spaces/$SPACE_ID/dentries" \
    "x-acs-dingtalk-access-token: $TOKEN" \
    -- "$BENCH_DIR/listpages.lua" "$tokens" "$SPACESTORE_UNION_ID"
  require_alive "$SPACESTORE_PID" spacestore "$SPACESTORE_LOG"
  stop_spacestore
  LIST_DATA_DIR=$DATA_DIR

  local folder
  folder=$(sed ':a; s/\B[0-9]\{3\}\>/,&/; ta' <<<"$LIST_DENTRIES")   # 1000000 -> 1,000,000
  check_p99_below "ListDentries: page p99 in a folder of $folder" spacestore-list-page-1m 10 \
    "p50 $(printf '%.2f' "${P50[spacestore-list-page-1m]}") ms; absolute latency on this machine, no reference"
  NOTES+=("ListDentries: pages of 50 ($page_bytes bytes), the first and the pages after every ${LIST_STRIDE}th nextToken up to row $((LIST_TOKENS * LIST_STRIDE * 50))")
}

LIST_DATA_DIR=""   # the list scenario's data dir (1,000,000 dentries), once it has run

# time_starts BIN NAME DIR: bench/startup.js starting `BIN serve` on data dir DIR
# BENCH_START_ROUNDS times; records NAME-ready (median ms from exec to the first 200 of
# /readyz), NAME-rss (median VmRSS one second after ready) and NAME-probe (one /readyz round
# trip on the ready server, the resolution of the first figure besides the 1 ms retry pause).
time_starts() {
  local bin=$1 name=$2 dir=$3 port out
  port=$(free_port)
  local args=(serve --listen "127.0.0.1:$port" --data-dir "$dir" --access-log false)
  if [[ -n "${SPACESTORE_IO_THREADS:-}" ]]; then args+=(--io-threads "$SPACESTORE_IO_THREADS"); fi
  if [[ -n "${SPACESTORE_WORKERS:-}" ]]; then args+=(--workers "$SPACESTORE_WORKERS"); fi
  log "starting spacestore $BENCH_START_ROUNDS times on $dir"
  out=$(node "$BENCH_DIR/startup.js" "$BENCH_START_ROUNDS" "$port" "$WORK/startup-$name.err" \
    "$bin" "${args[@]}") || die "timing the starts on $dir failed (see $WORK/startup-$name.err)"
  sed 's/^/  | /' <<<"$out" >&2
  local last
  last=$(tail -n1 <<<"$out")
  record_value "$name-ready" "$(sed -n 's/.*ready_ms=\([0-9.]*\).*/\1/p' <<<"$last")" \
    "ms from exec to the first 200 of /readyz (median of $BENCH_START_ROUNDS starts)"
  local rss_kib
  rss_kib=$(sed -n 's/.*rss_kib=\([0-9]*\).*/\1/p' <<<"$last")
  record_value "$name-rss" "$(awk -v k="$rss_kib" 'BEGIN { printf "%.2f", k / 1024 }')" \
    "MiB VmRSS, idle 1 s after ready (median)"
  record_value "$name-probe" "$(sed -n 's/.*probe_ms=\([0-9.]*\).*/\1/p' <<<"$last")" \
    "ms, one /readyz round trip on the ready server (median)"
}

# Start to ready and idle memory with a data dir of 1,000,000 dentries (the list scenario's, or
# one seeded the same way), and beside it with a data dir holding only the bootstrap org: the
# server is started BENCH_START_ROUNDS times on each, one start after another. Absolute
# figures on this machine (no reference); the data dir is in the page cache, as after a restart.
scenario_startup() {
  local bin=$1 dir=$LIST_DATA_DIR
  if [[ -z "$dir" ]]; then
    start_spacestore "$bin" startup
    api_token
    new_space startup
    seed_dentries "$LIST_DENTRIES" l
    require_alive "$SPACESTORE_PID" spacestore "$SPACESTORE_LOG"
    stop_spacestore
    dir=$DATA_DIR
  fi
  start_spacestore "$bin" startup-empty   # bootstraps the org, as any first start
  stop_spacestore
  time_starts "$bin" startup-empty "$WORK/data-startup-empty"
  time_starts "$bin" startup-1m "$dir"

  local folder
  folder=$(sed ':a; s/\B[0-9]\{3\}\>/,&/; ta' <<<"$LIST_DENTRIES")
  check "Startup: start to ready with $folder dentries" "${VALUE[startup-1m-ready]}" "<" 100 " ms" \
    "empty data dir ${VALUE[startup-empty-ready]} ms; probe round trip ${VALUE[startup-1m-probe]} ms"
  check "Startup: idle VmRSS with $folder dentries" "${VALUE[startup-1m-rss]}" "<" 30 " MiB" \
    "empty data dir ${VALUE[startup-empty-rss]} MiB"
  NOTES+=("startup: data dir of $folder dentries $(du -sh "$dir" | cut -f1); times from exec (node's spawn) to the first 200 of GET /readyz, polled every 1 ms")
}

# Copy of a folder of 10,000 small files (seeded straight into the store as a tree: files in
# folders of 1,000) into another space: an async task, timed from CopyDentry until GetTask says
# SUCCESS. The reference is `cp -r` of a directory of 10,000 100-byte files plus `sync` on the
# same filesystem: a copy shares its content, so what it costs is metadata, as cp's is inodes.
scenario_copy() {
  local bin=$1 out target files
  start_spacestore "$bin" copy
  api_token
  new_space copytarget
  target=$SPACE_ID
  new_space copy
  log "seeding a tree of $COPY_DENTRIES descendants"
  "$SEED_BIN" "$DATA_DIR" "$SPACE_ID" "$COPY_DENTRIES" c tree >&2 ||
    die "spacestore-bench-seed $COPY_DENTRIES tree failed"
  out=$(node "$BENCH_DIR/copy.js" "$SPACESTORE_URL" "$TOKEN" "$SPACE_ID" croot "$target" \
    "$COPY_ROUNDS") || die "the copy run failed"
  log "copy: $out"
  require_alive "$SPACESTORE_PID" spacestore "$SPACESTORE_LOG"
  stop_spacestore
  local done_ms dentries
  done_ms=$(sed -n 's/.*done_ms=\([0-9.]*\).*/\1/p' <<<"$out")
  dentries=$(sed -n 's/.*dentries=\([0-9]*\).*/\1/p' <<<"$out")
  # The seeded tree: the root, a chain of 20 folders, one folder per 1,000 files, the files.
  files=$(awk -v d="$COPY_DENTRIES" 'BEGIN { r = d - 21; printf "%d", 1 + r - int((r + 1000) / 1001) }')

  local dir="$WORK/cp-src" i started ended
  mkdir -p "$dir"
  for ((i = 0; i < files; i += 1000)); do
    (cd "$dir" && mkdir -p "g$i" && for ((j = 0; j < 1000 && i + j < files; j++)); do
      head -c 100 /dev/zero >"g$i/f$j"; done)
  done
  sync
  started=$(now_us)
  cp -r "$dir" "$WORK/cp-dst"
  sync
  ended=$(now_us)
  rm -rf "$dir" "$WORK/cp-dst"
  local cp_ms copy_rate cp_rate
  cp_ms=$(awk -v us="$((ended - started))" 'BEGIN { printf "%.2f", us / 1000 }')
  copy_rate=$(awk -v f="$files" -v ms="$done_ms" 'BEGIN { printf "%.0f", f / (ms / 1000) }')
  cp_rate=$(awk -v f="$files" -v ms="$cp_ms" 'BEGIN { printf "%.0f", f / (ms / 1000) }')
  record_value copy-10k-done "$done_ms" "ms (CopyDentry until GetTask SUCCESS, median of $COPY_ROUNDS; $dentries dentries)"
  record_value copy-10k-answer "$(sed -n 's/.*answer_ms=\([0-9.]*\).*/\1/p' <<<"$out")" "ms (CopyDentry answered async)"
  record_value copy-10k-files-per-s "$copy_rate" "files/s ($files files)"
  record_value cp-r-10k-files-per-s "$cp_rate" "files/s (cp -r of $files 100-byte files + sync, $cp_ms ms)"
  report_only "Copy: 10,000-dentry tree, files/s" "$copy_rate"
  report_only "Copy: ratio copy/(cp -r + sync)" "$(ratio "$copy_rate" "$cp_rate")"
  NOTES+=("Copy: one async task per copy, the whole tree in one metadata transaction; the content is shared (no blob is written), the target space is charged")
}

# dt_call METHOD PATH [BODY]: one DingTalk call to the running spacestore with TOKEN; prints the
# reply; dies unless it is 200.
dt_call() {
  local method=$1 path=$2 body=${3:-}
  local args=(-sS -X "$method" -o "$WORK/dt-reply.json" -w '%{http_code}'
    -H "x-acs-dingtalk-access-token: $TOKEN")
  if [[ -n "$body" ]]; then args+=(-H 'Content-Type: application/json' --data "$body"); fi
  local code
  code=$(curl "${args[@]}" "$SPACESTORE_URL$path") || die "curl $method $path failed"
  [[ "$code" == 200 ]] || die "$method $path -> HTTP $code: $(head -c 300 "$WORK/dt-reply.json")"
  cat "$WORK/dt-reply.json"
}

# json_get PATH: the value at dotted PATH (a.0.b) of the JSON on stdin; empty when absent.
json_get() {
  node -e 'let s = ""; process.stdin.on("data", (d) => { s += d; }).on("end", () => {
    let v = JSON.parse(s);
    for (const k of process.argv[1].split(".")) v = v == null ? undefined : v[k];
    process.stdout.write(v === undefined ? "" : String(v)); });' "$1"
}

# wait_task REPLY: when REPLY (a DeleteDentry or restore answer) names a task, polls GetTask until
# it is done; dies unless it succeeded.
wait_task() {
  local task
  task=$(json_get taskId <<<"$1")
  [[ -n "$task" ]] || return 0
  local reply i
  for ((i = 0; i < 60000; i++)); do
    # grep, not node: a poll should cost little more than the request itself.
    reply=$(dt_call GET "/v1.0/storage/tasks/$task?unionId=$SPACESTORE_UNION_ID")
    [[ "$reply" == *'"status":"SUCCESS"'* ]] && return 0
    [[ "$reply" == *'"status":"FAIL"'* ]] && die "task $task failed: ${reply:0:300}"
    sleep 0.01
  done
  die "task $task not done after 10 minutes"
}

# Deletes a folder of RECYCLE_FILES small files to the recycle bin, then restores it: the time of
# each until it is done (answered, or its task finished), and checks that the tree and usedQuota
# are back as they were.
scenario_recycle() {
  local bin=$1 u="unionId=$SPACESTORE_UNION_ID"
  start_spacestore "$bin" recycle
  api_token
  new_space recycle
  local space="/v1.0/storage/spaces/$SPACE_ID" folder
  folder=$(dt_call POST "$space/dentries/0/folders?$u" '{"name":"tree"}' | json_get dentry.id)
  [[ -n "$folder" ]] || die "AddFolder gave no dentry id"
  log "seeding $RECYCLE_FILES files of 1 KiB into folder $folder"
  "$SEED_BIN" "$DATA_DIR" "$SPACE_ID" "$RECYCLE_FILES" r "$folder" >&2 ||
    die "spacestore-bench-seed $RECYCLE_FILES r $folder failed"
  local used
  used=$(dt_call GET "$space?$u" | json_get space.usedQuota)

  local started ended reply
  started=$(now_us)
  reply=$(dt_call DELETE "$space/dentries/$folder?$u&toRecycleBin=true")
  wait_task "$reply"
  ended=$(now_us)
  local delete_ms
  delete_ms=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
  local code
  code=$(curl -sS -o /dev/null -w '%{http_code}' -X POST -H "x-acs-dingtalk-access-token: $TOKEN" \
    "$SPACESTORE_URL$space/dentries/r0/query?$u")
  [[ "$code" == 404 ]] || die "a recycled file still answers GetDentry (HTTP $code)"

  local bin_id item
  bin_id=$(dt_call GET "/v1.0/storage/recycleBins?$u&recycleBinScope=SPACE&scopeId=$SPACE_ID" |
    json_get recycleBin.id)
  item=$(dt_call GET "/v1.0/storage/recycleBins/$bin_id/recycleItems?$u" | json_get recycleItems.0.id)
  [[ -n "$item" ]] || die "the recycle bin holds no item"
  started=$(now_us)
  reply=$(dt_call POST "/v1.0/storage/recycleBins/$bin_id/recycleItems/$item/restore?$u" '{}')
  wait_task "$reply"
  ended=$(now_us)
  local restore_ms
  restore_ms=$(awk -v a="$started" -v b="$ended" 'BEGIN { printf "%.1f", (b - a) / 1000 }')
  dt_call POST "$space/dentries/r$((RECYCLE_FILES - 1))/query?$u" >/dev/null
  [[ "$(dt_call GET "$space?$u" | json_get space.usedQuota)" == "$used" ]] ||
    die "usedQuota changed across delete to the bin and restore"
  require_alive "$SPACESTORE_PID" spacestore "$SPACESTORE_LOG"
  stop_spacestore

  record_value "recycle delete" "$delete_ms" ms
  record_value "recycle restore" "$restore_ms" ms
  report_only "Recycle: delete $RECYCLE_FILES files + folder to the bin (ms)" "$delete_ms"
  report_only "Recycle: restore them (ms)" "$restore_ms"
  NOTES+=("recycle: a folder of $RECYCLE_FILES files of 1 KiB (seeded by spacestore-bench-seed); times are until the operation is done (answered, or its task finished)")
}

# Rename and move of a folder holding 1,000 / 10,000 / 100,000 descendants (seeded straight into
# the store): the time until each is answered and until a descendant 21 folders down shows the
# new path in GetDentry. Paths are computed on read, so neither may grow with the tree.
scenario_tree() {
  local bin=$1 size out other
  start_spacestore "$bin" tree
  api_token
  new_space treeother
  other=$SPACE_ID
  new_space tree
  for size in "${TREE_SIZES[@]}"; do
    log "seeding a tree of $size descendants"
    "$SEED_BIN" "$DATA_DIR" "$SPACE_ID" "$size" "t$size" tree >&2 ||
      die "spacestore-bench-seed $size tree failed"
    out=$(api tree "$TOKEN" "$SPACE_ID" "t${size}root" "t${size}deep" "$TREE_ROUNDS" "$other") ||
      die "the tree run of $size failed"
    log "tree $size: $out"
    local key
    for key in rename_ms rename_seen_ms move_ms move_seen_ms cross_ms; do
      record_value "tree-$size-${key%_ms}" "$(sed -n "s/.*\<$key=\([0-9.]*\).*/\1/p" <<<"$out")" ms
    done
  done
  require_alive "$SPACESTORE_PID" spacestore "$SPACESTORE_LOG"
  stop_spacestore
  for size in "${TREE_SIZES[@]}"; do
    local n
    n=$(sed ':a; s/\B[0-9]\{3\}\>/,&/; ta' <<<"$size")
    check "Tree: rename answered, $n descendants" "${VALUE[tree-$size-rename]}" "<" \
      "$TREE_LIMIT_MS" " ms"
    check "Tree: rename seen at depth 21, $n descendants" "${VALUE[tree-$size-rename_seen]}" "<" \
      "$TREE_LIMIT_MS" " ms"
    check "Tree: move answered, $n descendants" "${VALUE[tree-$size-move]}" "<" \
      "$TREE_LIMIT_MS" " ms"
    check "Tree: move seen at depth 21, $n descendants" "${VALUE[tree-$size-move_seen]}" "<" \
      "$TREE_LIMIT_MS" " ms"
  done
  NOTES+=("Tree: medians of $TREE_ROUNDS renames and $TREE_ROUNDS same-space moves per size; tree-N-cross is a move to another space and back (one row per dentry), reported only")
}

# open_fds: how many descriptors the running spacestore has open.
open_fds() { find "/proc/$SPACESTORE_PID/fd" -mindepth 1 -maxdepth 1 2>/dev/null | wc -l; }

# wait_fds OP COUNT WHAT: waits up to 120 s until open_fds is OP (-ge or -le) COUNT.
wait_fds() {
  local op=$1 count=$2 what=$3 i
  for ((i = 0; i < 1200; i++)); do
    [ "$(open_fds)" "$op" "$count" ] && return 0
    require_alive "$SPACESTORE_PID" spacestore "$SPACESTORE_LOG"
    sleep 0.1
  done
  die "$what: spacestore has $(open_fds) descriptors open after 120 s, expected $op $count"
}

# start_holder MODE COUNT: bench/hold.js holding COUNT connections to the running spacestore;
# returns once it printed `ready`. Sets HOLD_PID.
HOLD_PID=""
start_holder() {
  local mode=$1 count=$2 out="$WORK/hold-$1.out" i
  : >"$out"
  node "$BENCH_DIR/hold.js" 127.0.0.1 "${SPACESTORE_URL##*:}" "$count" "$mode" >"$out" \
    2>"$WORK/hold-$mode.err" &
  HOLD_PID=$!
  for ((i = 0; i < 1800; i++)); do
    grep -q '^ready' "$out" && return 0
    require_alive "$HOLD_PID" hold.js "$WORK/hold-$mode.err"
    sleep 0.1
  done
  die "hold.js $mode: $count connections not ready within 180 s"
}

stop_holder() {
  stop_pid "$HOLD_PID" hold.js
  HOLD_PID=""
}

# Many held connections (BENCH_HELD, 20,000 by default): what each costs spacestore in memory,
# and GetSpace latency on another connection meanwhile. A third of the held connections are
# idle (nothing sent), a third idle keep-alive after one answered request, a third half-open (half
# a request head). Then a burst of as many connections that the server answers with
# `Connection: close` and then lingers on (its closing state): the growth of peak memory.
scenario_connections() {
  local bin=$1
  ulimit -n "$(ulimit -Hn)"   # spacestore raises its own; hold.js and wrk inherit this one
  local held=$BENCH_HELD hard
  hard=$(ulimit -Hn)
  # spacestore keeps 256 descriptors out of its connection limit, and wrk needs one connection.
  if [[ "$hard" != unlimited ]] && ((held > hard - 320)); then
    NOTES+=("connections: held $((hard - 320)) instead of $held: the open files hard limit is $hard (spacestore keeps 256 of them for stores and files)")
    held=$((hard - 320))
  fi
  local args=(--read-timeout-ms 600000)   # nothing of the held connections times out meanwhile
  if "$bin" serve --help | grep -q -- --max-connections; then
    args+=(--max-connections $((held + 64)))
  else
    NOTES+=("connections: $bin has no --max-connections; run without a limit")
  fi
  start_spacestore "$bin" connections "${args[@]}"
  api_token
  new_space connections
  echo "$SPACE_ID" >"$WORK/connections-space.txt"
  local header="x-acs-dingtalk-access-token: $TOKEN"
  getspace_one() {
    run_wrk -t 1 -c 1 "$1" "$SPACESTORE_URL/v1.0/storage/spaces/" "$header" \
      -- "$BENCH_DIR/getspace.lua" "$WORK/connections-space.txt" "$SPACESTORE_UNION_ID"
  }
  # The first run warms the allocator and the caches, so RSS idle is a server that has served.
  getspace_one spacestore-getspace-idle
  local base_fds rss_idle rss_held rss_after hwm_before hwm_after
  base_fds=$(open_fds)
  sleep 1
  rss_idle=$(proc_kib VmRSS)

  log "holding $held connections"
  start_holder held "$held"
  wait_fds -ge $((base_fds + held)) "holding $held connections"
  sleep 2
  rss_held=$(proc_kib VmRSS)
  log "RSS idle $rss_idle KiB, with $held held $rss_held KiB"
  getspace_one "spacestore-getspace-held"
  require_alive "$HOLD_PID" hold.js "$WORK/hold-held.err"
  stop_holder
  wait_fds -le $((base_fds + 2)) "closing the held connections"
  sleep 1
  rss_after=$(proc_kib VmRSS)

  require_alive "$SPACESTORE_PID" spacestore "$SPACESTORE_LOG"
  stop_spacestore

  # A fresh server, so that the peak is not the held phase's.
  log "a burst of $held connections the server lingers on after answering"
  start_spacestore "$bin" connections-closing "${args[@]}"
  sleep 1
  hwm_before=$(proc_kib VmHWM)
  start_holder closing "$held"
  sleep 2   # the last lingering connections give up after a second
  hwm_after=$(proc_kib VmHWM)
  stop_holder
  require_alive "$SPACESTORE_PID" spacestore "$SPACESTORE_LOG"
  stop_spacestore

  local per_conn growth_mib held_mib burst_mib
  per_conn=$(awk -v a="$rss_held" -v b="$rss_idle" -v n="$held" 'BEGIN { printf "%.0f", (a - b) * 1024 / n }')
  held_mib=$(awk -v a="$rss_held" 'BEGIN { printf "%.2f", a / 1024 }')
  growth_mib=$(awk -v a="$rss_held" -v b="$rss_idle" 'BEGIN { printf "%.2f", (a - b) / 1024 }')
  burst_mib=$(awk -v a="$hwm_after" -v b="$hwm_before" 'BEGIN { printf "%.2f", (a - b) / 1024 }')
  record_value spacestore-rss-idle "$(awk -v a="$rss_idle" 'BEGIN { printf "%.2f", a / 1024 }')" "MiB (VmRSS after a GetSpace run)"
  record_value spacestore-rss-held "$held_mib" "MiB (VmRSS with $held connections held)"
  record_value spacestore-held-growth "$growth_mib" "MiB (VmRSS held - idle)"
  record_value spacestore-bytes-per-held "$per_conn" "bytes per held connection"
  record_value spacestore-rss-after-held "$(awk -v a="$rss_after" 'BEGIN { printf "%.2f", a / 1024 }')" "MiB (VmRSS once they closed)"
  record_value spacestore-closing-hwm-growth "$burst_mib" "MiB (VmHWM growth, $held lingering closes, fresh server)"
  check "Connections: VmRSS with $held held" "$held_mib" "<" "$CONNECTIONS_RSS_LIMIT_MIB" " MiB"
  check "Connections: memory per held connection" "$per_conn" "<" "$CONNECTIONS_BYTES_LIMIT" " bytes"
  check_p99_below "Connections: GetSpace p99 with $held held" spacestore-getspace-held 10 \
    "p50 $(printf '%.2f' "${P50[spacestore-getspace-held]}") ms; idle p99 $(printf '%.2f' "${P99[spacestore-getspace-idle]}") ms"
}

# Sets SCENARIOS from BENCH_SCENARIOS: "all" or names from ALL_SCENARIOS, comma-separated; they
# run in ALL_SCENARIOS order whatever order they are given in.
# run_wrk_nodes NAME PATH HEADER SCRIPT [SCRIPT_ARG...]: one wrk per node in NODE_URLS at once,
# -t1 and BENCH_CONNECTIONS split evenly, each for BENCH_SECONDS: the nodes behind a
# round-robin client. Records NAME with the summed req/s and the worst p50 and p99; dies on
# socket errors and non-2xx replies like run_wrk.
run_wrk_nodes() {
  local name=$1 path=$2 header=$3 script=$4
  shift 4
  local n=${#NODE_URLS[@]} i pids=() out
  local c=$((BENCH_CONNECTIONS / n))
  ((c >= 1)) || c=1
  log "wrk $name: $n nodes at once, -t1 -c$c each, ${BENCH_SECONDS} s"
  for ((i = 0; i < n; i++)); do
    wrk -t1 -c"$c" -d"${BENCH_SECONDS}s" --latency -H "$header" -s "$script" \
      "${NODE_URLS[$i]}$path" -- "$@" >"$WORK/wrk-$name-$i.txt" 2>&1 &
    pids+=($!)
  done
  for ((i = 0; i < n; i++)); do
    wait "${pids[$i]}" || die "wrk $name (node $i) failed: $(cat "$WORK/wrk-$name-$i.txt")"
  done
  local rps=0 p50=0 p99=0 v lua non2xx
  for ((i = 0; i < n; i++)); do
    out="$WORK/wrk-$name-$i.txt"
    sed "s/^/  | node $i: /" "$out" >&2
    grep -q 'Socket errors: .*\(connect\|read\|write\) [1-9]' "$out" && die "wrk $name node $i: socket errors"
    lua=$(grep -m1 '^bench-lua:' "$out" || true)
    non2xx=$(sed -n 's/.*non2xx=\([0-9]*\).*/\1/p' <<<"$lua")
    [[ -n "$lua" && "${non2xx:-1}" == 0 ]] || die "wrk $name node $i: non-2xx replies or no bench-lua line"
    v=$(awk '/^Requests\/sec:/ { print $2 }' "$out")
    rps=$(awk -v a="$rps" -v b="$v" 'BEGIN { printf "%.2f", a + b }')
    v=$(to_ms "$(awk '$1 == "50%" { print $2 }' "$out")")
    p50=$(awk -v a="$p50" -v b="$v" 'BEGIN { print (b > a ? b : a) }')
    v=$(to_ms "$(awk '$1 == "99%" { print $2 }' "$out")")
    p99=$(awk -v a="$p99" -v b="$v" 'BEGIN { print (b > a ? b : a) }')
  done
  RUNS+=("$name")
  RPS[$name]=$rps
  P50[$name]=$p50
  P99[$name]=$p99
  LOAD[$name]="${n}x-t1-c$c"
  ROUNDS_OF[$name]=1
  SCENARIO_OF[$name]=$CURRENT_SCENARIO
  TIMEOUTS[$name]=0
}

# s3_put FILE KEY: PUTs FILE to s3rver's bucket "bench" directly (curl's SigV4), prints the
# seconds it took; dies unless the reply is 200.
s3_put() {
  local file=$1 key=$2 out started ended
  started=$(now_us)
  out=$(curl -sS -o /dev/null -w '%{http_code}' -T "$file" -H "Expect:" \
    -H "x-amz-content-sha256: UNSIGNED-PAYLOAD" \
    --aws-sigv4 "aws:amz:us-east-1:s3" --user "S3RVER:S3RVER" "$S3_ENDPOINT/bench/$key") ||
    die "PUT to s3rver failed"
  ended=$(now_us)
  [[ "$out" == 200 ]] || die "PUT to s3rver: status $out"
  awk -v us="$((ended - started))" 'BEGIN { printf "%.3f", us / 1e6 }'
}

# GetSpace, GetDentries (30 ids) and a 64 MiB upload with PostgreSQL metadata and S3 blobs
# (s3rver, the S3 server the tests use): first one node, beside nginx serving the same bodies
# and s3rver's own PUT of the same 64 MiB; then three nodes on the same stores, loaded at once
# by one wrk each (docs/deployment.md, Capacity model).
scenario_scaleout() {
  local bin=$1
  start_postgres
  start_s3
  local blobs="s3://bench?endpoint=$S3_ENDPOINT&region=us-east-1"
  start_spacestore "$bin" scaleout --metadata "$PG_URL" --blobs "$blobs"
  NODE_URLS=("$SPACESTORE_URL")
  seed_spaces 1000
  local gs_header="x-acs-dingtalk-access-token: $TOKEN"
  new_space scaleout
  "$SEED_BIN" "$PG_URL" "$SPACE_ID" 30 g >&2 || die "spacestore-bench-seed on PostgreSQL failed"
  local body="$WORK/scaleout-30.json" ids=() i
  for ((i = 0; i < 30; i++)); do ids+=("\"g$i\""); done
  (IFS=,; printf '{"dentryIds":[%s]}' "${ids[*]}") >"$body"
  api getdentries "$TOKEN" "$SPACE_ID" "$body" >/dev/null || die "GetDentries probe failed"
  local gd_path="/v1.0/storage/spaces/$SPACE_ID/dentries/query?unionId=$SPACESTORE_UNION_ID"

  start_nginx
  probe_nginx_getspace "$gs_header"
  pg_getspace() {
    run_wrk "$1" "$SPACESTORE_URL/v1.0/storage/spaces/" "$gs_header" \
      -- "$BENCH_DIR/getspace.lua" "$IDS_FILE" "$SPACESTORE_UNION_ID"
  }
  nginx_getspace() {
    run_wrk "$1" "$NGINX_URL/v1.0/storage/spaces/" "$gs_header" \
      -- "$BENCH_DIR/getspace.lua" "$IDS_FILE" "$SPACESTORE_UNION_ID"
  }
  local xacts_before xacts_after
  xacts_before=$(pg_xacts)
  alternate pg-s3-getspace pg_getspace nginx-scaleout-space nginx_getspace
  xacts_after=$(pg_xacts)
  stop_nginx
  local r requests=0
  for ((r = 1; r <= BENCH_ROUNDS; r++)); do
    requests=$(awk -v a="$requests" -v b="${RPS[pg-s3-getspace#$r]}" -v s="$BENCH_SECONDS" \
      'BEGIN { printf "%.0f", a + b * s }')
  done
  record_value pg-xacts-per-getspace \
    "$(awk -v d="$((xacts_after - xacts_before))" -v n="$requests" 'BEGIN { printf "%.2f", d / n }')" \
    "PostgreSQL transactions per GetSpace (pg_stat_database)"
  start_nginx_dentries "$body" "$gd_path" "$gs_header"
  pg_getdentries() {
    run_wrk "$1" "$SPACESTORE_URL$gd_path" "$gs_header" -- "$BENCH_DIR/getdentries.lua" "$body"
  }
  nginx_getdentries() {
    run_wrk "$1" "$NGINX_URL$gd_path" "$gs_header" -- "$BENCH_DIR/getdentries.lua" "$body"
  }
  alternate pg-s3-getdentries-30 pg_getdentries nginx-scaleout-dentries nginx_getdentries
  stop_nginx

  # 64 MiB: through spacestore into the bucket, and straight into the bucket, alternating.
  local file="$WORK/upload-64mib.bin" secs rate best_up=0 best_s3=0
  head -c $((64 * MIB)) /dev/urandom >"$file"
  for r in 1 2 3; do
    upload_info
    secs=$(upload "$file") || die "upload $r failed"
    rate=$(awk -v s="$secs" 'BEGIN { printf "%.2f", 64 / s }')
    log "upload $r through spacestore: 64 MiB in $secs s = $rate MiB/s"
    best_up=$(awk -v a="$best_up" -v b="$rate" 'BEGIN { print (b > a ? b : a) }')
    secs=$(s3_put "$file" "direct-$r")
    rate=$(awk -v s="$secs" 'BEGIN { printf "%.2f", 64 / s }')
    log "PUT $r straight to s3rver: 64 MiB in $secs s = $rate MiB/s"
    best_s3=$(awk -v a="$best_s3" -v b="$rate" 'BEGIN { print (b > a ? b : a) }')
  done
  commit_check upload-64mib.bin $((64 * MIB))
  rm -f "$file"
  record_value pg-s3-upload-64mib "$best_up" "MiB/s (curl -T through one node, best of 3)"
  record_value s3rver-put-64mib "$best_s3" "MiB/s (curl --aws-sigv4 PUT, best of 3)"

  local rss1
  rss1=$(proc_kib VmRSS) || die "reading spacestore's VmRSS failed"

  # Three nodes on the same database and bucket.
  start_node "$bin" scaleout-2
  start_node "$bin" scaleout-3
  NODE_URLS=("$SPACESTORE_URL" "${NODE_URLS[@]:1}")
  run_wrk_nodes pg-s3-getspace-3-nodes "/v1.0/storage/spaces/" "$gs_header" \
    "$BENCH_DIR/getspace.lua" "$IDS_FILE" "$SPACESTORE_UNION_ID"
  run_wrk_nodes pg-s3-getdentries-30-3-nodes "$gd_path" "$gs_header" \
    "$BENCH_DIR/getdentries.lua" "$body"
  local pg_conns
  pg_conns=$(psql "$PG_URL" -Atc "SELECT count(*) FROM pg_stat_activity WHERE application_name = 'spacestore'" 2>/dev/null || echo 0)
  record_value pg-connections-3-nodes "$pg_conns" "PostgreSQL connections held by 3 idle nodes"
  record_value node-rss "$((rss1 / 1024))" "MiB VmRSS of the first node after its runs"
  require_alive "$SPACESTORE_PID" spacestore "$SPACESTORE_LOG"
  stop_nodes
  stop_spacestore
  pgbench_ceiling
  stop_s3
  stop_postgres

  check_ratio "Scale-out GetSpace (PostgreSQL + S3, 1 node): ratio to nginx req/s" \
    pg-s3-getspace nginx-scaleout-space 0.30
  report_only "Scale-out GetDentries 30 ids (1 node): ratio to nginx (dentries-30.json) req/s" \
    "$(ratio "${RPS[pg-s3-getdentries-30]}" "${RPS[nginx-scaleout-dentries]}")"
  report_only "Scale-out upload 64 MiB: ratio through one node / straight to s3rver" \
    "$(ratio "$best_up" "$best_s3")"
  report_only "Scale-out GetSpace: 3 nodes / 1 node req/s" \
    "$(ratio "${RPS[pg-s3-getspace-3-nodes]}" "${RPS[pg-s3-getspace]}")"
  report_only "Scale-out GetDentries: 3 nodes / 1 node req/s" \
    "$(ratio "${RPS[pg-s3-getdentries-30-3-nodes]}" "${RPS[pg-s3-getdentries-30]}")"
  NOTES+=("scale-out: one machine of $(nproc) cores runs PostgreSQL, s3rver, the nodes and wrk; 3 nodes there share the same cores")
}

select_scenarios() {
  local want=" " name known
  if [[ "$BENCH_SCENARIOS" == all ]]; then
    SCENARIOS=("${ALL_SCENARIOS[@]}")
    return
  fi
  for name in ${BENCH_SCENARIOS//,/ }; do
    known=0
    [[ " ${ALL_SCENARIOS[*]} " == *" $name "* ]] && known=1
    ((known)) || die "BENCH_SCENARIOS: unknown scenario '$name' (known: all $(IFS=,; echo "${ALL_SCENARIOS[*]}"))"
    want+="$name "
  done
  SCENARIOS=()
  for name in "${ALL_SCENARIOS[@]}"; do
    [[ "$want" == *" $name "* ]] && SCENARIOS+=("$name")
  done
  ((${#SCENARIOS[@]})) || die "BENCH_SCENARIOS selects no scenario"
}

main() {
  (($# == 1)) || { echo "usage: bench/run.sh PATH/TO/spacestore" >&2; exit 2; }
  local bin=$1
  [[ "$bin" == */* ]] || bin="./$bin"
  [[ -x "$bin" ]] || die "$bin is not an executable file"
  bin="$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")"
  BIN=$bin
  SEED_BIN="$(dirname "$bin")/spacestore-bench-seed"
  PUT_LOAD_BIN="$(dirname "$bin")/spacestore-put-load"
  local tool
  for tool in wrk node "$NGINX_BIN" awk curl dd jq; do
    command -v "$tool" >/dev/null || die "$tool not found (run scripts/install-deps.sh --bench)"
  done
  [[ "$BENCH_SECONDS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_SECONDS must be a positive integer"
  [[ "$BENCH_THREADS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_THREADS must be a positive integer"
  [[ "$BENCH_CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_CONNECTIONS must be a positive integer"
  [[ "$BENCH_PUT_CONNECTIONS" =~ ^[1-9][0-9]*$ ]] || die "BENCH_PUT_CONNECTIONS must be a positive integer"
  ((BENCH_CONNECTIONS >= BENCH_THREADS)) || die "BENCH_CONNECTIONS must be >= BENCH_THREADS"
  select_scenarios
  if [[ " ${SCENARIOS[*]} " == *" getdentries "* || " ${SCENARIOS[*]} " == *" list "* ||
        " ${SCENARIOS[*]} " == *" permgetdentries "* || " ${SCENARIOS[*]} " == *" startup "* ||
        " ${SCENARIOS[*]} " == *" copy "* || " ${SCENARIOS[*]} " == *" recycle "* ||
        " ${SCENARIOS[*]} " == *" tree "* || " ${SCENARIOS[*]} " == *" scaleout "* ]]; then
    [[ -x "$SEED_BIN" ]] || die "$SEED_BIN is not an executable file (built with the release preset)"
  fi

  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/spacestore-bench.XXXXXX")
  log "scenarios: ${SCENARIOS[*]}; working in $WORK"
  # build/release/bin/spacestore -> build/release/bench-results.json
  RESULTS_FILE=${BENCH_OUT:-$(dirname "$(dirname "$bin")")/bench-results.json}
  STARTED_AT=$(date -u +%Y-%m-%dT%H:%M:%SZ)
  LOAD_BEFORE=$(cut -d' ' -f1-3 /proc/loadavg)

  local scenario
  for scenario in "${SCENARIOS[@]}"; do
    CURRENT_SCENARIO=$scenario
    "scenario_$scenario" "$bin"
  done
  CURRENT_SCENARIO=""
  report
  write_results true || die "writing $RESULTS_FILE failed"
  echo
  echo "results (JSON): $RESULTS_FILE"
}

main "$@"

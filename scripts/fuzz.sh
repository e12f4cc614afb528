#!/usr/bin/env bash
# Runs every libFuzzer target for SECONDS seconds each (`make fuzz SECONDS=N`), JOBS at a time,
# from the fuzz preset's build (clang, ASan, UBSan). Each target starts from its committed seeds
# (tests/fuzz/corpus/<name>) and grows a scratch corpus in build/fuzz/corpus/<name>, so the
# committed seeds stay small. A crash, leak or timeout input is copied into
# tests/fuzz/corpus/<name>/ (so every `make test` replays it from then on) and fails the run.
# FUZZ_TARGETS="a b" runs only those. Prints one line per target: executions, executions per second, coverage, new corpus entries.
set -euo pipefail
seconds=${1:-60}
jobs=${2:-1}
root=$(cd "$(dirname "$0")/.." && pwd)
bin=$root/build/fuzz/bin
targets=${FUZZ_TARGETS:-$(cd "$root/tests/fuzz/corpus" && ls)}
report=$root/build/fuzz/report.txt
mkdir -p "$root/build/fuzz"
: >"$report"

run_one() {
  local name=$1 scratch=$root/build/fuzz/corpus/$1 found=$root/build/fuzz/findings/$1
  mkdir -p "$scratch" "$found"
  local log=$root/build/fuzz/$name.log
  local before
  before=$(ls "$scratch" | wc -l)
  local status=0
  "$bin/${name}_fuzz" -max_total_time="$seconds" -print_final_stats=1 -timeout=10 \
    -artifact_prefix="$found/" "$scratch" "$root/tests/fuzz/corpus/$name" >"$log" 2>&1 || status=$?
  local execs rate cov
  execs=$(grep -o 'stat::number_of_executed_units: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  rate=$(grep -o 'stat::average_exec_per_sec: *[0-9]*' "$log" | grep -o '[0-9]*$' || echo 0)
  cov=$(grep -o 'cov: [0-9]*' "$log" | tail -1 | grep -o '[0-9]*' || echo 0)
  local findings=0
  for f in "$found"/*; do
    [[ -e "$f" ]] || continue
    cp "$f" "$root/tests/fuzz/corpus/$name/"
    findings=$((findings + 1))
  done
  printf '%-16s %4ss  execs %12s  (%s/s)  cov %6s  corpus +%s  findings %s  exit %s\n' \
    "$name" "$seconds" "$execs" "$rate" "$cov" "$(($(ls "$scratch" | wc -l) - before))" \
    "$findings" "$status" | tee -a "$report"
}

running=0
for name in $targets; do
  run_one "$name" &
  running=$((running + 1))
  if ((running >= jobs)); then
    wait -n
    running=$((running - 1))
  fi
done
wait
echo "fuzz: report in $report"
if grep -qv 'findings 0  exit 0$' "$report"; then
  echo "fuzz: findings above; the inputs are now in tests/fuzz/corpus/<name>/"
  exit 1
fi

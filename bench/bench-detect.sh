#!/usr/bin/env bash
# Events per second of detect: built-in pack alone, and with the whole shared Sigma set.
# Input: parse-evtx records of the EVTX attack samples, repeated to about 1 M records.
# usage: bench/bench-detect.sh [BUILD_DIR]   (needs BUILD_DIR/bin/detect and parse-evtx)
set -euo pipefail
build=${1:-build/release}
here=$(cd "$(dirname "$0")/.." && pwd)
corpus=$here/../shared/corpus/evtx/evtx-attack-samples
sigma=$here/../shared/sigma/rules
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$corpus" && find . -name '*.evtx' | sort | while read -r f; do "$build/bin/parse-evtx" --quiet "$f"; done) > "$tmp/one.jsonl"
n1=$(wc -l < "$tmp/one.jsonl")
reps=$(( (1000000 + n1 - 1) / n1 ))
# Each copy gets its own source name so the duplicate-record filter does not drop it.
for i in $(seq 1 "$reps"); do sed "s/\"source\":\"/\"source\":\"copy$i\//" "$tmp/one.jsonl"; done > "$tmp/big.jsonl"
n=$(wc -l < "$tmp/big.jsonl")
run() {  # label, detect args...
  local label=$1; shift
  local t0 t1
  t0=$(date +%s.%N)
  "$build/bin/detect" --quiet "$@" "$tmp/big.jsonl" > "$tmp/out.jsonl"
  t1=$(date +%s.%N)
  awk -v l="$label" -v n="$n" -v a="$t0" -v b="$t1" -v f="$(wc -l < "$tmp/out.jsonl")" \
    'BEGIN { printf "%-28s %9d records %7.2f s %10.0f records/s %6d findings\n", l, n, b - a, n / (b - a), f }'
}
run "built-in pack" 
run "built-in + Sigma ($(find "$sigma" -name '*.yml' | wc -l) files)" --rules "$sigma"

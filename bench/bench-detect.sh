#!/usr/bin/env bash
# Records per second of detect: built-in pack alone, with the default Sigma set triage uses
# (sigma/rules) and with the whole shared Sigma set.
# Input: parse-evtx records of the EVTX attack samples, repeated to about 1 M records.
# usage: bench/bench-detect.sh [BUILD_DIR]   (needs BUILD_DIR/bin/detect and parse-evtx)
set -euo pipefail
build=$(cd "${1:-build/release}" && pwd)
here=$(cd "$(dirname "$0")/.." && pwd)
shared=${KK_SHARED:-$here/../shared}  # a worktree elsewhere: KK_SHARED=/path/to/shared
corpus=$shared/corpus/evtx/evtx-attack-samples
sigma=$shared/sigma/rules
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$corpus" && find . -name '*.evtx' | sort | while read -r f; do "$build/bin/parse-evtx" --quiet "$f"; done) > "$tmp/one.jsonl"
n1=$(wc -l < "$tmp/one.jsonl")
reps=$(( (1000000 + n1 - 1) / n1 ))
# Each copy gets its own source name so the duplicate-record filter does not drop it.
for i in $(seq 1 "$reps"); do sed "s/\"source\":\"/\"source\":\"copy$i\//" "$tmp/one.jsonl"; done > "$tmp/big.jsonl"
n=$(wc -l < "$tmp/big.jsonl")
# Records per CPU second (user + system; wall time on a loaded machine mostly measures waiting)
# and per elapsed second; the default Sigma set's rate as a ratio to issue #21's target.
target=150000
run() {  # label, detect args...
  local label=$1; shift
  /usr/bin/time -f '%e %U %S %M' -o "$tmp/time" "$build/bin/detect" --quiet "$@" "$tmp/big.jsonl" > "$tmp/out.jsonl"
  read -r wall user sys rss_kb < "$tmp/time"
  awk -v l="$label" -v n="$n" -v w="$wall" -v u="$user" -v y="$sys" -v r="$rss_kb" -v f="$(wc -l < "$tmp/out.jsonl")" -v t="$target" -v sig="${1:-}" \
    'BEGIN { c = u + y; printf "%-28s %9d records %7.2f s %7.2f s CPU %10.0f records/CPU-s %10.0f records/s %6d findings  peak RSS %4.0f MiB\n", l, n, w, c, n / c, n / w, f, r / 1024;
             if (sig != "") printf "%-28s %.2fx of the target %d records/s (per CPU second)\n", "", n / c / t, t }'
}
run "built-in pack"
run "built-in + default Sigma set ($(find "$here/sigma/rules" -name '*.yml' | wc -l) files)" --rules "$here/sigma/rules"
run "built-in + shared Sigma ($(find "$sigma" -name '*.yml' | wc -l) files)" --rules "$sigma"

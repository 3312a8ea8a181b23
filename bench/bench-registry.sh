#!/usr/bin/env bash
# Keys per second: parse-registry --raw (every key and value as JSONL) against regfexport
# (libregf-utils) on the same corpus hives, in one run.
#
# Usage: bench/bench-registry.sh [PARSE_REGISTRY] [ROUNDS]
#   PARSE_REGISTRY  default: build/h-registry/bin/parse-registry (then build/release/bin/…)
#   ROUNDS          passes over the hive set (default 5; the hives are small)
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
tool=${1:-}
if [[ -z "$tool" ]]; then
  for c in "$here/build/h-registry/bin/parse-registry" "$here/build/release/bin/parse-registry" "$here/build/bin/parse-registry"; do
    [[ -x "$c" ]] && tool=$c && break
  done
fi
rounds=${2:-5}
corpus="$here/../shared/corpus/registry"
[[ -x "$tool" ]] || { echo "parse-registry not found (build it or pass its path)" >&2; exit 2; }
command -v regfexport >/dev/null || { echo "regfexport not installed (apt install libregf-utils)" >&2; exit 2; }
hives=("$corpus/plaso/regf/UsrClass.dat" "$corpus/plaso/winreg/Amcache.hve" "$corpus/plaso/NTUSER-WIN7.DAT"
       "$corpus/plaso/regf/NTUSER.DAT" "$corpus/plaso/winreg/win10-Amcache.hve" "$corpus/ez-registry/NTUSER1.DAT"
       "$corpus/ez-registry/SECURITY" "$corpus/ez-registry/SAM")
keys=0
bytes=0
for h in "${hives[@]}"; do
  n=$("$tool" --raw --quiet --logs none --jobs 1 "$h" 2>/dev/null | wc -l)
  keys=$((keys + n))
  bytes=$((bytes + $(stat -c %s "$h")))
done
now() { date +%s.%N; }
t0=$(now)
for ((r = 0; r < rounds; r++)); do
  for h in "${hives[@]}"; do "$tool" --raw --quiet --logs none --jobs 1 "$h" >/dev/null 2>&1; done
done
t1=$(now)
for ((r = 0; r < rounds; r++)); do
  for h in "${hives[@]}"; do regfexport "$h" >/dev/null 2>&1 || true; done
done
t2=$(now)
typed0=$(now)
for ((r = 0; r < rounds; r++)); do "$tool" --quiet --jobs 1 "${hives[@]}" >/dev/null 2>&1; done
typed1=$(now)
awk -v k="$keys" -v b="$bytes" -v r="$rounds" -v a="$t0" -v m="$t1" -v z="$t2" -v p="$typed0" -v q="$typed1" 'BEGIN {
  ours = m - a; theirs = z - m; typed = q - p;
  printf "hives: %d files, %.1f MB, %d keys; %d rounds\n", 8, b / 1e6, k, r;
  printf "%-32s %8.3f s  %10.0f keys/s\n", "parse-registry --raw", ours, k * r / ours;
  printf "%-32s %8.3f s  %10.0f keys/s\n", "regfexport (libregf-utils)", theirs, k * r / theirs;
  printf "%-32s %8.3f s  (typed records only)\n", "parse-registry (plugins)", typed;
  printf "speed ratio (parse-registry / regfexport): %.1fx\n", theirs / ours;
}'

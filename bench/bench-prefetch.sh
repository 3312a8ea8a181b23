#!/usr/bin/env bash
# Files per second on the corpus prefetch files: parse-prefetch side by side with
# libscca's sccainfo (Debian libscca-utils), in one run, with the ratio.
#
# usage: bench/bench-prefetch.sh [PARSE_PREFETCH_BINARY] [ROUNDS]
# Each measurement reads every corpus prefetch file ROUNDS times (default 10):
#   sccainfo                   one process per file (the only way it works)
#   parse-prefetch -j1         one process for all files, one thread (how it is used
#                              on a Prefetch folder: up to 1024 files)
#   parse-prefetch, all cores  the same with --jobs 0
#   parse-prefetch per file    one process per file, for completeness (process
#                              start-up dominates)
# Both wall-clock and CPU (user+sys) time are given: on a shared, loaded machine the
# CPU-time ratio is the steadier one.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build/release/bin/parse-prefetch}
rounds=${2:-10}
corpus=${KK_CORPUS:-$here/../shared/corpus}
command -v sccainfo >/dev/null || { echo "sccainfo not found (apt-get install libscca-utils)" >&2; exit 2; }
[ -x "$bin" ] || { echo "parse-prefetch not found at $bin (build it first)" >&2; exit 2; }

# The prefetch files both tools read (sccainfo cannot open the bad one).
mapfile -t files < <(find "$corpus/prefetch" -name '*.pf' ! -path '*/Bad/*' | sort)
n=${#files[@]}
[ "$n" -gt 0 ] || { echo "no prefetch files under $corpus/prefetch" >&2; exit 2; }
bytes=$(cat "${files[@]}" | wc -c)
all=()
for ((r = 0; r < rounds; r++)); do all+=("${files[@]}"); done
total=${#all[@]}

TIMEFORMAT="%R %U %S"
measure() {  # prints "wall cpu" seconds of the command
  local t
  t=$( { time "$@" >/dev/null 2>&1; } 2>&1 | tail -1)
  awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%s %s\n", a[1], a[2] + a[3] }'
}
per_file_sccainfo() { for f in "${all[@]}"; do sccainfo "$f" || true; done; }
per_file_ours() { for f in "${all[@]}"; do "$bin" --quiet --jobs 1 "$f"; done; }

read -r w_scca c_scca < <(measure per_file_sccainfo)
read -r w_one c_one < <(measure "$bin" --quiet --jobs 1 "${all[@]}")
read -r w_par c_par < <(measure "$bin" --quiet --jobs 0 "${all[@]}")
read -r w_pf c_pf < <(measure per_file_ours)

row() { awk -v name="$1" -v n="$total" -v w="$2" -v c="$3" \
  'BEGIN { printf "%-34s %9.1f files/s wall %9.1f files/s CPU\n", name, n / w, n / c }'; }
ratio() { awk -v name="$1" -v a="$2" -v b="$3" -v c="$4" -v d="$5" \
  'BEGIN { printf "ratio, %-27s %6.1fx wall %6.1fx CPU\n", name, a / b, c / d }'; }

echo "prefetch benchmark: $n files ($bytes bytes) x $rounds rounds = $total reads, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
row "sccainfo (process per file)" "$w_scca" "$c_scca"
row "parse-prefetch -j1 (one process)" "$w_one" "$c_one"
row "parse-prefetch --jobs 0" "$w_par" "$c_par"
row "parse-prefetch (process per file)" "$w_pf" "$c_pf"
ratio "one process -j1:" "$w_scca" "$w_one" "$c_scca" "$c_one"
ratio "all cores:" "$w_scca" "$w_par" "$c_scca" "$c_par"
ratio "process per file:" "$w_scca" "$w_pf" "$c_scca" "$c_pf"
echo "(target: >= 10x per file, one process)"

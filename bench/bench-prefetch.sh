#!/usr/bin/env bash
# Files per second on the corpus prefetch files: parse-prefetch side by side with
# libscca's sccainfo (Debian libscca-utils), in one run, with the ratio.
#
# usage: bench/bench-prefetch.sh [PARSE_PREFETCH_BINARY] [ROUNDS]
# Three measurements over the same files, each repeated ROUNDS times (default 5):
#   sccainfo              one process per file (how it is used)
#   parse-prefetch/file   one process per file (same shape as sccainfo)
#   parse-prefetch -j1    one process for all files, one thread (in-process speed)
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build/release/bin/parse-prefetch}
rounds=${2:-5}
corpus=${KK_CORPUS:-$here/../shared/corpus}
command -v sccainfo >/dev/null || { echo "sccainfo not found (apt-get install libscca-utils)" >&2; exit 2; }
[ -x "$bin" ] || { echo "parse-prefetch not found at $bin (build it first)" >&2; exit 2; }

# The prefetch files both tools read (sccainfo cannot open the bad one).
mapfile -t files < <(find "$corpus/prefetch" -name '*.pf' ! -path '*/Bad/*' | sort)
n=${#files[@]}
[ "$n" -gt 0 ] || { echo "no prefetch files under $corpus/prefetch" >&2; exit 2; }
bytes=$(cat "${files[@]}" | wc -c)

now() { date +%s.%N; }
rate() { awk -v n="$1" -v t="$2" 'BEGIN { printf "%.1f", n / t }'; }

t0=$(now)
for ((r = 0; r < rounds; r++)); do
  for f in "${files[@]}"; do sccainfo "$f" >/dev/null 2>&1 || true; done
done
t1=$(now)
for ((r = 0; r < rounds; r++)); do
  for f in "${files[@]}"; do "$bin" --quiet --jobs 1 "$f" >/dev/null; done
done
t2=$(now)
for ((r = 0; r < rounds; r++)); do
  "$bin" --quiet --jobs 1 "${files[@]}" >/dev/null
done
t3=$(now)

total=$((n * rounds))
s_scca=$(awk -v a="$t0" -v b="$t1" 'BEGIN { print b - a }')
s_file=$(awk -v a="$t1" -v b="$t2" 'BEGIN { print b - a }')
s_one=$(awk -v a="$t2" -v b="$t3" 'BEGIN { print b - a }')
r_scca=$(rate "$total" "$s_scca")
r_file=$(rate "$total" "$s_file")
r_one=$(rate "$total" "$s_one")

echo "prefetch benchmark: $n files ($bytes bytes), $rounds rounds, $(nproc) cores"
printf '%-36s %10s files/s\n' "sccainfo (process per file)" "$r_scca"
printf '%-36s %10s files/s\n' "parse-prefetch (process per file)" "$r_file"
printf '%-36s %10s files/s\n' "parse-prefetch (one process, -j1)" "$r_one"
awk -v a="$r_file" -v b="$r_scca" 'BEGIN { printf "ratio, process per file:   %.1fx\n", a / b }'
awk -v a="$r_one" -v b="$r_scca" 'BEGIN { printf "ratio, one process (-j1):  %.1fx (target >= 10x)\n", a / b }'

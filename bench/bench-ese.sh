#!/usr/bin/env bash
# ESE databases per second: parse-srum (lib/ese, every row of every table decoded and
# written as JSONL) side by side with libesedb's esedbexport (Debian libesedb-utils,
# every table exported as text), in one run, with the ratio; and the WebCacheV01.dat
# of the corpus through parse-browser (esedbexport stops at its damaged page, so only
# our time is given).
#
# usage: bench/bench-ese.sh [BIN_DIR] [ROUNDS]
# Both wall-clock and CPU (user+sys) time are given: on a shared, loaded machine the
# CPU-time ratio is the steadier one.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build/release/bin}
rounds=${2:-3}
corpus=${KK_CORPUS:-$here/../shared/corpus}
command -v esedbexport >/dev/null ||
  { echo "esedbexport not found (apt-get install libesedb-utils)" >&2; exit 2; }
[ -x "$bin/parse-srum" ] || { echo "parse-srum not found in $bin (build it first)" >&2; exit 2; }

mapfile -t files < <(find "$corpus/srum" -name SRUDB.dat | sort)
n=${#files[@]}
[ "$n" -gt 0 ] || { echo "no SRUDB.dat under $corpus/srum" >&2; exit 2; }
bytes=$(cat "${files[@]}" | wc -c)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

TIMEFORMAT="%R %U %S"
measure() {  # prints "wall cpu" seconds of the command
  local t
  t=$( { time "$@" >/dev/null 2>&1; } 2>&1 | tail -1) || true  # esedbexport fails on WebCache
  awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%s %s\n", a[1], a[2] + a[3] }'
}
export_all() {
  local i=0
  for ((r = 0; r < rounds; r++)); do
    for f in "${files[@]}"; do
      i=$((i + 1))
      esedbexport -t "$work/x$i" "$f" || true
      rm -rf "$work/x$i.export"
    done
  done
}
ours_all() { for ((r = 0; r < rounds; r++)); do "$bin/parse-srum" --quiet --jobs 1 "${files[@]}" >"$work/out.jsonl"; done; }

read -r w_lib c_lib < <(measure export_all)
read -r w_our c_our < <(measure ours_all)
rows=$(wc -l <"$work/out.jsonl")

total=$((n * rounds))
mb=$(awk -v b="$bytes" -v r="$rounds" 'BEGIN { printf "%.1f", b * r / 1048576 }')
echo "ESE benchmark: $n SRUDB.dat ($bytes bytes) x $rounds rounds = $mb MiB, $rows usage rows per round, $(nproc) cores, load $(cut -d' ' -f1 /proc/loadavg)"
awk -v n="$total" -v w="$w_lib" -v c="$c_lib" -v m="$mb" 'BEGIN { printf "%-28s %7.2f s wall %7.2f s CPU %7.1f MiB/s CPU\n", "esedbexport -t", w, c, m / c }'
awk -v n="$total" -v w="$w_our" -v c="$c_our" -v m="$mb" 'BEGIN { printf "%-28s %7.2f s wall %7.2f s CPU %7.1f MiB/s CPU\n", "parse-srum --jobs 1", w, c, m / c }'
awk -v a="$w_lib" -v b="$w_our" -v c="$c_lib" -v d="$c_our" 'BEGIN { printf "ratio (esedbexport / parse-srum): %.1fx wall %.1fx CPU\n", a / b, c / d }'

if [ -x "$bin/parse-browser" ] && [ -f "$corpus/browser/dissect-target/WebCacheV01.dat.gz" ]; then
  gzip -dc "$corpus/browser/dissect-target/WebCacheV01.dat.gz" >"$work/WebCacheV01.dat"
  read -r w_wc c_wc < <(measure "$bin/parse-browser" --quiet "$work/WebCacheV01.dat")
  read -r w_wl c_wl < <(measure esedbexport -t "$work/wc" "$work/WebCacheV01.dat")
  echo "WebCacheV01.dat (16 MiB, 34 tables): parse-browser $w_wc s wall, $c_wc s CPU (all 34 tables read);" \
    "esedbexport $w_wl s wall, $c_wl s CPU before it stops at table 11 (damaged page 426)"
fi

#!/usr/bin/env bash
# Throughput of parse-evtx against libevtx's evtxexport and python-evtx's
# evtx_dump.py, side by side in one run, on a workload of real EVTX chunks.
#
#   bench/bench-evtx.sh [PARSE_EVTX_BINARY] [TARGET_MB]
#
# The workload is built with ../shared/tools/make-big-evtx.py from the corpus logs
# (real chunks behind one fixed-up header). evtx_dump.py is slow: it runs on the
# 2 MB plaso/System.evtx with a time limit and its rate is computed from that.
# Ratios are given on wall time and on CPU time (user+sys): on a shared, loaded
# machine the CPU-time ratio is the stable one.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${1:-$root/build/release/bin/parse-evtx}
target_mb=${2:-50}
corpus=$root/../shared/corpus/evtx
tmp=$(mktemp -d /tmp/bench-evtx.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
[ -x "$bin" ] || { echo "no parse-evtx binary at $bin" >&2; exit 2; }

# Real logs of several kinds: System, Security, Sysmon, PowerShell, TaskScheduler...
inputs=("$corpus/plaso/System.evtx" "$corpus/omerbenamram-evtx/security.evtx"
        "$corpus/omerbenamram-evtx/sample-with-irregular-bool-values.evtx"
        "$corpus/omerbenamram-evtx/Security_with_size_t.evtx")
while IFS= read -r -d '' f; do inputs+=("$f"); done < <(find "$corpus/evtx-attack-samples" -name '*.evtx' -print0 | sort -z)
python3 "$root/../shared/tools/make-big-evtx.py" "$tmp/one.evtx" "${inputs[@]}" 2>/dev/null >/dev/null
one_mb=$(( $(stat -c %s "$tmp/one.evtx") / 1048576 ))
repeat=$(( (target_mb + one_mb - 1) / (one_mb > 0 ? one_mb : 1) ))
python3 "$root/../shared/tools/make-big-evtx.py" "$tmp/big.evtx" --repeat "$repeat" "${inputs[@]}" >/dev/null 2>&1
size=$(stat -c %s "$tmp/big.evtx")
small="$corpus/plaso/System.evtx"
small_size=$(stat -c %s "$small")
jobs=$(nproc)
echo "workload: $tmp/big.evtx, $((size / 1048576)) MiB ($size bytes), chunks of $(( ${#inputs[@]} )) real logs x $repeat"

# run NAME RECORDS_FILE CMD...: best of 3 (wall), with CPU time and peak RSS of that run.
best_wall=0 best_cpu=0 best_rss=0
run() {
  local n=$1; shift
  best_wall=999999 best_cpu=0 best_rss=0
  for _ in $(seq "$n"); do
    /usr/bin/time -f "%e %U %S %M" -o "$tmp/time" "$@" > "$tmp/out" 2>/dev/null || true
    read -r w u s m < "$tmp/time"
    if awk -v a="$w" -v b="$best_wall" 'BEGIN{exit !(a<b)}'; then
      best_wall=$w; best_cpu=$(awk -v u="$u" -v s="$s" 'BEGIN{printf "%.2f", u+s}'); best_rss=$m
    fi
  done
}

printf "\n%-28s %8s %8s %8s %10s %10s %11s %9s %9s %9s\n" tool MiB wall_s cpu_s MB/s_wall MB/s_cpu records/s RSS_MiB x_wall x_cpu
declare -A W C R N
row() {  # name bytes records
  local name=$1 bytes=$2 recs=$3
  W[$name]=$best_wall C[$name]=$best_cpu R[$name]=$best_rss N[$name]=$recs
  awk -v n="$name" -v b="$bytes" -v w="$best_wall" -v c="$best_cpu" -v r="$recs" -v m="$best_rss" \
      -v bw="${W[evtxexport]:-0}" -v bc="${C[evtxexport]:-0}" -v bb="${B_evtx:-1}" '
    BEGIN {
      w = (w < 0.005 ? 0.005 : w); c = (c < 0.005 ? 0.005 : c);
      mbw = b / 1e6 / w; mbc = b / 1e6 / c;
      xw = (bw > 0 ? mbw / (bb / 1e6 / bw) : 1); xc = (bc > 0 ? mbc / (bb / 1e6 / bc) : 1);
      printf "%-28s %8.1f %8.2f %8.2f %10.2f %10.2f %11.0f %9.1f %9.2f %9.2f\n", n, b/1048576, w, c, mbw, mbc, r / w, m / 1024, xw, xc
    }'
}

# libevtx first: the reference for the ratios.
run 1 evtxexport "$tmp/big.evtx"
recs_evtx=$(grep -c '^Event number' "$tmp/out" || true)
B_evtx=$size
row evtxexport "$size" "$recs_evtx"

run 3 "$bin" --quiet --jobs 1 "$tmp/big.evtx"
recs=$(wc -l < "$tmp/out")
row "parse-evtx --jobs 1" "$size" "$recs"
run 3 "$bin" --quiet --jobs "$jobs" "$tmp/big.evtx"
row "parse-evtx --jobs $jobs" "$size" "$(wc -l < "$tmp/out")"
run 3 "$bin" --quiet --jobs 1 --xml "$tmp/big.evtx"
row "parse-evtx --jobs 1 --xml" "$size" "$(wc -l < "$tmp/out")"

best_wall=0
run 1 timeout 300 evtx_dump.py "$small"
row "evtx_dump.py (System.evtx)" "$small_size" "$(grep -c '<Event xmlns' "$tmp/out" || true)"

echo
echo "records: parse-evtx $recs, evtxexport $recs_evtx (make-big-evtx keeps in-use chunks only)"
awk -v a="${W[parse-evtx --jobs 1]}" -v b="${W[parse-evtx --jobs $jobs]}" \
    -v c="${C[parse-evtx --jobs 1]}" 'BEGIN { printf "parse-evtx speed-up with %s jobs (wall): %.2fx\n", "'"$jobs"'", a / (b < 0.005 ? 0.005 : b) }'

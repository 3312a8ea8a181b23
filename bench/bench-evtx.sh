#!/usr/bin/env bash
# Throughput of parse-evtx, in one run:
#  1. against libevtx's evtxexport (and python-evtx's evtx_dump.py, and the Rust evtx crate's
#     evtx_dump when installed), side by side on one large log of real EVTX chunks;
#  2. --jobs 2 against --jobs 1 on that large log (chunk-level parallelism inside a file)
#     and on a bundle-shaped Evtx/ folder of ~300 logs, most one or two 64 KiB chunks and
#     a few large (work distribution across files of very different sizes);
#  3. the per-file start-up cost: the folder's small logs against the same chunks in one file;
#  4. with BASELINE_BINARY (an older parse-evtx), one job of each on the large log and on the
#     folder, taking turns: the one-job speed-up, and whether the outputs are identical.
#
#   bench/bench-evtx.sh [PARSE_EVTX_BINARY] [TARGET_MB] [RUNS] [BASELINE_BINARY]
#
# Workloads are built by bench/evtx_workloads.py with ../shared/tools/make-big-evtx.py from
# the corpus logs (real chunks behind fixed-up headers). Each parse-evtx figure is the best
# of RUNS (default 5) runs, wall and CPU (user+sys, from wait4) taken separately. On a
# shared, loaded machine the CPU-time figures are the stable ones; the --jobs 2 wall-time
# speed-up needs two otherwise idle cores.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/.." && pwd)
bin=${1:-$root/build/release/bin/parse-evtx}
target_mb=${2:-50}
runs=${3:-5}
baseline=${4:-}
shared=${KK_SHARED:-$root/../shared}  # the team's shared folder (corpus, tools)
corpus=$shared/corpus/evtx
tmp=$(mktemp -d /tmp/bench-evtx.XXXXXX)
trap 'rm -rf "$tmp"' EXIT
[ -x "$bin" ] || { echo "no parse-evtx binary at $bin" >&2; exit 2; }
[ -d "$corpus" ] || { echo "no corpus at $corpus" >&2; exit 2; }
measure() { python3 "$here/measure.py" "$@"; }

one_mb=28  # every in-use corpus chunk once: 28.5 MB
repeat=$(( (target_mb + one_mb - 1) / one_mb ))
python3 "$here/evtx_workloads.py" "$shared/tools/make-big-evtx.py" "$corpus" "$tmp" "$repeat"
big=$tmp/big.evtx
size=$(stat -c %s "$big")
mapfile -t dir_files < <(ls "$tmp"/dir/*.evtx)
dir_size=$(cat "${dir_files[@]}" | wc -c)
mapfile -t small_files < "$tmp/small.list"
small_size=$(cat "${small_files[@]}" | wc -c)
python3 "$here/machine_probe.py" before
echo "large log: $((size / 1048576)) MiB ($size bytes), real chunks of the corpus logs x $repeat"
echo "folder:    ${#dir_files[@]} logs, $((dir_size / 1048576)) MiB; ${#small_files[@]} of them small (one log per corpus log)"

# ---- 1. against the other parsers ----------------------------------------------------------
printf "\n%-28s %8s %8s %8s %10s %10s %11s %9s %9s %9s\n" tool MiB wall_s cpu_s MB/s_wall MB/s_cpu records/s RSS_MiB x_wall x_cpu
declare -A W C
ref_wall=0 ref_cpu=0 ref_bytes=1
row() {  # name bytes records "wall cpu rss"
  local name=$1 bytes=$2 recs=$3 w c m
  read -r w c m <<< "$4"
  W[$name]=$w C[$name]=$c
  awk -v n="$name" -v b="$bytes" -v w="$w" -v c="$c" -v r="$recs" -v m="$m" \
      -v bw="$ref_wall" -v bc="$ref_cpu" -v bb="$ref_bytes" '
    BEGIN {
      w = (w < 0.0005 ? 0.0005 : w); c = (c < 0.0005 ? 0.0005 : c);
      mbw = b / 1e6 / w; mbc = b / 1e6 / c;
      xw = (bw > 0 ? mbw / (bb / 1e6 / bw) : 1); xc = (bc > 0 ? mbc / (bb / 1e6 / bc) : 1);
      printf "%-28s %8.1f %8.3f %8.3f %10.1f %10.1f %11.0f %9.1f %9.1f %9.1f\n", n, b/1048576, w, c, mbw, mbc, r / w, m / 1024, xw, xc
    }'
}
recs_evtx=na
if command -v evtxexport >/dev/null; then
  t=$(measure 1 "$tmp/out" evtxexport "$big")
  recs_evtx=$(grep -c '^Event number' "$tmp/out" || true)
  row evtxexport "$size" "$recs_evtx" "$t"
  read -r ref_wall ref_cpu _ <<< "$t"
  ref_bytes=$size
else
  echo "(evtxexport not installed: Debian libevtx-utils; no ratios)"
fi
t=$(measure "$runs" "$tmp/out" "$bin" --quiet --jobs 1 "$big")
recs=$(wc -l < "$tmp/out")
row "parse-evtx --jobs 1" "$size" "$recs" "$t"
t=$(measure "$runs" "$tmp/out" "$bin" --quiet --jobs 2 "$big")
row "parse-evtx --jobs 2" "$size" "$recs" "$t"
t=$(measure "$runs" "$tmp/out" "$bin" --quiet --jobs 1 --xml "$big")
row "parse-evtx --jobs 1 --xml" "$size" "$recs" "$t"
if command -v evtx_dump.py >/dev/null; then
  sys=$corpus/plaso/System.evtx
  t=$(measure 1 "$tmp/out" timeout 120 evtx_dump.py "$sys")
  row "evtx_dump.py (System.evtx)" "$(stat -c %s "$sys")" "$(grep -c '<Event xmlns' "$tmp/out" || true)" "$t"
fi
# The Rust evtx crate's evtx_dump (not packaged by Debian: EVTX_DUMP_RS=path, or evtx_dump on
# PATH), JSON Lines like ours, one thread and two, taking turns with parse-evtx.
recs_rs=""
rs=${EVTX_DUMP_RS:-$(command -v evtx_dump || true)}
if [ -n "$rs" ] && [ -x "$rs" ]; then
  rs_version=$("$rs" --version 2>/dev/null | head -1)
  { read -r r1; read -r r2; read -r k1; read -r k2; read -r rx; read -r kx; } < <(measure "$runs" "$tmp/rs" \
      timeout 300 "$rs" -o jsonl -t 1 "$big" --- timeout 300 "$rs" -o jsonl -t 2 "$big" --- \
      "$bin" --quiet --jobs 1 "$big" --- "$bin" --quiet --jobs 2 "$big" --- \
      timeout 300 "$rs" -o xml -t 1 "$big" --- "$bin" --quiet --jobs 1 --xml "$big")
  recs_rs=$(wc -l < "$tmp/rs")
  row "evtx_dump (Rust) -t 1" "$size" "$recs_rs" "$r1"
  row "evtx_dump (Rust) -t 2" "$size" "$recs_rs" "$r2"
  row "evtx_dump (Rust) -o xml -t 1" "$size" "$recs_rs" "$rx"
  # "${x%% *}": the wall time, the first of measure's three fields.
  awk -v v="$rs_version" -v r1="${r1%% *}" -v r2="${r2%% *}" -v rx="${rx%% *}" \
      -v k1="${k1%% *}" -v k2="${k2%% *}" -v kx="${kx%% *}" 'BEGIN {
    printf "against %s, taking turns: one job %.2fx its one thread; two jobs %.2fx its two threads", v, r1 / k1, r2 / k2
    printf " (wall); XML one job %.2fx\n", rx / kx }'
else
  echo "(no Rust evtx_dump: set EVTX_DUMP_RS to compare with the Rust evtx crate)"
fi
echo "records: parse-evtx $recs, evtxexport $recs_evtx${recs_rs:+, evtx_dump (Rust) $recs_rs} (make-big-evtx keeps in-use chunks only)"

# ---- 2. two jobs against one ------------------------------------------------------------------
printf "\n%-34s %6s %8s %9s %9s %9s %9s %10s %10s\n" "--jobs 2 vs --jobs 1" files MiB wall1_s cpu1_s wall2_s cpu2_s speedup cpu2/cpu1
scaling() {  # name bytes files...
  local name=$1 bytes=$2 w1 c1 w2 c2 same
  shift 2
  { read -r w1 c1 _; read -r w2 c2 _; } < <(measure "$runs" "$tmp/out" "$bin" --quiet --jobs 1 "$@" --- "$bin" --quiet --jobs 2 "$@")
  cmp -s "$tmp/out" "$tmp/out.1" && same="" || same="  OUTPUT DIFFERS"
  awk -v n="$name" -v f="$#" -v b="$bytes" -v w1="$w1" -v c1="$c1" -v w2="$w2" -v c2="$c2" -v s="$same" \
    'BEGIN { printf "%-34s %6d %8.1f %9.3f %9.3f %9.3f %9.3f %9.2fx %10.2f%s\n", n, f, b/1048576, w1, c1, w2, c2, w1/w2, c2/c1, s }'
}
scaling "one large log" "$size" "$big"
scaling "bundle-shaped folder" "$dir_size" "${dir_files[@]}"
echo "(speedup: wall time of 1 job / 2 jobs, needs two idle cores; cpu2/cpu1: the CPU time parallelism costs)"

# ---- 3. per-file start-up cost ----------------------------------------------------------------
# The folder's small logs, passed 10 times over, against the file holding the same chunks,
# passed 10 times over: the difference is what opening and finishing a file costs.
many=() concat=()
for _ in 1 2 3 4 5 6 7 8 9 10; do many+=("${small_files[@]}"); concat+=("$tmp/concat.evtx"); done
{ read -r wm cm _; read -r wc_ cc _; read -r wm2 cm2 _; } < <(measure "$runs" "$tmp/out" \
    "$bin" --quiet --jobs 1 "${many[@]}" --- "$bin" --quiet --jobs 1 "${concat[@]}" --- \
    "$bin" --quiet --jobs 2 "${many[@]}")
cmp -s "$tmp/out" "$tmp/out.2" || echo "OUTPUT DIFFERS between --jobs 1 and 2 on the small logs"
awk -v n="${#many[@]}" -v wm="$wm" -v cm="$cm" -v wc="$wc_" -v cc="$cc" -v wm2="$wm2" -v cm2="$cm2" 'BEGIN {
  printf "\nper-file start-up (--jobs 1: %d small logs against the same chunks as 10 files):\n", n
  printf "  small logs %.3f s wall, %.3f s CPU; the same chunks in 10 files %.3f s wall, %.3f s CPU\n", wm, cm, wc, cc
  printf "  per file: %.1f us CPU, %.1f us wall (of %.1f us CPU per small log in all)\n", (cm - cc) / n * 1e6, (wm - wc) / n * 1e6, cm / n * 1e6
  printf "  small logs with --jobs 2: %.3f s wall, %.3f s CPU (speed-up %.2fx)\n", wm2, cm2, wm / wm2 }'

# ---- 4. against an older build ------------------------------------------------------------------
if [ -n "$baseline" ]; then
  printf "\n%-34s %11s %11s %11s %11s %9s %9s\n" "one job: this build vs baseline" base_wall base_cpu wall cpu x_wall x_cpu
  vs_baseline() {  # name files...
    local name=$1 bw bc w c same
    shift
    { read -r bw bc _; read -r w c _; } < <(measure "$runs" "$tmp/out" "$baseline" --quiet --jobs 1 "$@" --- "$bin" --quiet --jobs 1 "$@")
    cmp -s "$tmp/out" "$tmp/out.1" && same="  output identical" || same="  OUTPUT DIFFERS"
    awk -v n="$name" -v bw="$bw" -v bc="$bc" -v w="$w" -v c="$c" -v s="$same" \
      'BEGIN { printf "%-34s %11.3f %11.3f %11.3f %11.3f %8.2fx %8.2fx%s\n", n, bw, bc, w, c, bw/w, bc/c, s }'
  }
  vs_baseline "one large log" "$big"
  vs_baseline "bundle-shaped folder" "${dir_files[@]}"
  vs_baseline "one large log, --xml" --xml "$big"
fi

echo
awk -v a="${W[parse-evtx --jobs 1]}" -v b="${W[parse-evtx --jobs 2]}" \
    -v c="${C[parse-evtx --jobs 1]}" -v d="${C[parse-evtx --jobs 2]}" 'BEGIN {
  printf "parse-evtx --jobs 2 speed-up on the large log (wall): %.2fx; CPU of 2 jobs / 1 job: %.2f\n", a / b, d / c }'
python3 "$here/machine_probe.py" after

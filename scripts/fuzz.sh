#!/usr/bin/env bash
# Builds the libFuzzer targets (clang, preset "fuzz") and runs them, one at a time.
# Usage: scripts/fuzz.sh [--smoke | SECONDS] [TARGET...]
#   --smoke   run each target once over its seeds, no mutation, as CI does
#   SECONDS   fuzz each target for that long (default 60); prints the coverage (edges) at
#             60 s and at the end, and the executions per second, and keeps what it finds in
#             build/fuzz/findings/TARGET/ (the corpus it grew in build/fuzz/corpus/TARGET/)
#   TARGET    only these targets (default: all); only they are built (FUZZ_BUILD=0: none)
# FUZZ_BIN_DIR=DIR: run the harnesses found in DIR and build none: the sanitize build's
#   standalone ones (build/sanitize/fuzz, --smoke only; its ctest tests fuzz_smoke_* do so).
# FUZZ_MAX_LEN=N: -max_len for the targets without their own (default 262144), to measure.
# Seeds: tests/fuzz/seeds.sh (hand-made seeds + tests/data + ../shared/corpus, decompressed);
# dictionaries: tests/fuzz/dict/. Every run has a per-input timeout and a wall limit, so a
# hang fails the run instead of blocking it. See tests/fuzz/README.md.
set -euo pipefail
cd "$(dirname "$0")/.."
bin_dir=${FUZZ_BIN_DIR:-build/fuzz/fuzz}
[[ -z ${FUZZ_BIN_DIR:-} ]] || FUZZ_BUILD=0
[[ ${FUZZ_BUILD:-1} == 0 ]] || { scripts/deps.sh --fuzz && cmake --preset fuzz >/dev/null; }
mode=60
if (($#)) && [[ $1 == --smoke || $1 =~ ^[0-9]+$ ]]; then
  mode=$1
  shift
fi
if [[ -n ${FUZZ_BIN_DIR:-} && $mode != --smoke ]]; then
  echo "fuzz.sh: FUZZ_BIN_DIR runs --smoke only (standalone harnesses do not mutate)" >&2
  exit 2
fi
if (($#)); then
  targets=("$@")
elif [[ -n ${FUZZ_BIN_DIR:-} ]]; then
  mapfile -t targets < <(find "$bin_dir" -maxdepth 1 -name 'fuzz_*' -type f -executable -printf '%f\n' | sort)
else
  mapfile -t targets < <(ninja -C build/fuzz -t targets all | sed -n 's/^\(fuzz_[a-z0-9_]*\): .*/\1/p' | sort -u)
fi
((${#targets[@]})) || { echo "no fuzz targets"; exit 0; }
[[ ${FUZZ_BUILD:-1} == 0 ]] || cmake --build build/fuzz --target "${targets[@]}"

# The dictionary of a target's format.
dict_of() {
  case "$1" in
    fuzz_evtx_*) echo evtx ;;
    fuzz_registry_*) echo regf ;;
    fuzz_prefetch_* | fuzz_compress_*) echo scca ;;
    fuzz_cdir_archive) echo archive ;;
    fuzz_cdir_*) echo cdir ;;
    fuzz_detect_rules) echo sigma ;;
    fuzz_detect_records | fuzz_timeline_* | fuzz_notice_* | fuzz_casedocs_*) echo records ;;
    fuzz_ntfs_*) echo ntfs ;;
    fuzz_ese_* | fuzz_srum_*) echo ese ;;
    fuzz_netlog_*) echo netlog ;;
    fuzz_browser_*) echo sqlite ;;
    fuzz_cases_*) echo case ;;
  esac
}
# Inputs bigger than this are cut: record harnesses are fastest on a few records.
max_len_of() {
  case "$1" in
    fuzz_detect_records | fuzz_timeline_* | fuzz_casedocs_*) echo 16384 ;;
    fuzz_notice_*) echo 8192 ;;
    fuzz_evtx_chunk) echo 69632 ;;  # a file header block + one 64 KiB chunk
    fuzz_registry_hive_small) echo 65536 ;;  # beside fuzz_registry_hive at 256 KiB
    fuzz_prefetch_parse_small) echo 16384 ;;  # beside fuzz_prefetch_parse at 256 KiB
    fuzz_detect_rules | fuzz_cdir_names | fuzz_core_text | fuzz_core_hash | fuzz_cdir_collector_log) echo 65536 ;;
    *) echo ${FUZZ_MAX_LEN:-262144} ;;
  esac
}
# cov: N of a libFuzzer status line.
cov_of() { sed -n 's/.*cov: \([0-9]*\).*/\1/p' | tail -n 1; }

# Per input: 25 s (sanitizers on a 2-core machine shared with builds); memory: 2 GB.
common=(-timeout=25 -rss_limit_mb=2048 -print_final_stats=1)
failed=()
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
for name in "${targets[@]}"; do
  bin=$bin_dir/$name
  [[ -x $bin ]] || { echo "-- $name: not built"; failed+=("$name"); continue; }
  seeds=$work/seeds-$name
  tests/fuzz/seeds.sh "$name" "$seeds"
  flags=("${common[@]}" -max_len="$(max_len_of "$name")")
  dict=$(dict_of "$name")
  [[ -n $dict ]] && flags+=(-dict="tests/fuzz/dict/$dict.dict")
  log=$work/$name.log
  if [[ $mode == --smoke ]]; then
    echo "-- $name over $(ls "$seeds" | wc -l) seeds${dict:+, dictionary $dict}"
    if timeout -s KILL 600 "$bin" "${flags[@]}" -runs=0 "$seeds" >"$log" 2>&1; then
      grep -E '^#[0-9]+[[:space:]]+(INITED|DONE)|^standalone:' "$log" | tail -n 1 || true
    else
      tail -n 30 "$log"
      failed+=("$name")
    fi
    continue
  fi
  corpus=build/fuzz/corpus/$name findings=build/fuzz/findings/$name
  mkdir -p "$corpus" "$findings"
  first=$((mode < 60 ? mode : 60))
  echo "-- $name for ${mode}s${dict:+, dictionary $dict}"
  ok=1
  # Two legs: the first ends at 60 s, so its coverage is the coverage at 1 minute.
  /usr/bin/time -o "$work/cpu1" -f '%U %S' \
    timeout -s KILL $((first + 120)) "$bin" "${flags[@]}" -max_total_time="$first" \
    -artifact_prefix="$findings/" "$corpus" "$seeds" >"$log" 2>&1 || ok=0
  cov60=$(cov_of <"$log")
  execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log")
  if ((ok && mode > first)); then
    /usr/bin/time -o "$work/cpu2" -f '%U %S' \
      timeout -s KILL $((mode - first + 120)) "$bin" "${flags[@]}" -max_total_time=$((mode - first)) \
      -artifact_prefix="$findings/" "$corpus" "$seeds" >>"$log" 2>&1 || ok=0
    execs=$((execs + $(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)))
  fi
  covend=$(cov_of <"$log")
  # CPU seconds too: on a machine shared with builds, wall-clock execs/s says little.
  cpu=$(cat "$work"/cpu* 2>/dev/null | awk '{s += $1 + $2} END {printf "%d", s + 0.5}')
  rm -f "$work"/cpu*
  echo "   edges at $first s: ${cov60:-?}, at the end: ${covend:-?}; $execs execs," \
    "$((execs / mode))/s wall, $((execs / (cpu > 0 ? cpu : 1)))/s of CPU (${cpu} s);" \
    "corpus $(ls "$corpus" | wc -l) inputs"
  if ((!ok)); then
    grep -E 'ERROR|SUMMARY|Test unit written|timeout' "$log" | head -n 8
    cp "$log" "$findings/"
    failed+=("$name")
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: failed: ${failed[*]}" >&2
  exit 1
fi

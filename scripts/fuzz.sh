#!/usr/bin/env bash
# Builds the libFuzzer targets (clang) and runs each one.
# Usage: scripts/fuzz.sh [--smoke | SECONDS]
#   --smoke   run each target once over its seeds (tests/data/<area> and the shared corpus
#             files of its format), no mutation, as CI does
#   SECONDS   fuzz each target for that long (default 60)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --fuzz
cmake --preset fuzz >/dev/null
# Only the fuzz targets (and the libraries they need), not the tools and tests.
targets=$(ninja -C build/fuzz -t targets all | sed -n 's/^\(fuzz_[a-z0-9_]*\): .*/\1/p' | sort -u)
[[ -n "$targets" ]] || { echo "no fuzz targets"; exit 0; }
cmake --build build/fuzz --target $targets
mode=${1:-60}
shopt -s nullglob
for bin in build/fuzz/fuzz/fuzz_*; do
  name=$(basename "$bin")
  area=${name#fuzz_}; area=${area%%_*}
  seeds=(tests/fuzz/seeds/$name tests/data/$area)
  # Every real corpus file of the parser's format, when ../shared/corpus is present.
  corpus=../shared/corpus
  case "$name" in
    fuzz_evtx_*) seeds+=("$corpus/evtx") ;;
    fuzz_prefetch_* | fuzz_compress_*) seeds+=("$corpus/prefetch") ;;
    fuzz_ntfs_mft*) seeds+=("$corpus/mft") ;;
    fuzz_ntfs_usn*) seeds+=("$corpus/usnjrnl") ;;
    fuzz_registry_hive*) seeds+=("$corpus/registry") ;;
    fuzz_registry_shimcache*) seeds+=("$corpus/registry/ez-appcompatcacheparser") ;;
    fuzz_ese_*) seeds+=("$corpus/srum") ;;
    fuzz_netlog_*) seeds+=("$corpus/netlog" "$corpus/defender") ;;
  esac
  dirs=(); for d in "${seeds[@]}"; do [[ -d $d ]] && dirs+=("$d"); done
  if [[ $mode == --smoke ]]; then
    echo "-- $name over ${dirs[*]:-no seeds}"
    if ((${#dirs[@]})); then "$bin" -runs=0 "${dirs[@]}" 2>&1 | tail -n 2; else "$bin" -runs=1000 2>&1 | tail -n 2; fi
  else
    work=$(mktemp -d)
    echo "-- $name for ${mode}s"
    "$bin" -max_total_time="$mode" -max_len=262144 "$work" "${dirs[@]}" 2>&1 | tail -n 3
    rm -rf "$work"
  fi
done

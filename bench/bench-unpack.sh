#!/usr/bin/env bash
# bench-unpack.sh — unpack-cdir against "bsdtar -x then sha256sum" on the same archive, one run.
#
# Builds a CDIR-C-shaped bundle from the real files in ../shared/corpus (EVTX, prefetch,
# registry, copied under several names until it reaches SIZE_MB), zips it (deflate, as
# Windows "Send to compressed folder" does), then times:
#   A  bsdtar -xf B.zip -C dirA  &&  find dirA -type f -exec sha256sum {} +
#   B  unpack-cdir B.zip -o dirB --sha256-only      (same work: extract + SHA-256)
#   C  unpack-cdir B.zip -o dirB2                    (default: SHA-256 + MD5 + SHA-1)
#   D  find FOLDER -type f -exec sha256sum {} +      (the bundle as a folder, page-cached)
#   E  unpack-cdir FOLDER --sha256-only              (in place, files hashed in parallel)
# and prints MB/s of extracted data. Usage: bench/bench-unpack.sh [BUILD_DIR] [SIZE_MB] [JOBS]
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build/release}
size_mb=${2:-256}
jobs=${3:-2}
tool=$build/bin/unpack-cdir
corpus=$here/../shared/corpus
[ -x "$tool" ] || { echo "no $tool (build first)"; exit 1; }
[ -d "$corpus" ] || { echo "no corpus at $corpus"; exit 1; }
command -v bsdtar >/dev/null || { echo "bsdtar not installed (apt-get install libarchive-tools)"; exit 1; }
command -v zip >/dev/null || { echo "zip not installed"; exit 1; }

work=$(mktemp -d /tmp/bench-unpack-XXXXXX)
trap 'rm -rf "$work"' EXIT
root=$work/src/BENCH-PC_20240501120405
mkdir -p "$root/Evtx" "$root/Prefetch" "$root/Registry"
round=0
while [ "$(du -sm "$work/src" | cut -f1)" -lt "$size_mb" ]; do
  round=$((round + 1))
  find "$corpus/evtx" -name '*.evtx' -print0 | while IFS= read -r -d '' f; do
    cp "$f" "$root/Evtx/r${round}_$(basename "$f")"; done
  find "$corpus/prefetch" -name '*.pf' -print0 | while IFS= read -r -d '' f; do
    cp "$f" "$root/Prefetch/r${round}_$(basename "$f")"; done
  find "$corpus/registry" -type f -print0 | while IFS= read -r -d '' f; do
    cp "$f" "$root/Registry/r${round}_$(basename "$f")"; done
done
(cd "$work/src" && zip -q -r "$work/B.zip" BENCH-PC_20240501120405)
bytes=$(du -sb "$root" | cut -f1)
files=$(find "$root" -type f | wc -l)
echo "archive: $(du -h "$work/B.zip" | cut -f1) zip, $files files, $((bytes / 1048576)) MiB extracted, jobs=$jobs"
sync

secs() { local s e; s=$(date +%s.%N); "$@" > /dev/null; e=$(date +%s.%N); echo "$e - $s" | bc -l; }
rate() { echo "scale=1; $bytes / 1048576 / $1" | bc -l; }

ta=$(secs bash -c "mkdir -p '$work/A' && bsdtar -xf '$work/B.zip' -C '$work/A' && find '$work/A' -type f -exec sha256sum {} +")
tb=$(secs "$tool" "$work/B.zip" -o "$work/B" --sha256-only --quiet --jobs "$jobs" --min-free 0)
tc=$(secs "$tool" "$work/B.zip" -o "$work/C" --quiet --jobs "$jobs" --min-free 0)
# A folder bundle read in place: find + sha256sum against unpack-cdir's parallel hashing.
td=$(secs bash -c "find '$root' -type f -exec sha256sum {} +")
te=$(secs "$tool" "$root" --sha256-only --quiet --jobs "$jobs")
printf '%-52s %7.2f s %8s MB/s\n' "A  bsdtar -x + sha256sum" "$ta" "$(rate "$ta")"
printf '%-52s %7.2f s %8s MB/s\n' "B  unpack-cdir --sha256-only" "$tb" "$(rate "$tb")"
printf '%-52s %7.2f s %8s MB/s\n' "C  unpack-cdir (SHA-256 + MD5 + SHA-1)" "$tc" "$(rate "$tc")"
printf '%-52s %7.2f s %8s MB/s\n' "D  folder: find + sha256sum" "$td" "$(rate "$td")"
printf '%-52s %7.2f s %8s MB/s\n' "E  folder: unpack-cdir --sha256-only (in place)" "$te" "$(rate "$te")"
echo "speed-up E vs D: $(echo "scale=2; $td / $te" | bc -l)x"
echo "speed-up B vs A: $(echo "scale=2; $ta / $tb" | bc -l)x   C vs A: $(echo "scale=2; $ta / $tc" | bc -l)x"
# Same bytes: compare the SHA-256 of every file from both runs.
(cd "$work/A" && find . -type f -exec sha256sum {} + | sed 's#  \./#  #' | sort -k2) > "$work/a.sum"
"$tool" "$work/B.zip" -o "$work/D" --sha256-only --quiet --min-free 0 |
  python3 -c 'import json,sys
for l in sys.stdin:
    r=json.loads(l)
    if r["artifact"]=="manifest": print(r["sha256"]+"  "+r["input_path"])' | sort -k2 > "$work/b.sum"
if cmp -s "$work/a.sum" "$work/b.sum"; then echo "hashes: identical for all $files files"; else echo "hashes: DIFFER"; diff "$work/a.sum" "$work/b.sum" | head; fi

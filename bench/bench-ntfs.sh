#!/bin/bash
# parse-mft / parse-usnjrnl speed, side by side with sleuthkit on the same data.
#
#   bench/bench-ntfs.sh [BUILD_DIR] [IMAGE]
#
# Without IMAGE, builds an NTFS volume with $KK_BENCH_FILES files (default 30000) in
# nested folders with mkntfs + ntfs-3g (needs root and FUSE). Compares, on the $MFT
# of that image (icat IMAGE 0):
#   sleuthkit  fls -r -m / IMAGE         (what a user would run for a bodyfile with paths)
#   parse-mft  --jobs 1 and --jobs 0     (full JSONL with paths, SI+FN times, streams)
# and reports records/s. parse-usnjrnl is timed on a journal made by repeating the
# corpus' plaso UsnJrnl.raw records to $KK_BENCH_USN_MB MB (default 64); sleuthkit
# has no $J reader, so it is reported alone. KK_BENCH_KEEP_IMAGE=PATH keeps the built image.
set -euo pipefail
here=$(cd "$(dirname "$0")/.." && pwd)
build=${1:-$here/build/release}
image=${2:-}
files=${KK_BENCH_FILES:-30000}
work=$(mktemp -d /tmp/kk-bench-ntfs-XXXXXX)
mnt=$work/mnt
cleanup() { mountpoint -q "$mnt" 2>/dev/null && umount "$mnt"; rm -rf "$work"; }
trap cleanup EXIT

if [ -z "$image" ]; then
  image=$work/volume.img
  truncate -s 512M "$image"
  mkntfs -F -q -c 4096 "$image" 2>/dev/null
  mkdir -p "$mnt"
  ntfs-3g "$image" "$mnt"
  python3 - "$mnt" "$files" <<'PY'
import os, sys
root, n = sys.argv[1], int(sys.argv[2])
for i in range(n):
    d = os.path.join(root, f"dir{i // 1000:03d}", f"sub{(i // 100) % 10}")
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, f"file{i:06d}.txt"), "w") as f:
        f.write("x" * (i % 2000))
PY
  umount "$mnt"
  if [ -n "${KK_BENCH_KEEP_IMAGE:-}" ]; then cp "$image" "$KK_BENCH_KEEP_IMAGE"; fi
fi
icat "$image" 0 > "$work/mft"
entries=$(( $(stat -c %s "$work/mft") / 1024 ))

# Best of 3 batches of $reps runs of a command, per run: "WALL CPU" seconds
# (CPU = user + system, the fairer figure on a shared machine; wall includes
# waiting for a core). Batches because one run is shorter than time(1)'s 10 ms tick.
reps=${KK_BENCH_REPS:-10}
best() {
  local bw=999999 bc=999999 w u s
  for _ in 1 2 3; do
    /usr/bin/time -f '%e %U %S' -o "$work/time" bash -c 'for ((i = 0; i < $0; i++)); do "$@" > /dev/null 2>&1; done' "$reps" "$@"
    read -r w u s < <(tail -1 "$work/time")
    bw=$(python3 -c "print(min($bw, round($w / $reps, 4)))")
    bc=$(python3 -c "print(min($bc, round(($u + $s) / $reps, 4)))")
  done
  echo "$bw $bc"
}
rate() { python3 -c "print(f'{$1 / max($2, 0.001):,.0f}')"; }

read -r w_fls c_fls < <(best fls -r -m / "$image")
read -r w_one c_one < <(best "$build/bin/parse-mft" --quiet --jobs 1 "$work/mft")
read -r w_all c_all < <(best "$build/bin/parse-mft" --quiet --jobs 0 "$work/mft")
lines=$("$build/bin/parse-mft" --quiet "$work/mft" | wc -l)
ratio() { python3 -c "print(round($1 / max($2, 0.001), 1))"; }
printf '\n$MFT: %s records (%s FILE entries written), %s cores, load %s\n' "$entries" "$lines" "$(nproc)" "$(cut -d' ' -f1 /proc/loadavg)"
printf '%-26s %8s %8s %14s %14s %9s %9s\n' tool wall_s cpu_s rec/s_wall rec/s_cpu x_wall x_cpu
row() { printf '%-26s %8s %8s %14s %14s %9s %9s\n' "$1" "$2" "$3" "$(rate "$entries" "$2")" "$(rate "$entries" "$3")" "$(ratio "$w_fls" "$2")" "$(ratio "$c_fls" "$3")"; }
row "sleuthkit fls -r -m /" "$w_fls" "$c_fls"
row "parse-mft --jobs 1" "$w_one" "$c_one"
row "parse-mft --jobs 0" "$w_all" "$c_all"

python3 - "$here/tests/data/ntfs/plaso-UsnJrnl.raw" "$work/J" "${KK_BENCH_USN_MB:-64}" <<'PY'
import sys
data = open(sys.argv[1], "rb").read()
target = int(sys.argv[3]) << 20
with open(sys.argv[2], "wb") as f:
    n = 0
    while n < target:
        f.write(data); n += len(data)
        f.write(b"\0" * 4096); n += 4096   # a zero-filled gap between blocks, as in real journals
PY
usn=$("$build/bin/parse-usnjrnl" --quiet "$work/J" | wc -l)
read -r w_usn c_usn < <(best "$build/bin/parse-usnjrnl" --quiet "$work/J")
read -r w_um c_um < <(best "$build/bin/parse-usnjrnl" --quiet --mft "$work/mft" "$work/J")
printf '\n$J: %s MB, %s records (no sleuthkit equivalent)\n' "$(( $(stat -c %s "$work/J") >> 20 ))" "$usn"
printf '%-26s %8s %8s %14s %14s\n' tool wall_s cpu_s rec/s_wall rec/s_cpu
printf '%-26s %8s %8s %14s %14s\n' "parse-usnjrnl" "$w_usn" "$c_usn" "$(rate "$usn" "$w_usn")" "$(rate "$usn" "$c_usn")"
printf '%-26s %8s %8s %14s %14s\n' "parse-usnjrnl --mft" "$w_um" "$c_um" "$(rate "$usn" "$w_um")" "$(rate "$usn" "$c_um")"

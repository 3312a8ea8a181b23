#!/usr/bin/env bash
# MB/s of parse-netlog on one core over a big syslog file built from the corpus' own lines
# (every netlog product payload behind an RFC 3164 header, repeated to SIZE_MB), side by
# side with an awk baseline that does the generic part of the same job (split the syslog
# header and the key=value pairs, print one JSON object per line), in one run, with the
# ratio. Peak memory of parse-netlog is reported too (it must stay flat in input size).
#
# usage: bench/bench-netlog.sh [PARSE_NETLOG_BINARY] [SIZE_MB]   (default 1024)
# The generated file lives in /tmp and is deleted at the end.
set -euo pipefail

here=$(cd "$(dirname "$0")/.." && pwd)
bin=${1:-$here/build/release/bin/parse-netlog}
size_mb=${2:-1024}
corpus=${KK_CORPUS:-$here/../shared/corpus}
# From a worktree (/work/wt/NAME) the shared corpus is two levels up.
[ -d "$corpus/netlog" ] || [ -n "${KK_CORPUS:-}" ] || corpus=$here/../../shared/corpus
[ -x "$bin" ] || { echo "parse-netlog not found at $bin (build it first)" >&2; exit 2; }
[ -d "$corpus/netlog" ] || { echo "no corpus at $corpus/netlog" >&2; exit 2; }

work=$(mktemp -d /tmp/bench-netlog.XXXXXX)
trap 'rm -rf "$work"' EXIT
big=$work/syslog.log

# One block of lines: each corpus payload line with a year-less RFC 3164 header.
find "$corpus/netlog" \( -name messages.log -o -name '*_input.txt' \) -print0 | sort -z |
  xargs -0 cat | grep -v '^[[:space:]]*$' |
  awk '{ printf "Mar %2d %02d:%02d:%02d fw%d.example.jp %s\n", NR % 28 + 1, NR % 24, NR % 60, NR % 60, NR % 7, $0 }' \
    > "$work/block"
block_bytes=$(wc -c < "$work/block")
reps=$(( size_mb * 1024 * 1024 / block_bytes + 1 ))
for ((i = 0; i < 64 && i < reps; i++)); do cat "$work/block"; done > "$work/block64"
: > "$big"
for ((i = 0; i < reps; i += 64)); do cat "$work/block64" >> "$big"; done
bytes=$(wc -c < "$big")
lines=$(wc -l < "$big")
echo "input: $big, $((bytes / 1048576)) MiB, $lines lines (corpus payloads of every product behind RFC 3164 headers)"

TIMEFORMAT="%R %U %S"
measure() {  # "wall cpu" seconds
  local t
  t=$( { time "$@" > /dev/null 2>&1; } 2>&1 | tail -1)
  awk -v t="$t" 'BEGIN { split(t, a, " "); printf "%s %s\n", a[1], a[2] + a[3] }'
}
ours() { "$bin" --quiet --jobs 1 --tz UTC --year 2025 "$big"; }
# The awk baseline: header fields, then every key=value pair, as a JSON object.
baseline() {
  LC_ALL=C awk '{
    printf "{\"time\":\"%s %s %s\",\"host\":\"%s\",\"fields\":{", $1, $2, $3, $4
    sep = ""
    for (i = 5; i <= NF; i++) {
      eq = index($i, "=")
      if (eq > 1) {
        v = substr($i, eq + 1); gsub(/"/, "", v); gsub(/\\/, "\\\\", v)
        printf "%s\"%s\":\"%s\"", sep, substr($i, 1, eq - 1), v; sep = ","
      }
    }
    raw = $0; gsub(/\\/, "\\\\", raw); gsub(/"/, "\\\"", raw)
    printf "},\"raw\":\"%s\"}\n", raw
  }' "$big"
}
cat "$big" > /dev/null  # page cache warm for both
read -r ow oc < <(measure ours)
read -r bw bc < <(measure baseline)
rss=$( { /usr/bin/time -f "%M" "$bin" --quiet --jobs 1 --tz UTC --year 2025 "$big" > /dev/null; } 2>&1 | tail -1 )
mb=$(awk -v b="$bytes" 'BEGIN { printf "%.1f", b / 1048576 }')
awk -v mb="$mb" -v ow="$ow" -v oc="$oc" -v bw="$bw" -v bc="$bc" -v rss="$rss" 'BEGIN {
  printf "parse-netlog --jobs 1  %7.2f s wall %7.2f s cpu  %7.1f MB/s (cpu)  peak RSS %d MiB\n", ow, oc, mb / oc, rss / 1024
  printf "awk split baseline     %7.2f s wall %7.2f s cpu  %7.1f MB/s (cpu)\n", bw, bc, mb / bc
  printf "ratio (baseline cpu / parse-netlog cpu): %.2fx\n", bc / oc
}'

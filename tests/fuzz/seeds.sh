#!/usr/bin/env bash
# Fills DIR with the seeds of fuzz target NAME, each shaped as that harness reads its input:
#   - its hand-made seeds checked in under tests/fuzz/seeds/NAME/ (make_checked_in.py);
#   - the real files of its format from tests/data and ../shared/corpus (when present),
#     decompressed (a .gz/.xz corpus file is seeded as the bytes the parser reads; only the
#     archive target gets compressed files), larger ones than MAX_SEED bytes left out;
#   - JSONL cut into a few records per seed (the record harnesses are fast on small inputs);
#   - registry logs as the harness's [u32 hive size][hive][log] (a dirty hive + its LOG1/LOG2).
# Usage: tests/fuzz/seeds.sh NAME DIR     (README.md beside this file lists what each gets)
set -euo pipefail
name=$1 dir=$2
cd "$(dirname "$0")/../.."
shared=../shared
[[ -d $shared ]] || shared=../../shared  # a worktree under wt/
corpus=${KK_CORPUS:-$shared/corpus}
max_seed=${MAX_SEED:-1048576}
mkdir -p "$dir"
n=0

# seed_name FILE: a new seed's path, numbered (names repeat across the corpus).
seed_name() {
  printf -v seed '%s/%04d_%s' "$dir" "$n" "$(basename "$1" | tr -c 'A-Za-z0-9._\n-' '_')"
  n=$((n + 1))
}
# add FILE...: one seed per file (decompressed).
add() {
  local f out
  for f in "$@"; do
    [[ -f $f ]] || continue
    seed_name "$f"
    out=$seed
    case "$f" in
      *.gz) gzip -dc "$f" >"$out" 2>/dev/null || rm -f "$out" ;;
      *.xz) xz -dc "$f" >"$out" 2>/dev/null || rm -f "$out" ;;
      *) cp "$f" "$out" ;;
    esac
    [[ -f $out ]] && (($(stat -c %s "$out") > max_seed)) && rm -f "$out"
  done
  return 0
}
# add_head BYTES FILE...: the first BYTES (decompressed) of files too large to seed whole.
add_head() {
  local bytes=$1 f
  shift
  for f in "$@"; do
    [[ -f $f ]] || continue
    seed_name "$f"
    case "$f" in
      *.gz) gzip -dc "$f" 2>/dev/null | head -c "$bytes" >"$seed" || true ;;
      *.xz) xz -dc "$f" 2>/dev/null | head -c "$bytes" >"$seed" || true ;;
      *) head -c "$bytes" "$f" >"$seed" ;;
    esac
  done
}
# add_tree DIR [find tests...]: every regular file under DIR.
add_tree() {
  local d=$1
  shift
  [[ -d $d ]] || return 0
  local files
  mapfile -t files < <(find "$d" -type f ! -name README.md "$@" | sort)
  ((${#files[@]})) && add "${files[@]}"
  return 0
}
# add_lines LINES FILE...: JSONL cut into seeds of LINES records.
add_lines() {
  local lines=$1 f
  shift
  for f in "$@"; do
    [[ -f $f ]] || continue
    seed_name "$f"
    split -l "$lines" -a 4 "$f" "${seed}_"
  done
}
# add_log HIVE LOG [dirty]: the registry_log harness's input (little-endian u32 hive size
# first). "dirty": the hive's base block is made to say that the write of the log's first
# entry did not complete (secondary sequence = that entry's, primary one more, checksum
# redone), so that the log is replayed: a clean hive returns before reading any log.
add_log() {
  local hive=$1 log=$2 dirty=${3:-}
  [[ -f $hive && -f $log ]] || return 0
  seed_name "$log"
  seed=$seed${dirty:+_dirty}
  python3 - "$hive" "$log" "$seed" "$dirty" <<'PY'
import struct, sys
hive, log = (bytearray(open(p, "rb").read()) for p in sys.argv[1:3])
if sys.argv[4] and log[512:516] == b"HvLE":
    seq = struct.unpack_from("<I", log, 512 + 12)[0]
    struct.pack_into("<II", hive, 4, seq + 1, seq)
    x = 0
    for i in range(0, 508, 4):
        x ^= struct.unpack_from("<I", hive, i)[0]
    x = {0: 1, 0xFFFFFFFF: 0xFFFFFFFE}.get(x, x)
    struct.pack_into("<I", hive, 508, x)
open(sys.argv[3], "wb").write(struct.pack("<I", len(hive)) + hive + log)
PY
}

add_tree "tests/fuzz/seeds/$name"
case "$name" in
  fuzz_cdir_archive) add_tree "$corpus/other" \( -name '*.zip' -o -name '*.7z' -o -name '*.tar*' \) ;;
  fuzz_cdir_collector_log) add_tree "$corpus" -name 'collector-log*.txt' ;;
  fuzz_compress_*) add_tree tests/data/prefetch/Win10; add_tree "$corpus/prefetch/ez-prefetch/Win10" ;;
  fuzz_core_text) add tests/data/notice/case.json ;;
  fuzz_core_hash) add tests/data/notice/case.json; add tests/data/prefetch/Win10/*.pf ;;
  fuzz_detect_records | fuzz_timeline_records)
    add_lines 3 tests/data/detect/*.jsonl tests/data/timeline/*.jsonl ;;
  fuzz_detect_rules)
    add_tree rules -name '*.yml'
    # Every 10th public Sigma rule: the modifiers, conditions and log sources in use.
    if [[ -d $shared/sigma/rules ]]; then
      mapfile -t sigma < <(find $shared/sigma/rules -name '*.yml' | sort | awk 'NR % 10 == 1')
      add "${sigma[@]}"
    fi ;;
  fuzz_evtx_*) add tests/data/evtx/*.evtx; add_tree "$corpus/evtx" -name '*.evtx' -size -257k ;;
  fuzz_cases_*) add samples/CASE.json tests/data/notice/case.json ;;
  fuzz_casedocs_*)  # a PC's notice.json (checked in), findings, evtx logon records
    add_lines 3 tests/data/notice/findings.jsonl tests/data/timeline/evtx_records.jsonl
    add_lines 3 tests/data/detect/builtin_records.jsonl ;;
  fuzz_notice_*) add tests/data/notice/*.json; add_lines 3 tests/data/notice/*.jsonl ;;
  fuzz_ntfs_mft*) add tests/data/ntfs/entry_* tests/data/ntfs/volume.mft.gz; add_tree "$corpus/mft" ;;
  fuzz_ntfs_usn*) add tests/data/ntfs/*UsnJrnl*; add_tree "$corpus/usnjrnl" ;;
  fuzz_prefetch_*) add_tree tests/data/prefetch; add_tree "$corpus/prefetch" ;;
  fuzz_registry_hive*)
    add tests/data/registry/*.hiv tests/data/registry/SECURITYNoRoot
    add_tree "$corpus/registry" ! -iname '*.LOG*' ! -path '*appcompatcacheparser*' ;;
  fuzz_registry_log*)
    rv=$corpus/registry/dfir-artifact-museum/Win10/RathbunVM  # a dirty SAM and its logs
    add_log "$rv/SAM" "$rv/SAM.LOG1"
    add_log "$rv/SAM" "$rv/SAM.LOG1" dirty
    add_log "$rv/SAM" "$rv/SAM.LOG2" dirty
    add_log tests/data/registry/100_sub_keys.hiv tests/data/cdir/ntuser.dat.LOG ;;  # old-style log
  fuzz_registry_shimcache*) add tests/data/registry/*.bin; add_tree "$corpus/registry/ez-appcompatcacheparser" ;;
  fuzz_ese_* | fuzz_srum_*)
    [[ $name == fuzz_srum_* ]] && add_tree tests/fuzz/seeds/fuzz_ese_database  # SRUDB.dat's start
    add_tree tests/data/ese; add_tree "$corpus/srum" -name '*.dat' ;;
  fuzz_browser_webcache)
    # WebCacheV01.dat is 16 MiB: its first 1 MiB (header, catalog, Containers table).
    mapfile -t webcache < <(find "$corpus/browser" -name 'WebCacheV01.dat*' | sort)
    ((${#webcache[@]})) && add_head 1048576 "${webcache[@]}" ;;
  fuzz_browser_*) add_tree tests/data/browser; add_tree "$corpus/browser" ;;
  fuzz_wmi_*)
    add_tree tests/data/wmi; add_tree "$corpus/wmi"
    # OBJECTS.DATA is 4+ MiB: its first 256 KiB (the harness carves every page).
    mapfile -t objects < <(find "$corpus/wmi" -name 'OBJECTS.DATA*' | sort)
    ((${#objects[@]})) && add_head 262144 "${objects[@]}"
    if [[ $name == fuzz_wmi_index ]]; then
      mapfile -t index < <(find "$corpus/wmi" -name 'INDEX.BTR*' | sort)
      ((${#index[@]})) && add_head 262144 "${index[@]}"
    fi ;;
  fuzz_netlog_*) add_tree tests/data/netlog; add_tree "$corpus/netlog"; add_tree "$corpus/defender" ;;
esac

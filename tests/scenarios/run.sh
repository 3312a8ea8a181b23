#!/usr/bin/env bash
# Assembles every scenario bundle from the shared corpus and runs a triage binary on it;
# prints one line per scenario: its name and, per question, the notice's verdict against
# the truth ("found/found" …). With an older triage that writes no notice.json, the five
# summary rows of notice.md (実行/永続化/侵入/感染後/改ざん) are read instead ("before").
# Usage: tests/scenarios/run.sh TRIAGE_BIN OUTDIR [CORPUS]
set -euo pipefail
triage=$(realpath "$1"); out=$2; corpus=${3:-/work/shared/corpus}
here=$(cd "$(dirname "$0")" && pwd); corpus=$(realpath "$corpus")
mkdir -p "$out"; out=$(realpath "$out")
qs=(suspect_file_created suspect_file_executed file_changes other_launches intrusion persistence post_infection tampering)
for spec in "$here"/*.json; do
  name=$(basename "$spec" .json)
  b="$out/$name/bundle/$(jq -r .host "$spec")_$(jq -r .folder_time "$spec")"
  rm -rf "$out/$name"; mkdir -p "$b"
  jq -r '.files | to_entries[] | "\(.key)\t\(.value)"' "$spec" | while IFS=$'\t' read -r dst src; do
    mkdir -p "$(dirname "$b/$dst")"; cp "$corpus/$src" "$b/$dst"; done
  args=(--detected-at "$(jq -r .detected_at "$spec")" --tz UTC)
  while read -r s; do [[ -n $s ]] && args+=(--suspect "$s"); done < <(jq -r '.suspects[]' "$spec")
  "$triage" "$out/$name/bundle" "${args[@]}" -o "$out/$name/case" >/dev/null 2>&1 || true
  line="$name"
  for q in "${qs[@]}"; do
    truth=$(jq -r ".truth.$q" "$spec")
    if [[ -f $out/$name/case/notice.json ]]; then
      got=$(jq -r ".questions[] | select(.id==\"$q\") | .verdict" "$out/$name/case/notice.json")
    else
      row=""
      case $q in suspect_file_executed) row="検知ファイルの実行";; persistence) row="自動起動の設定";;
        intrusion) row="遠隔からの侵入";; post_infection) row="感染後の活動";; tampering) row="記録の消去";; esac
      got="-"
      if [[ -n $row && -f $out/$name/case/notice.md ]]; then
        l=$(grep -m1 "^| $row" "$out/$name/case/notice.md" || true)
        [[ $l == *痕跡あり* ]] && got=found; [[ $l == *痕跡なし* ]] && got=not_found
      fi
    fi
    line+=" $q=$got/$truth"
  done
  echo "$line"
done

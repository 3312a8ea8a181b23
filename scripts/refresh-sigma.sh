#!/usr/bin/env bash
# Refreshes sigma/ — the vetted SigmaHQ rules triage loads by default — from a SigmaHQ
# checkout (or a copy of one: give its commit with --commit when it is not a git tree).
# Keeps rules/windows/**.yml of level medium, high or critical, minus sigma/excluded.tsv
# (rules measured to fire on ordinary machines' logs, see sigma/README.md), unmodified.
# Usage: scripts/refresh-sigma.sh SIGMA_CHECKOUT [--commit SHA]
set -euo pipefail
src=${1:?usage: scripts/refresh-sigma.sh SIGMA_CHECKOUT [--commit SHA]}
commit=""
[[ ${2:-} == --commit ]] && commit=${3:?--commit needs a SHA}
[[ -z $commit ]] && commit=$(git -C "$src" rev-parse HEAD 2>/dev/null || true)
[[ -n $commit ]] || { echo "refresh-sigma: no commit: $src is not a git checkout (give --commit SHA)" >&2; exit 2; }
[[ -d $src/rules/windows ]] || { echo "refresh-sigma: $src/rules/windows not found" >&2; exit 1; }
cd "$(dirname "$0")/.."
excluded=$(grep -v '^#' sigma/excluded.tsv | cut -f1)
rm -rf sigma/rules
kept=0; left=0; lowlevel=0
while IFS= read -r -d '' f; do
  rel=${f#"$src"/}
  level=$(grep -m1 -E '^level:' "$f" | awk '{print $2}' || true)
  id=$(grep -m1 -E '^id:' "$f" | awk '{print $2}' || true)
  case $level in medium|high|critical) ;; *) lowlevel=$((lowlevel + 1)); continue ;; esac
  if grep -qxF "$id" <<<"$excluded"; then left=$((left + 1)); continue; fi
  mkdir -p "sigma/$(dirname "$rel")"
  cp "$f" "sigma/$rel"
  kept=$((kept + 1))
done < <(find "$src/rules/windows" -name '*.yml' -print0 | sort -z)
cp "$src/LICENSE" sigma/LICENSE.SigmaHQ 2>/dev/null || true
printf 'SigmaHQ/sigma %s\nrules/windows: %d rules kept (level medium/high/critical), %d excluded by sigma/excluded.tsv, %d of level low/informational left out\n' \
  "$commit" "$kept" "$left" "$lowlevel" > sigma/UPSTREAM
cat sigma/UPSTREAM

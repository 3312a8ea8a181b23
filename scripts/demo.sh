#!/usr/bin/env bash
# Builds kakekomi and runs triage on the bundled sample; prints where the notice is.
# Usage: scripts/demo.sh [CASEDIR]   (default out/sample-case)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset release >/dev/null
# Only triage (the whole job) and what it links: not the tests and the other tools.
cmake --build --preset release --target triage
out=${1:-out/sample-case}
# A rerun never deletes an earlier result (issue #20): a folder that exists and is not empty
# stays as it is, and this run goes to a new one beside it.
if [[ -e "$out" && -n "$(ls -A "$out" 2>/dev/null || echo x)" ]]; then
  earlier=$out
  out="$out-$(date +%Y%m%d-%H%M%S)"
  echo "$earlier already holds a result: kept; this run writes $out"
fi
# The detection time and the suspect file come from the sample's intake (CASE.json).
build/release/bin/triage samples/MSEDGEWIN10_20190925100000.zip \
  --password-file samples/password.txt --case samples/CASE.json -o "$out" || true
[[ -f "$out/notice.html" ]] || { echo "triage did not produce a notice (see above)" >&2; exit 1; }
echo
echo "Notice (Japanese, HTML): $out/notice.html"
echo "Notice (Markdown):       $out/notice.md"
echo "速報 (one page):          $out/notice-brief.html"
echo "Appendix and CSV files:  $out/notice-appendix.html, $out/*.csv"
echo "Everything else:         $out/ (manifest, records/, timeline, window, findings, run.json)"

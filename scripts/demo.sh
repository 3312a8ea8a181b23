#!/usr/bin/env bash
# Builds kakekomi and runs triage on the bundled sample; prints where the notice is.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
cmake --preset release >/dev/null
cmake --build --preset release
out=${1:-out/sample-case}
rm -rf "$out"
build/release/bin/triage samples/MSEDGEWIN10_20190925100000.zip \
  --password-file samples/password.txt --case samples/CASE.json \
  --detected-at "$(sed -n 's/.*"detected_at": *"\([^"]*\)".*/\1/p' samples/CASE.json | head -n1)" \
  -o "$out"
echo
echo "Notice (Japanese): $out/notice.html"
echo "           (text): $out/notice.md"

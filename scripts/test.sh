#!/usr/bin/env bash
# Builds kakekomi (Release, warnings as errors) and runs every test with ctest; installs the
# Debian packages the tests need first (Chromium for the printed notice, PostgreSQL for the
# shared case registry).
# Usage: scripts/test.sh [--sanitize | --tsan]
#   --sanitize  ASan+UBSan build instead (CI runs it)
#   --tsan      ThreadSanitizer on the threaded parts (test_core, the timeline's spills beside,
#               the threaded triage runs, detect --jobs; CI)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh --browser --postgresql
preset=release
[[ "${1:-}" == "--sanitize" ]] && preset=sanitize
[[ "${1:-}" == "--tsan" ]] && preset=tsan
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset"

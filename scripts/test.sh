#!/usr/bin/env bash
# Builds kakekomi (Release, warnings as errors) and runs every test with ctest.
# Usage: scripts/test.sh [--sanitize]   (--sanitize: ASan+UBSan build instead)
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/deps.sh
preset=release
[[ "${1:-}" == "--sanitize" ]] && preset=sanitize
cmake --preset "$preset" >/dev/null
cmake --build --preset "$preset"
ctest --preset "$preset"

#!/usr/bin/env bash
# Installs the Debian 12 packages kakekomi needs, if any is missing.
# Usage: scripts/deps.sh [--fuzz] [--browser] [--postgresql] [--bench]
#   --fuzz     adds clang + libFuzzer (scripts/fuzz.sh)
#   --browser  adds Chromium + CJK fonts (tests/notice renders the notice in a real browser)
#              and poppler-utils (pdfinfo/pdftoppm: page counts and pictures of the printed notice)
#   --postgresql  adds the PostgreSQL server (tests/cases start a throwaway one; skipped without)
#   --bench    adds ntfs-3g (mkntfs, ntfs-3g) and sleuthkit (icat): bench/bench-triage.sh builds
#              its bundle's $MFT from a real NTFS volume; libevtx-utils (evtxexport) and
#              python3-evtx (evtx_dump.py): bench/bench-evtx.sh's peers
set -euo pipefail
pkgs=(cmake ninja-build g++ pkg-config tzdata
      zlib1g-dev libcli11-dev libarchive-dev libpugixml-dev libfmt-dev libhowardhinnant-date-dev
      doctest-dev libsimdjson-dev libyaml-dev libpcre2-dev nettle-dev libsqlite3-dev libpq-dev libzstd-dev
      zip p7zip-full libarchive-tools)
for flag in "$@"; do
  case "$flag" in
    --fuzz) pkgs+=(clang libclang-rt-14-dev) ;;
    --browser) pkgs+=(chromium fonts-noto-cjk poppler-utils) ;;
    --postgresql) pkgs+=(postgresql) ;;
    --bench) pkgs+=(ntfs-3g sleuthkit libevtx-utils python3-evtx) ;;
    *) echo "deps.sh: unknown flag $flag" >&2; exit 2 ;;
  esac
done
missing=()
for p in "${pkgs[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "kakekomi: installing ${missing[*]}" >&2
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
fi

// The record reduction of tests/evtx/make_reference.py, in C++: parse-evtx JSON
// lines → "record_id|event_id|time|channel|computer|sorted Name=value;…" lines,
// comparable with the evtxexport XML references kept in tests/data/evtx.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "evtx/evtx.hpp"

namespace kk_evtx_test {

// Normalizes one value as make_reference.py's norm() does.
std::string norm(std::string_view v);
// Reduces JSON lines to normalized record lines.
std::vector<std::string> normalized_lines(std::string_view jsonl);
// FNV-1a 64 of the lines joined with '\n' (as make_reference.py's fnv()).
std::uint64_t fnv1a(const std::vector<std::string>& lines);

struct Parsed {
  std::string jsonl;
  kk::evtx::Stats stats;
  std::uint64_t warnings = 0, errors = 0;
};
// Parses PATH in-process with OPT (diagnostics collected, not printed).
Parsed parse(const std::string& path, kk::evtx::Options opt = {});

}  // namespace kk_evtx_test

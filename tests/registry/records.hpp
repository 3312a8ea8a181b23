// Test helpers: run parse_hive and look at its JSONL records.
#pragma once

#include <simdjson.h>

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/diagnostics.hpp"
#include "registry/registry.hpp"

namespace kk_test {

inline bool have_corpus() {
  return std::filesystem::exists(KK_CORPUS "/registry");
}
inline std::string corpus(const std::string& rel) {
  return KK_CORPUS "/registry/" + rel;
}
inline std::string test_data(const std::string& rel) {
  return KK_TEST_DATA "/registry/" + rel;
}

struct Parsed {
  std::string jsonl;
  kk::registry::HiveSummary summary;
  std::vector<std::string> lines;
};

inline Parsed parse(const std::string& path, kk::registry::Options opt = {},
                    kk::Diagnostics* diag = nullptr) {
  kk::Diagnostics local("parse-registry");
  local.set_stderr_limit(0);
  Parsed p;
  p.summary = kk::registry::parse_hive(path, path, opt, p.jsonl, diag ? *diag : local);
  std::size_t s = 0;
  while (s < p.jsonl.size()) {
    std::size_t e = p.jsonl.find('\n', s);
    p.lines.push_back(p.jsonl.substr(s, e - s));
    s = e + 1;
  }
  return p;
}

// Records with artifact A (as parsed JSON, kept alive by the parser below).
struct Records {
  std::vector<std::unique_ptr<simdjson::dom::parser>> parsers;  // one per kept document
  std::vector<simdjson::dom::element> items;
  std::size_t size() const { return items.size(); }
  simdjson::dom::element operator[](std::size_t i) const { return items[i]; }
};

// The records whose "artifact" is ARTIFACT, in output order.
inline void select(const Parsed& p, std::string_view artifact, Records& out) {
  std::string needle = "{\"artifact\":\"" + std::string(artifact) + "\"";
  for (auto& l : p.lines) {
    if (!l.starts_with(needle)) continue;
    out.parsers.push_back(std::make_unique<simdjson::dom::parser>());
    out.items.push_back(out.parsers.back()->parse(l).value());
  }
}

// First record of ARTIFACT whose field K equals V.
inline std::optional<simdjson::dom::element> find(const Records& r, const char* k,
                                                  std::string_view v) {
  for (auto& e : r.items) {
    auto f = e[k];
    if (!f.error() && f.is_string() && f.get_string().value() == v) return e;
  }
  return std::nullopt;
}

inline std::string str(simdjson::dom::element e, const char* k) {
  auto v = e[k];
  if (v.error() || v.is_null()) return "<null>";
  if (v.is_string()) return std::string(v.get_string().value());
  return simdjson::to_string(v.value());
}

}  // namespace kk_test

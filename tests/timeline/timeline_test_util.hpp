// Helpers for the timeline tests: build a timeline in-process and look events up.
#pragma once

#include <simdjson.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "../test_util.hpp"
#include "core/diagnostics.hpp"
#include "core/output.hpp"
#include "timeline/timeline_builder.hpp"

namespace kk_test {

inline std::vector<std::string> split_lines(const std::string& text) {
  std::vector<std::string> out;
  std::size_t b = 0;
  while (b < text.size()) {
    std::size_t e = text.find('\n', b);
    if (e == std::string::npos) e = text.size();
    out.push_back(text.substr(b, e - b));
    b = e + 1;
  }
  return out;
}

// Builds a timeline from INPUTS and returns its raw output text.
inline std::string build_text(const std::vector<std::string>& inputs,
                              kk::timeline::BuildOptions opt = {},
                              kk::timeline::BuildStats* stats = nullptr) {
  kk::Diagnostics diag("test");
  diag.set_stderr_limit(0);
  std::string path = temp_file();
  {
    kk::Output out;
    std::string err;
    out.open(path, &err);
    kk::timeline::TimelineBuilder b(opt, diag);
    for (const auto& in : inputs) b.add_jsonl(in);
    b.write(out);
    out.close();
    if (stats) *stats = b.stats();
  }
  std::string text = read_file(path);
  std::remove(path.c_str());
  return text;
}

inline std::vector<std::string> build_lines(const std::vector<std::string>& inputs,
                                            kk::timeline::BuildOptions opt = {},
                                            kk::timeline::BuildStats* stats = nullptr) {
  return split_lines(build_text(inputs, opt, stats));
}

// Parsed events, one parser per event so elements stay valid together.
struct ParsedEvents {
  std::vector<std::unique_ptr<simdjson::dom::parser>> parsers;
  std::vector<simdjson::dom::element> events;
  explicit ParsedEvents(const std::vector<std::string>& lines) {
    for (const auto& l : lines) {
      parsers.push_back(std::make_unique<simdjson::dom::parser>());
      events.push_back(parsers.back()->parse(l).value());
    }
  }
  // The first event satisfying PRED; throws if none.
  simdjson::dom::element find(const std::function<bool(simdjson::dom::element)>& pred) const {
    for (auto e : events)
      if (pred(e)) return e;
    throw std::runtime_error("no such event");
  }
  std::vector<simdjson::dom::element> all(
      const std::function<bool(simdjson::dom::element)>& pred) const {
    std::vector<simdjson::dom::element> out;
    for (auto e : events)
      if (pred(e)) out.push_back(e);
    return out;
  }
};

inline std::string data_path(const std::string& name) {
  return std::string(KK_TEST_DATA) + "/timeline/" + name;
}

}  // namespace kk_test

// render_record writes into memory it reserved beforehand (record_bound): the bound must
// hold for the worst a line can hold — every byte a control character (6 bytes escaped),
// thousands of unnamed fields ("_12345" keys), extreme numbers and times.
#include <doctest/doctest.h>
#include <simdjson.h>

#include <string>
#include <vector>

#include "core/out_buffer.hpp"
#include "netlog/render.hpp"

namespace {

std::string worst(std::size_t n) {  // control characters and broken UTF-8 only
  std::string s;
  for (std::size_t i = 0; i < n; ++i) s.push_back(static_cast<char>(i % 3 ? i % 0x20 : 0xff));
  return s;
}

}  // namespace

TEST_CASE("render_record never writes more than record_bound, and writes valid JSON") {
  using namespace kk::netlog;
  const std::string ctl = worst(300);
  for (std::size_t shape = 0; shape < 3; ++shape) {
    // The fields' text, per shape: a vector kept across shapes reallocates and leaves the
    // earlier views (of short, in-place strings) dangling.
    std::vector<std::string> keep;
    ParsedLine p;
    p.env.present = shape != 1;
    p.env.pri = -2147483647;
    p.env.time_text = p.env.host = p.env.app = p.env.procid = p.env.msgid = p.env.structured = ctl;
    const std::size_t fields = shape == 2 ? 20000 : 600;
    keep.reserve(fields);
    for (std::size_t i = 0; i < fields; ++i) {
      // Unnamed (empty) keys, repeated names and escaped names, values of every length.
      keep.push_back(i % 3 == 0 ? std::string() : i % 3 == 1 ? worst(i % 40) : "k");
      p.fields.push_back({keep.back(), std::string_view(ctl).substr(0, i % 200)});
    }
    Normalized n;
    for (auto& v : n.v) v = ctl;
    n.v[static_cast<std::size_t>(Norm::kSrcPort)] = "18446744073709551615";
    n.v[static_cast<std::size_t>(Norm::kDstPort)] = "1234567890123456789";
    n.v[static_cast<std::size_t>(Norm::kDuration)] = "1.7976931348623157e308";
    n.action = ctl;
    RecordHead h{ctl,
                 18446744073709551615ull,
                 18446744073709551615ull,
                 ctl,
                 ctl,
                 ctl,
                 shape == 0 ? std::optional<kk::UtcMicros>(-9223372036854775807LL)
                            : std::optional<kk::UtcMicros>(),
                 ctl,
                 true};
    kk::OutBuffer out;
    out.append("x");
    render_record(out, h, n, p, worst(5000));
    const std::size_t written = out.size() - 1;
    CHECK(written <= record_bound(h, n, p, worst(5000)));
    CHECK(written > 5000 * 5);  // the raw line alone, escaped
    simdjson::dom::parser parser;
    simdjson::dom::element e;
    const std::string line(out.view().substr(1));
    REQUIRE(parser.parse(line).get(e) == simdjson::SUCCESS);
    CHECK(line.back() == '\n');
  }
}

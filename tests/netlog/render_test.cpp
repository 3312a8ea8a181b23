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

TEST_CASE(
    "render_record: of a repeated name the first field wins; names alike in most bytes stay") {
  using namespace kk::netlog;
  // Long names that differ only in bytes the repeated-name hash does not read (it reads the
  // first, last and middle 8 bytes), so they collide there and must be told apart by
  // comparison; short names of every length; a second spelling in another case.
  std::vector<std::string> names;
  for (char c : {'A', 'B', 'C'}) names.push_back(std::string(10, 'x') + c + std::string(29, 'x'));
  for (std::size_t len = 1; len <= 24; ++len) names.push_back(std::string(len, 'k'));
  names.push_back("Kk");
  ParsedLine p;
  std::vector<std::string> values;
  values.reserve(names.size() * 2);
  for (std::size_t round = 0; round < 2; ++round)
    for (const std::string& n : names) {
      values.push_back(std::to_string(values.size()));
      p.fields.push_back({n, values.back()});
    }
  Normalized n;
  RecordHead h{"f", 1, 0, "generic", "kv", "kv", std::nullopt, {}, false};
  kk::OutBuffer out;
  render_record(out, h, n, p, "raw");
  simdjson::dom::parser parser;
  simdjson::dom::element e;
  const std::string line(out.view());
  REQUIRE(parser.parse(line).get(e) == simdjson::SUCCESS);
  std::size_t i = 0;
  for (simdjson::dom::key_value_pair field : e["fields"].get_object()) {
    REQUIRE(i < names.size());
    const std::string_view key = field.key, value = field.value.get_string().value();
    CHECK(key == names[i]);  // each name once, in the order of its first field
    CHECK(value == std::to_string(i));
    ++i;
  }
  CHECK(i == names.size());
}

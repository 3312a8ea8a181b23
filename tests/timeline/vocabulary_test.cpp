// The vocabulary is what Timesketch relies on: unique names, one type each, few keys.
#include <doctest/doctest.h>

#include <simdjson.h>

#include <algorithm>
#include <set>
#include <string>
#include <vector>

#include "timeline/event.hpp"
#include "timeline/message_catalog.hpp"
#include "timeline/vocabulary.hpp"

using namespace kk::timeline;

TEST_CASE("vocabulary keys are unique and stay far below the 300-key limit") {
  std::set<std::string_view> names;
  for (const auto& h : head_keys()) CHECK(names.insert(h.name).second);
  for (std::size_t i = 0; i < kFieldCount; ++i) {
    const FieldInfo& f = field_info(static_cast<Field>(i));
    CHECK_MESSAGE(names.insert(f.name).second, f.name);
    CHECK(!f.description.empty());
  }
  CHECK(names.insert(kDetailsKey).second);
  CHECK(names.size() < 300);
  std::set<std::string_view> tags;
  for (std::size_t i = 0; i < kTagCount; ++i)
    CHECK(tags.insert(tag_info(static_cast<Tag>(i)).name).second);
}

TEST_CASE("catalog: every entry has both languages and balanced placeholders") {
  for (const auto& e : catalog_entries()) {
    CHECK_MESSAGE(!e.en.empty(), e.id);
    CHECK_MESSAGE(!e.ja.empty(), e.id);
    for (std::string_view t : {e.en, e.ja}) {
      int braces = 0, brackets = 0;
      for (char c : t) {
        braces += c == '{' ? 1 : c == '}' ? -1 : 0;
        brackets += c == '[' ? 1 : c == ']' ? -1 : 0;
        CHECK(braces >= 0);
        CHECK(brackets >= 0);
      }
      CHECK_MESSAGE(braces == 0, e.id);
      CHECK_MESSAGE(brackets == 0, e.id);
    }
  }
}

TEST_CASE("catalog: optional groups drop when an argument is missing") {
  const auto& c = MessageCatalog::instance();
  MessageArgs args;
  args.add("event_id", "4624")
      .add("logon_type", "3")
      .add("logon_type_label", "Network")
      .add("user", "bob");
  std::string out;
  REQUIRE(c.format("evtx.security.4624", Lang::kEn, args, out));
  CHECK(out == "4624 Logon Type 3 (Network) bob");
  args.add("src_ip", "10.1.2.3");
  out.clear();
  c.format("evtx.security.4624", Lang::kEn, args, out);
  CHECK(out == "4624 Logon Type 3 (Network) bob from 10.1.2.3");
  CHECK_FALSE(c.format("no.such.id", Lang::kEn, args, out));
}

TEST_CASE("an event's line has each field set once, in field order, whatever the order set") {
  kk::timeline::Event ev;
  using kk::timeline::Field;
  ev.set_time(1700000000000000, "Event Recorded");
  ev.set_host("PC01");
  ev.set(Field::kPath, "C:\\x\\a.exe");
  ev.set(Field::kEventId, std::int64_t{4688});
  ev.set(Field::kSid, "S-1-5-18");
  ev.clear(Field::kSid);  // cleared: not written
  ev.set(Field::kChannel, "Security");
  ev.clear(Field::kChannel);  // cleared, then set again: written once
  ev.set(Field::kChannel, "System");
  kk::OutBuffer rendered;
  std::uint32_t host_pos = 0;
  ev.render(rendered, &host_pos);
  const std::string line(rendered.view());
  simdjson::dom::parser parser;
  simdjson::dom::object o = parser.parse(line).get_object();
  std::vector<std::string> keys;
  for (auto [k, v] : o) keys.emplace_back(k);
  auto after_tags = std::find(keys.begin(), keys.end(), "tags") + 1;
  CHECK(std::vector<std::string>(after_tags, keys.end()) ==
        std::vector<std::string>{"event_id", "channel", "path", "details"});
  CHECK(std::string_view(o["channel"]) == "System");
  CHECK(line.find("S-1-5-18") == std::string::npos);
  CHECK(host_pos == kk::timeline::Event::kNoHostSlot);
}

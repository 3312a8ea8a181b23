// parse_rfc3164_time reads "Mmm dd hh:mm:ss" by position, beside parse_time_text's general
// reader: wherever it gives a time, the general reader must give the same one.
#include <doctest/doctest.h>

#include <random>
#include <string>

#include "netlog/time_text.hpp"

namespace {

using kk::netlog::CivilTime;

bool same(const CivilTime& a, const CivilTime& b) {
  return a.year == b.year && a.month == b.month && a.day == b.day && a.hour == b.hour &&
         a.minute == b.minute && a.second == b.second && a.micros == b.micros &&
         a.offset_minutes == b.offset_minutes && a.epoch == b.epoch &&
         a.epoch_value == b.epoch_value && a.zone_ambiguous == b.zone_ambiguous;
}

// Whether the fast reader agrees with the general one on TEXT; counts its hits.
bool agrees(const std::string& text, std::size_t& hits) {
  const auto fast = kk::netlog::parse_rfc3164_time(text);
  if (!fast) return true;
  ++hits;
  const auto slow = kk::netlog::parse_time_text(text, false);
  return slow && same(*fast, *slow);
}

std::string two(int v) {
  return std::string(1, static_cast<char>('0' + v / 10)) + char('0' + v % 10);
}

}  // namespace

TEST_CASE("parse_rfc3164_time gives what parse_time_text gives") {
  std::size_t hits = 0, checked = 0, disagree = 0;
  for (const char* month : {"Jan", "feb", "MAR", "aPr", "Dec", "Mon", "Sun", "Xyz", "Ma1"})
    for (int day = 0; day <= 39; ++day)
      for (int hour : {0, 9, 23, 24, 25, 99})
        for (int minute : {0, 59, 60})
          for (int second : {0, 59, 60, 61}) {
            const std::string clock = " " + two(hour) + ":" + two(minute) + ":" + two(second);
            for (const std::string& d :
                 {two(day), day < 10 ? " " + std::to_string(day) : two(day)}) {
              ++checked;
              if (!agrees(month + (" " + d) + clock, hits)) ++disagree;
            }
          }
  CHECK(disagree == 0);
  CHECK(hits > 5000);  // the common shapes take the fast path
  CHECK(kk::netlog::parse_rfc3164_time("Mar 17 12:36:36"));
  CHECK(kk::netlog::parse_rfc3164_time("Mar  1 00:48:48")->day == 1);
  // Every one-byte change of a valid time: the fast reader never disagrees.
  std::mt19937 rng(7);
  const std::string base = "Mar  7 23:59:60";
  for (int i = 0; i < 20000; ++i) {
    std::string t = base;
    t[rng() % t.size()] = static_cast<char>(rng() % 256);
    if (rng() % 4 == 0) t[rng() % t.size()] = " 0123456789:"[rng() % 12];
    ++checked;
    if (!agrees(t, hits)) ++disagree;
  }
  CHECK(disagree == 0);
  CHECK(!kk::netlog::parse_rfc3164_time("Mar 17 12:36:36 2024"));  // not the fixed shape
  CHECK(!kk::netlog::parse_rfc3164_time("Mon 17 12:36:36"));       // a weekday, not a month
  CHECK(checked > 40000);
}

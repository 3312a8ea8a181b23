#include "netlog/time_text.hpp"

#include <date/tz.h>

#include <array>
#include <chrono>

#include "core/ascii_case.hpp"
#include "core/ascii_digit.hpp"

namespace kk::netlog {

namespace {

bool is_alpha(char c) {
  return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
}

// A left-to-right reader over the time text.
struct TextCursor {
  std::string_view s;
  std::size_t i = 0;
  bool end() const { return i >= s.size(); }
  char peek() const { return i < s.size() ? s[i] : '\0'; }
  bool eat(char c) {
    if (peek() != c) return false;
    ++i;
    return true;
  }
  void spaces() {
    while (i < s.size() && (s[i] == ' ' || s[i] == '\t')) ++i;
  }
  // Reads 1..MAX digits; returns the count read (0 = none) and the value.
  int digits(int max, int& value) {
    int n = 0;
    value = 0;
    while (n < max && i < s.size() && is_ascii_digit(s[i])) {
      value = value * 10 + (s[i] - '0');
      ++i;
      ++n;
    }
    return n;
  }
  std::string_view word() {
    std::size_t b = i;
    while (i < s.size() && is_alpha(s[i])) ++i;
    return s.substr(b, i - b);
  }
};

int month_from_name(std::string_view w) {
  static constexpr std::array<std::string_view, 12> kNames = {
      "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec"};
  if (w.size() < 3) return 0;
  for (std::size_t m = 0; m < 12; ++m)
    if (iequals(w.substr(0, 3), kNames[m])) return static_cast<int>(m) + 1;
  return 0;
}

bool is_weekday(std::string_view w) {
  static constexpr std::array<std::string_view, 7> kDays = {"mon", "tue", "wed", "thu",
                                                            "fri", "sat", "sun"};
  if (w.size() < 3) return false;
  for (auto d : kDays)
    if (iequals(w.substr(0, 3), d)) return true;
  return false;
}

// hh:mm[:ss[.frac]] [AM|PM]
bool read_clock(TextCursor& c, CivilTime& t) {
  int v = 0;
  if (c.digits(2, v) == 0) return false;
  t.hour = v;
  if (!c.eat(':')) return false;
  if (c.digits(2, v) != 2) return false;
  t.minute = v;
  if (c.eat(':')) {
    if (c.digits(2, v) != 2) return false;
    t.second = v;
    if (c.peek() == '.' || c.peek() == ',') {
      ++c.i;
      std::int64_t us = 0;
      int n = 0;
      while (!c.end() && is_ascii_digit(c.peek())) {
        if (n < 6) us = us * 10 + (c.peek() - '0');
        ++n;
        ++c.i;
      }
      if (n == 0) return false;
      for (int k = n; k < 6; ++k) us *= 10;
      t.micros = us;
    }
  }
  TextCursor save = c;
  c.spaces();
  std::string_view ampm = c.word();
  if (iequals(ampm, "am") || iequals(ampm, "pm")) {
    if (t.hour < 1 || t.hour > 12) return false;
    if (iequals(ampm, "am") && t.hour == 12) t.hour = 0;
    if (iequals(ampm, "pm") && t.hour != 12) t.hour += 12;
  } else {
    c = save;
  }
  return true;
}

// Anything after the clock: Z, ±hh[:mm], GMT±hh:mm, UTC, an abbreviation.
void read_zone(TextCursor& c, CivilTime& t) {
  c.spaces();
  if (c.end()) return;
  std::string_view rest = c.s.substr(c.i);
  // Only the first token is the zone ("+0000", "GMT+00:00", "CEST").
  std::size_t e = 0;
  while (e < rest.size() && rest[e] != ' ' && rest[e] != ']' && rest[e] != ')' && rest[e] != '"')
    ++e;
  bool amb = false;
  if (auto off = parse_zone_text(rest.substr(0, e), &amb)) {
    t.offset_minutes = *off;
    c.i += e;
  } else if (amb) {
    t.zone_ambiguous = true;
    c.i += e;
  }
}

bool in_range(const CivilTime& t) {
  return t.month >= 1 && t.month <= 12 && t.day >= 1 && t.day <= 31 && t.hour <= 24 &&
         t.minute <= 59 && t.second <= 60;
}

std::optional<CivilTime> parse_epoch(std::string_view s) {
  std::size_t i = 0;
  std::int64_t whole = 0;
  int n = 0;
  while (i < s.size() && is_ascii_digit(s[i])) {
    if (n < 19) whole = whole * 10 + (s[i] - '0');
    ++n;
    ++i;
  }
  std::int64_t frac_us = 0;
  if (i < s.size() && s[i] == '.') {
    ++i;
    int fn = 0;
    while (i < s.size() && is_ascii_digit(s[i])) {
      if (fn < 6) frac_us = frac_us * 10 + (s[i] - '0');
      ++fn;
      ++i;
    }
    for (int k = fn; k < 6; ++k) frac_us *= 10;
  }
  if (i != s.size() || n < 9 || n > 19) return std::nullopt;
  CivilTime t;
  t.epoch = true;
  if (n <= 10)
    t.epoch_value = whole * 1000000 + frac_us;
  else if (n <= 13)
    t.epoch_value = whole * 1000;
  else if (n <= 16)
    t.epoch_value = whole;
  else
    t.epoch_value = whole / 1000;
  return t;
}

}  // namespace

std::int64_t civil_micros(int y, int mo, int d, int h, int mi, int s, std::int64_t us) {
  const std::int64_t days = days_from_civil(y, static_cast<unsigned>(mo), static_cast<unsigned>(d));
  return ((days * 86400) + h * 3600LL + mi * 60LL + s) * 1000000LL + us;
}

std::optional<CivilTime> parse_packed_hex_time(std::string_view text) {
  if (text.size() != 12) return std::nullopt;
  int b[6];
  for (int i = 0; i < 6; ++i) {
    int v = 0;
    for (int k = 0; k < 2; ++k) {
      const char c = text[static_cast<std::size_t>(i * 2 + k)];
      v <<= 4;
      if (c >= '0' && c <= '9')
        v |= c - '0';
      else if (c >= 'A' && c <= 'F')
        v |= c - 'A' + 10;
      else if (c >= 'a' && c <= 'f')
        v |= c - 'a' + 10;
      else
        return std::nullopt;
    }
    b[i] = v;
  }
  CivilTime t;
  t.year = 1970 + b[0];
  t.month = b[1] + 1;
  t.day = b[2];
  t.hour = b[3];
  t.minute = b[4];
  t.second = b[5];
  if (t.month > 12 || t.day < 1 || t.day > 31 || t.hour > 23 || t.minute > 59 || t.second > 59)
    return std::nullopt;
  return t;
}

std::optional<int> parse_zone_text(std::string_view z, bool* ambiguous) {
  if (ambiguous) *ambiguous = false;
  while (!z.empty() && (z.front() == ' ' || z.front() == '"')) z.remove_prefix(1);
  while (!z.empty() && (z.back() == ' ' || z.back() == '"')) z.remove_suffix(1);
  if (z.empty()) return std::nullopt;
  if (z == "Z" || z == "z") return 0;
  std::string_view prefix;
  for (std::string_view p : {"UTC", "GMT", "utc", "gmt"})
    if (z.substr(0, 3) == p) prefix = p;
  if (!prefix.empty()) {
    z.remove_prefix(3);
    if (z.empty()) return 0;
  }
  if (z.front() == '+' || z.front() == '-') {
    const int sign = z.front() == '-' ? -1 : 1;
    TextCursor c{z, 1};
    int h = 0, m = 0;
    int n = c.digits(2, h);
    if (n == 0) return std::nullopt;
    if (c.eat(':')) {
      if (c.digits(2, m) != 2) return std::nullopt;
    } else if (n == 2 && !c.end()) {
      if (c.digits(2, m) != 2) return std::nullopt;
    }
    if (!c.end() || h > 14 || m > 59) return std::nullopt;
    return sign * (h * 60 + m);
  }
  if (!prefix.empty()) return std::nullopt;
  // Abbreviations whose meaning is not in doubt; IST (India, Israel, Ireland), CST and BST
  // are not among them and are read in --tz.
  struct Abbrev {
    std::string_view name;
    int minutes;
  };
  static constexpr Abbrev kZones[] = {
      {"JST", 540},  {"KST", 540},   {"HKT", 480},  {"SGT", 480},  {"AWST", 480}, {"AEST", 600},
      {"AEDT", 660}, {"NZST", 720},  {"NZDT", 780}, {"WET", 0},    {"WEST", 60},  {"CET", 60},
      {"CEST", 120}, {"MET", 60},    {"MEST", 120}, {"EET", 120},  {"EEST", 180}, {"MSK", 180},
      {"EST", -300}, {"EDT", -240},  {"CDT", -300}, {"MST", -420}, {"MDT", -360}, {"PST", -480},
      {"PDT", -420}, {"AKST", -540}, {"HST", -600}};
  for (const auto& a : kZones)
    if (iequals(z, a.name)) return a.minutes;
  for (std::string_view a : {"IST", "CST", "BST", "AST", "ACST"})
    if (iequals(z, a) && ambiguous) *ambiguous = true;
  return std::nullopt;
}

std::optional<CivilTime> parse_rfc3164_time(std::string_view t) {
  if (t.size() != 15 || t[3] != ' ' || t[6] != ' ' || t[9] != ':' || t[12] != ':') return {};
  for (std::size_t k : {5, 7, 8, 10, 11, 13, 14})
    if (!is_ascii_digit(t[k])) return {};
  if (!(t[4] == ' ' || is_ascii_digit(t[4])) || !is_alpha(t[0]) || !is_alpha(t[1]) ||
      !is_alpha(t[2]))
    return {};
  auto two = [&](std::size_t k) { return (t[k] - '0') * 10 + (t[k + 1] - '0'); };
  CivilTime c;
  c.month = month_from_name(t.substr(0, 3));
  c.day = t[4] == ' ' ? t[5] - '0' : two(4);
  c.hour = two(7);
  c.minute = two(10);
  c.second = two(13);
  if (c.month == 0 || !in_range(c)) return {};
  return c;
}

std::optional<CivilTime> parse_time_text(std::string_view text, bool allow_epoch, DateOrder order) {
  while (!text.empty() && (text.front() == ' ' || text.front() == '[' || text.front() == '"'))
    text.remove_prefix(1);
  while (!text.empty() && (text.back() == ' ' || text.back() == ']' || text.back() == '"'))
    text.remove_suffix(1);
  if (text.size() < 8 || text.size() > 64) {
    if (allow_epoch && !text.empty() && text.size() <= 64) return parse_epoch(text);
    return std::nullopt;
  }
  if (allow_epoch && is_ascii_digit(text[0])) {
    if (auto e = parse_epoch(text)) return e;
  }
  CivilTime t;
  TextCursor c{text};
  if (is_ascii_digit(c.peek())) {
    int a = 0;
    const int na = c.digits(8, a);
    if (na == 8 && (c.peek() == ' ' || c.end())) {  // 20180130 1445
      t.year = a / 10000;
      t.month = a / 100 % 100;
      t.day = a % 100;
      c.spaces();
      int hm = 0;
      if (c.digits(6, hm) >= 4) {
        t.hour = hm / 100;
        t.minute = hm % 100;
      }
    } else if (na == 4 && (c.peek() == '-' || c.peek() == '/' || c.peek() == '.')) {
      const char sep = c.peek();
      ++c.i;
      t.year = a;
      int v = 0;
      if (c.digits(2, v) == 0) return std::nullopt;
      t.month = v;
      if (!c.eat(sep) || c.digits(2, v) == 0) return std::nullopt;
      t.day = v;
      if (c.peek() == 'T' || c.peek() == 't' || c.peek() == ' ' || c.peek() == '_') {
        ++c.i;
        c.spaces();
        if (!read_clock(c, t)) return std::nullopt;
        read_zone(c, t);
      } else if (!c.end()) {
        return std::nullopt;
      }
    } else if (na <= 2 && (c.peek() == '/' || c.peek() == '-' || c.peek() == '.')) {
      // 05/02/2025 11:30:29, 9/16/19 10:00, 10/Oct/2000:13:55:36 -0700, 16-Sep-2019
      const char sep = c.peek();
      ++c.i;
      int b = 0, y = 0, month_word = 0;
      if (is_alpha(c.peek())) {
        month_word = month_from_name(c.word());
        if (month_word == 0) return std::nullopt;
      } else if (c.digits(2, b) == 0) {
        return std::nullopt;
      }
      if (!c.eat(sep)) return std::nullopt;
      const int ny = c.digits(4, y);
      if (ny == 2)
        y += 2000;
      else if (ny != 4)
        return std::nullopt;
      t.year = y;
      if (month_word) {
        t.month = month_word;
        t.day = a;
      } else if (order == DateOrder::kDayFirst || a > 12) {
        t.day = a;
        t.month = b;
      } else {
        t.month = a;
        t.day = b;
      }
      if (c.peek() == ':' || c.peek() == ' ' || c.peek() == 'T') {
        ++c.i;
        c.spaces();
        if (!read_clock(c, t)) return std::nullopt;
        read_zone(c, t);
      }
    } else {
      return std::nullopt;
    }
  } else {
    std::string_view w = c.word();
    if (is_weekday(w)) {  // ctime: Mon Aug 28 08:04:30 2023 / Mon, 28 Aug 2023 08:04:30 +0000
      c.eat(',');
      c.spaces();
      if (is_ascii_digit(c.peek())) {
        int d = 0, y = 0;
        c.digits(2, d);
        c.spaces();
        t.month = month_from_name(c.word());
        c.spaces();
        if (c.digits(4, y) != 4) return std::nullopt;
        t.day = d;
        t.year = y;
        c.spaces();
        if (!read_clock(c, t)) return std::nullopt;
        read_zone(c, t);
        return in_range(t) ? std::optional(t) : std::nullopt;
      }
      w = c.word();
    }
    t.month = month_from_name(w);
    if (t.month == 0) return std::nullopt;
    c.spaces();
    int d = 0;
    if (c.digits(2, d) == 0) return std::nullopt;
    t.day = d;
    c.eat(',');
    c.spaces();
    // "Oct 11 2017 06:34:09" or "Jan  3 13:45:36" (no year) or "Aug 28 08:04:30 2023".
    TextCursor probe = c;
    int y = 0;
    if (probe.digits(4, y) == 4 && (probe.peek() == ' ' || probe.end())) {
      t.year = y;
      c = probe;
      c.spaces();
      if (c.end()) return in_range(t) ? std::optional(t) : std::nullopt;
      if (!read_clock(c, t)) return std::nullopt;
    } else {
      if (!read_clock(c, t)) return std::nullopt;
      TextCursor p2 = c;
      p2.spaces();
      if (p2.digits(4, y) == 4) {
        t.year = y;
        c = p2;
      }
    }
    read_zone(c, t);
  }
  if (!in_range(t)) return std::nullopt;
  return t;
}

LocalZone::LocalZone(std::string_view tz) {
  if (tz == "UTC" || tz == "Etc/UTC" || tz == "Z") {
    utc_ = true;
    return;
  }
  try {
    zone_ = date::locate_zone(std::string(tz));
  } catch (const std::exception&) {
    zone_ = nullptr;
  }
}

UtcMicros LocalZone::to_utc(std::int64_t local_micros) {
  if (utc_ || zone_ == nullptr) return local_micros;
  const std::int64_t local_s =
      local_micros >= 0 ? local_micros / 1000000 : -((-local_micros + 999999) / 1000000);
  const std::int64_t hour = local_s >= 0 ? local_s / 3600 : -((-local_s + 3599) / 3600);
  Slot& slot = cache_[static_cast<std::uint64_t>(hour) % 64];
  if (slot.hour != hour) {
    using namespace std::chrono;
    const date::local_seconds lt{seconds{hour * 3600}};
    try {
      const auto sys = zone_->to_sys(lt, date::choose::earliest);
      slot.offset_s = hour * 3600 - sys.time_since_epoch().count();
    } catch (const std::exception&) {
      slot.offset_s = 0;
    }
    slot.hour = hour;
  }
  return local_micros - slot.offset_s * 1000000;
}

std::optional<UtcMicros> resolve_time(const CivilTime& t, LocalZone& zone,
                                      std::optional<int> year) {
  if (t.epoch) return t.epoch_value;
  int y = t.year;
  if (y < 0) {
    if (!year) return std::nullopt;
    y = *year;
  }
  if (y < 1970 || y > 2100) return std::nullopt;
  const std::int64_t local = civil_micros(y, t.month, t.day, t.hour, t.minute, t.second, t.micros);
  if (t.offset_minutes) return local - std::int64_t{*t.offset_minutes} * 60 * 1000000;
  return zone.to_utc(local);
}

}  // namespace kk::netlog

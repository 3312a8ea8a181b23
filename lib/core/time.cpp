#include "core/time.hpp"

#include "core/ascii_case.hpp"

#include <date/date.h>
#include <date/tz.h>

#include <algorithm>
#include <cctype>
#include <chrono>
#include <cstdio>
#include <cstring>

namespace kk {

namespace {
constexpr std::int64_t kMicrosPerDay = 86400LL * 1000000;

std::int64_t floor_div(std::int64_t a, std::int64_t b) {
  std::int64_t q = a / b;
  if ((a % b != 0) && ((a < 0) != (b < 0))) --q;
  return q;
}
}  // namespace

std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d) {
  // Howard Hinnant's days_from_civil.
  y -= m <= 2;
  const std::int64_t era = (y >= 0 ? y : y - 399) / 400;
  const unsigned yoe = static_cast<unsigned>(y - era * 400);
  const unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
  const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + static_cast<std::int64_t>(doe) - 719468;
}

namespace {
void civil_from_days(std::int64_t z, std::int64_t& y, unsigned& m, unsigned& d) {
  z += 719468;
  const std::int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  const unsigned doe = static_cast<unsigned>(z - era * 146097);
  const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  y = static_cast<std::int64_t>(yoe) + era * 400;
  const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  const unsigned mp = (5 * doy + 2) / 153;
  d = doy - (153 * mp + 2) / 5 + 1;
  m = mp < 10 ? mp + 3 : mp - 9;
  y += (m <= 2);
}

bool leap(std::int64_t y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
unsigned days_in_month(std::int64_t y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap(y) ? 29 : kDays[m - 1];
}
}  // namespace

std::optional<UtcMicros> from_filetime(std::uint64_t ft) {
  if (ft == 0) return std::nullopt;
  // (2^64-1)/10 fits in int64, so this never overflows.
  return static_cast<std::int64_t>(ft / 10) - static_cast<std::int64_t>(kFiletimeUnixEpoch / 10);
}

std::optional<UtcMicros> from_systemtime(int year, int month, int day, int hour, int minute,
                                         int second, int millis) {
  if (month < 1 || month > 12 || day < 1 || hour < 0 || hour > 23 || minute < 0 || minute > 59 ||
      second < 0 || second > 59 || millis < 0 || millis > 999 || year < 1601 || year > 30827)
    return std::nullopt;
  if (static_cast<unsigned>(day) > days_in_month(year, static_cast<unsigned>(month)))
    return std::nullopt;
  std::int64_t days =
      days_from_civil(year, static_cast<unsigned>(month), static_cast<unsigned>(day));
  return days * kMicrosPerDay + ((hour * 60LL + minute) * 60 + second) * 1000000 + millis * 1000LL;
}

std::optional<UtcMicros> from_dos_datetime(std::uint16_t date, std::uint16_t time) {
  int year = 1980 + (date >> 9);
  int month = (date >> 5) & 0x0F;
  int day = date & 0x1F;
  int hour = time >> 11;
  int minute = (time >> 5) & 0x3F;
  int second = (time & 0x1F) * 2;
  return from_systemtime(year, month, day, hour, minute, second, 0);
}

namespace {
// Writes V as exactly N decimal digits ending at P (hot path: no snprintf).
// 32-bit arithmetic: every field of a time in 0000-9999 fits, and dividing by ten is a
// cheaper multiply than in 64 bits (append_iso runs for every record written).
void put_digits(char* p, std::uint32_t v, int n) {
  for (int i = n - 1; i >= 0; --i, v /= 10) p[i] = static_cast<char>('0' + v % 10);
}
}  // namespace

void append_iso(std::string& out, UtcMicros t) {
  char buf[kIsoMax];
  out.append(buf, static_cast<std::size_t>(write_iso(buf, t) - buf));
}

char* write_iso(char* out, UtcMicros t) {
  const std::int64_t days = floor_div(t, kMicrosPerDay);
  // Not t - days * kMicrosPerDay: that product overflows for T near INT64_MIN.
  std::int64_t rem = t % kMicrosPerDay;
  if (rem < 0) rem += kMicrosPerDay;
  std::int64_t y;
  unsigned m, d;
  civil_from_days(days, y, m, d);
  std::int64_t secs = rem / 1000000;
  std::int64_t us = rem % 1000000;
  if (y < 0 || y > 9999) {  // rare: FILETIME near its maximum, or garbage
    int n = std::snprintf(out, kIsoMax, "%+05lld-%02u-%02uT%02lld:%02lld:%02lld.%06lldZ",
                          static_cast<long long>(y), m, d, static_cast<long long>(secs / 3600),
                          static_cast<long long>(secs / 60 % 60), static_cast<long long>(secs % 60),
                          static_cast<long long>(us));
    return out + std::min<std::size_t>(static_cast<std::size_t>(n), kIsoMax - 1);
  }
  char b[27] = {'0', '0', '0', '0', '-', '0', '0', '-', '0', '0', 'T', '0', '0', ':',
                '0', '0', ':', '0', '0', '.', '0', '0', '0', '0', '0', '0', 'Z'};
  const auto s32 = static_cast<std::uint32_t>(secs);  // 0 … 86,399
  put_digits(b, static_cast<std::uint32_t>(y), 4);
  put_digits(b + 5, m, 2);
  put_digits(b + 8, d, 2);
  put_digits(b + 11, s32 / 3600, 2);
  put_digits(b + 14, s32 / 60 % 60, 2);
  put_digits(b + 17, s32 % 60, 2);
  put_digits(b + 20, static_cast<std::uint32_t>(us), 6);
  std::memcpy(out, b, sizeof b);
  return out + sizeof b;
}

std::string format_iso(UtcMicros t) {
  std::string s;
  append_iso(s, t);
  return s;
}

bool is_known_time_zone(std::string_view tz) {
  try {
    return date::locate_zone(std::string(tz)) != nullptr;
  } catch (const std::exception&) {
    return false;
  }
}

std::string format_local(UtcMicros t, std::string_view tz, bool with_micros) {
  using namespace std::chrono;
  try {
    const date::time_zone* zone = date::locate_zone(std::string(tz));
    date::sys_time<microseconds> st{microseconds{t}};
    auto info = zone->get_info(floor<seconds>(st));
    auto local = st + info.offset;
    std::int64_t lt = local.time_since_epoch().count();
    std::string iso = format_iso(lt);  // "YYYY-MM-DDTHH:MM:SS.ffffffZ"
    std::string out = iso.substr(0, 10) + " " + iso.substr(11, with_micros ? 15 : 8);
    out += " " + info.abbrev;
    return out;
  } catch (const std::exception&) {
    std::string iso = format_iso(t);
    return iso.substr(0, 10) + " " + iso.substr(11, with_micros ? 15 : 8) + " UTC";
  }
}

namespace {
struct Scanner {
  std::string_view s;
  std::size_t i = 0;
  bool done() const { return i >= s.size(); }
  char peek() const { return done() ? '\0' : s[i]; }
  bool digits(int n, int& out) {
    out = 0;
    for (int k = 0; k < n; ++k) {
      if (done() || !std::isdigit(static_cast<unsigned char>(s[i]))) return false;
      out = out * 10 + (s[i++] - '0');
    }
    return true;
  }
  bool accept(char c) {
    if (peek() == c) {
      ++i;
      return true;
    }
    return false;
  }
};
}  // namespace

Result<UtcMicros> parse_user_time(std::string_view text, std::string_view tz) {
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.front())))
    text.remove_prefix(1);
  while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back())))
    text.remove_suffix(1);
  auto bad = [&](const char* why) {
    return Result<UtcMicros>::fail(
        "invalid time \"" + std::string(text) + "\": " + why +
        " (expected e.g. 2024-05-01T12:04:05+09:00, 2024-05-01 12:04 JST or 2024-05-01 12:04)");
  };
  Scanner sc{text};
  int y, mo, d, h = 0, mi = 0, s = 0;
  std::int64_t frac_us = 0;
  if (!sc.digits(4, y)) return bad("year");
  char sep = sc.peek();
  if (sep != '-' && sep != '/') return bad("date separator");
  ++sc.i;
  if (!sc.digits(2, mo)) return bad("month");
  if (!sc.accept(sep)) return bad("date separator");
  if (!sc.digits(2, d)) return bad("day");
  if (sc.accept('T') || sc.accept('t') || sc.accept(' ')) {
    while (sc.accept(' ')) {
    }
  }
  if (!sc.done() && std::isdigit(static_cast<unsigned char>(sc.peek()))) {  // not a zone name
    if (!sc.digits(2, h)) return bad("hour");
    if (!sc.accept(':')) return bad("minutes");
    if (!sc.digits(2, mi)) return bad("minutes");
    if (sc.accept(':')) {
      if (!sc.digits(2, s)) return bad("seconds");
      if (sc.accept('.') || sc.accept(',')) {
        int ndig = 0;
        while (!sc.done() && std::isdigit(static_cast<unsigned char>(sc.peek()))) {
          if (ndig < 6) frac_us = frac_us * 10 + (sc.peek() - '0');
          ++ndig;
          ++sc.i;
        }
        if (ndig == 0) return bad("fraction");
        for (int k = ndig; k < 6; ++k) frac_us *= 10;
      }
    }
  }
  while (sc.accept(' ')) {
  }
  // Zone names people type: "2019-07-19 05:40 JST" (Japan has no DST: always +09:00), "UTC".
  std::string_view rest = text.substr(std::min(sc.i, text.size()));
  std::optional<int> named_offset_minutes;
  if (iequals(rest, "JST"))
    named_offset_minutes = 9 * 60;
  else if (iequals(rest, "UTC") || iequals(rest, "GMT"))
    named_offset_minutes = 0;
  auto local = from_systemtime(y, mo, d, h, mi, s, 0);
  if (!local) return bad("no such date or time");
  UtcMicros wall = *local + frac_us;
  if (named_offset_minutes) return wall - *named_offset_minutes * 60LL * 1000000;
  if (sc.done()) {
    try {
      using namespace std::chrono;
      const date::time_zone* zone = date::locate_zone(std::string(tz));
      date::local_time<microseconds> lt{microseconds{wall}};
      // Ambiguous/nonexistent local times (DST) resolve to the earlier instant.
      auto st = zone->to_sys(lt, date::choose::earliest);
      return st.time_since_epoch().count();
    } catch (const std::exception&) {
      return Result<UtcMicros>::fail("unknown time zone \"" + std::string(tz) + "\"");
    }
  }
  if (sc.accept('Z') || sc.accept('z')) {
    if (!sc.done()) return bad("text after Z");
    return wall;
  }
  int sign = sc.accept('+') ? 1 : (sc.accept('-') ? -1 : 0);
  if (sign == 0) return bad("expected Z or an offset like +09:00");
  int oh, om = 0;
  if (!sc.digits(2, oh)) return bad("offset hours");
  if (sc.accept(':')) {
    if (!sc.digits(2, om)) return bad("offset minutes");
  } else if (!sc.done()) {
    if (!sc.digits(2, om)) return bad("offset minutes");
  }
  if (!sc.done()) return bad("trailing text");
  if (oh > 23 || om > 59) return bad("offset out of range");
  return wall - sign * (oh * 60LL + om) * 60 * 1000000;
}

Result<std::int64_t> parse_duration(std::string_view text) {
  auto bad = [&] {
    return Result<std::int64_t>::fail("invalid duration \"" + std::string(text) +
                                      "\" (expected e.g. 90m, 36h, 3d, 1w)");
  };
  if (text.empty()) return bad();
  std::int64_t total = 0;
  std::size_t i = 0;
  while (i < text.size()) {
    std::int64_t n = 0;
    std::size_t start = i;
    while (i < text.size() && std::isdigit(static_cast<unsigned char>(text[i]))) {
      n = n * 10 + (text[i] - '0');
      if (n > 1000000000) return bad();
      ++i;
    }
    if (i == start || i >= text.size()) return bad();
    std::int64_t unit;
    switch (text[i]) {
      case 's':
        unit = 1;
        break;
      case 'm':
        unit = 60;
        break;
      case 'h':
        unit = 3600;
        break;
      case 'd':
        unit = 86400;
        break;
      case 'w':
        unit = 7 * 86400;
        break;
      default:
        return bad();
    }
    ++i;
    // Bound each term and the sum (~300 years), so no input can overflow int64.
    constexpr std::int64_t kMaxSeconds = 10'000'000'000LL;
    if (n > kMaxSeconds / unit) return bad();
    total += n * unit;
    if (total > kMaxSeconds) return bad();
  }
  return total * 1000000;
}

}  // namespace kk

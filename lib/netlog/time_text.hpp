// Times as network devices write them: ISO 8601 with or without a zone, epoch seconds to
// nanoseconds, "Oct 11 2017 06:34:09 GMT+00:00", ctime, CLF, US "9/16/19 10:00 PM",
// year-less RFC 3164 "Jan  3 13:45:36", "20180130 1445"; zones as offsets, "UTC+2" or a
// few abbreviations. Private to lib/netlog.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/time.hpp"

namespace date {
class time_zone;
}

namespace kk::netlog {

struct CivilTime {
  int year = -1;  // -1: the text had no year (RFC 3164)
  int month = 0, day = 0, hour = 0, minute = 0, second = 0;
  std::int64_t micros = 0;
  std::optional<int> offset_minutes;  // the zone the text gave, if any
  bool epoch = false;                 // an epoch number: already UTC
  UtcMicros epoch_value = 0;
  bool zone_ambiguous = false;  // an abbreviation such as IST, read in --tz
};

enum class DateOrder : std::uint8_t { kMonthFirst, kDayFirst };

// Parses TEXT as one of the forms above; nullopt when it is not a time. With
// allow_epoch, a bare number of 9 to 19 digits is an epoch (s, ms, µs or ns by length).
std::optional<CivilTime> parse_time_text(std::string_view text, bool allow_epoch,
                                         DateOrder order = DateOrder::kMonthFirst);

// Symantec Endpoint Protection's local log time: 12 hex digits, one byte each for years
// since 1970, month (0-based), day, hour, minute, second ("2A0A1E0A2F1D" = 2012-11-30
// 10:47:29), in the PC's local time.
std::optional<CivilTime> parse_packed_hex_time(std::string_view text);

// RFC 3164's own "Mmm dd hh:mm:ss" (15 bytes, the day space-padded or two digits), read by
// position: the syslog header of nearly every line has it, and parse_time_text's general
// cursor (weekday, year and zone probes) spent ~650 instructions a line on it. Gives what
// parse_time_text gives for TEXT, or nullopt when TEXT is not exactly of that shape with a
// month name and values in range (then parse_time_text decides).
std::optional<CivilTime> parse_rfc3164_time(std::string_view text);

// Offset in minutes of a zone written as "-0700", "+09:00", "UTC+2", "GMT-5", "Z", "UTC"
// or a common abbreviation (JST, CET, CEST, EST, PDT, …); nullopt when unknown.
std::optional<int> parse_zone_text(std::string_view text, bool* ambiguous = nullptr);

// Converts civil times without a zone from one tz database zone to UTC, remembering the
// offset of each hour it has seen (a log file stays in a few hours at a time).
class LocalZone {
 public:
  explicit LocalZone(std::string_view tz);
  bool valid() const { return zone_ != nullptr || utc_; }
  UtcMicros to_utc(std::int64_t local_micros);

 private:
  const date::time_zone* zone_ = nullptr;
  bool utc_ = false;
  struct Slot {
    std::int64_t hour = INT64_MIN;
    std::int64_t offset_s = 0;
  };
  Slot cache_[64];
};

// Resolves a CivilTime to UTC: epoch as is, a given offset, else ZONE. YEAR fills in a
// year-less time. nullopt when the fields are out of range or the year is unknown.
std::optional<UtcMicros> resolve_time(const CivilTime& t, LocalZone& zone,
                                      std::optional<int> year = std::nullopt);

// Local wall-clock micros of a civil time (as if it were UTC).
std::int64_t civil_micros(int y, int mo, int d, int h, int mi, int s, std::int64_t us);

}  // namespace kk::netlog

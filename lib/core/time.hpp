// Time in kakekomi: int64 microseconds since 1970-01-01T00:00:00Z ("UtcMicros").
//
// Machine output is always UTC ISO 8601 with microseconds and "Z"; local time
// (default Asia/Tokyo) appears only in human output.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/result.hpp"

namespace kk {

using UtcMicros = std::int64_t;

inline constexpr const char* kDefaultTz = "Asia/Tokyo";

// Windows FILETIME (100 ns ticks since 1601-01-01 UTC). 0 means "not set": nullopt.
std::optional<UtcMicros> from_filetime(std::uint64_t filetime);
inline constexpr std::uint64_t kFiletimeUnixEpoch = 116444736000000000ULL;

// Seconds since the Unix epoch.
inline UtcMicros from_unix_seconds(std::int64_t s) { return s * 1000000; }

// MS-DOS date and time words (2-second resolution, no time zone). Invalid
// fields give nullopt. The result is the wall-clock value read as if UTC.
std::optional<UtcMicros> from_dos_datetime(std::uint16_t date, std::uint16_t time);

// SYSTEMTIME fields (wDayOfWeek is ignored). Invalid fields give nullopt.
std::optional<UtcMicros> from_systemtime(int year, int month, int day, int hour, int minute,
                                         int second, int millis);

// Civil date helpers (proleptic Gregorian).
std::int64_t days_from_civil(std::int64_t y, unsigned m, unsigned d);

// "2024-05-01T03:04:05.123456Z". Years outside 0..9999 are written with a sign.
std::string format_iso(UtcMicros t);
void append_iso(std::string& out, UtcMicros t);
// The same at OUT, which has kIsoMax bytes of room; returns the end.
constexpr std::size_t kIsoMax = 48;
char* write_iso(char* out, UtcMicros t);

// Local rendering for humans: "2024-05-01 12:04:05 JST" style (tz abbreviation
// from the tz database). Falls back to UTC if the zone is unknown.
std::string format_local(UtcMicros t, std::string_view tz = kDefaultTz, bool with_micros = false);

// Parses an analyst-supplied time: ISO 8601 with "Z" or an offset ("+09:00",
// "+0900") or the zone names "JST" (+09:00), "UTC"/"GMT" (+00:00), "T" or space
// separator, optional seconds and fraction, "/" date separators; a date alone means
// 00:00 that day. Without an offset the time is read in zone TZ (tz database name).
Result<UtcMicros> parse_user_time(std::string_view text, std::string_view tz = kDefaultTz);

// "90m", "36h", "3d", "1w", "30s", combinations such as "1d12h"; returns microseconds.
Result<std::int64_t> parse_duration(std::string_view text);

// True when TZ names a zone in the system tz database.
bool is_known_time_zone(std::string_view tz);

}  // namespace kk

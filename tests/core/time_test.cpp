#include <doctest/doctest.h>

#include "core/time.hpp"

using kk::format_iso;

TEST_CASE("FILETIME conversion") {
  CHECK_FALSE(kk::from_filetime(0).has_value());
  CHECK(*kk::from_filetime(kk::kFiletimeUnixEpoch) == 0);
  // 2024-05-01T03:04:05.123456Z; 100 ns below a microsecond is dropped (floor).
  CHECK(format_iso(*kk::from_filetime(133590062451234567ULL)) == "2024-05-01T03:04:05.123456Z");
  CHECK(format_iso(*kk::from_filetime(1)) == "1601-01-01T00:00:00.000000Z");
  auto max = kk::from_filetime(UINT64_MAX);
  REQUIRE(max.has_value());
  CHECK(format_iso(*max) == "+60056-05-28T05:36:10.955161Z");
}

TEST_CASE("ISO formatting before 1970 and on leap days") {
  CHECK(format_iso(-1) == "1969-12-31T23:59:59.999999Z");
  // The extremes a hostile record can carry (UBSan: no overflow on the way).
  CHECK(format_iso(INT64_MIN) == "-290308-12-21T19:59:05.224192Z");
  CHECK(format_iso(INT64_MAX) == "+294247-01-10T04:00:54.775807Z");
  CHECK(format_iso(kk::from_unix_seconds(951782400)) == "2000-02-29T00:00:00.000000Z");
  CHECK(format_iso(kk::from_unix_seconds(1709164800)) == "2024-02-29T00:00:00.000000Z");
}

TEST_CASE("SYSTEMTIME and DOS time validate their fields") {
  CHECK(format_iso(*kk::from_systemtime(2024, 2, 29, 23, 59, 59, 999)) ==
        "2024-02-29T23:59:59.999000Z");
  CHECK_FALSE(kk::from_systemtime(2023, 2, 29, 0, 0, 0, 0).has_value());
  CHECK_FALSE(kk::from_systemtime(2023, 13, 1, 0, 0, 0, 0).has_value());
  // 2009-03-14 10:20:30: date = (29<<9)|(3<<5)|14, time = (10<<11)|(20<<5)|15
  CHECK(
      format_iso(*kk::from_dos_datetime((29 << 9) | (3 << 5) | 14, (10 << 11) | (20 << 5) | 15)) ==
      "2009-03-14T10:20:30.000000Z");
  CHECK_FALSE(kk::from_dos_datetime(0, 0).has_value());  // month 0
}

TEST_CASE("user times: offsets, Z, and the default zone Asia/Tokyo") {
  auto z = kk::parse_user_time("2024-05-01T03:04:05Z");
  REQUIRE(z);
  CHECK(format_iso(*z) == "2024-05-01T03:04:05.000000Z");
  auto off = kk::parse_user_time("2024-05-01 12:04 +09:00");
  REQUIRE(off);
  CHECK(format_iso(*off) == "2024-05-01T03:04:00.000000Z");
  auto compact = kk::parse_user_time("2024-05-01T12:04:05.5+0900");
  REQUIRE(compact);
  CHECK(format_iso(*compact) == "2024-05-01T03:04:05.500000Z");
  auto local = kk::parse_user_time("2024-05-01 00:30");  // JST, no DST: previous UTC day
  REQUIRE(local);
  CHECK(format_iso(*local) == "2024-04-30T15:30:00.000000Z");
  auto slash = kk::parse_user_time("2024/05/01 09:00:00", "UTC");
  REQUIRE(slash);
  CHECK(format_iso(*slash) == "2024-05-01T09:00:00.000000Z");
  auto date_only = kk::parse_user_time("2024-01-01");
  REQUIRE(date_only);
  CHECK(format_iso(*date_only) == "2023-12-31T15:00:00.000000Z");
  // Issue #20: the zone names Japanese users type. JST is +09:00 whatever --tz says.
  for (const char* jst : {"2019-07-19 05:40 JST", "2019-07-19T05:40JST", "2019-07-19 05:40 jst"}) {
    auto r = kk::parse_user_time(jst, "UTC");
    REQUIRE(r);
    CHECK(format_iso(*r) == "2019-07-18T20:40:00.000000Z");
  }
  auto utc = kk::parse_user_time("2019-07-18 20:40:00.5 UTC");
  REQUIRE(utc);
  CHECK(format_iso(*utc) == "2019-07-18T20:40:00.500000Z");
  auto date_jst = kk::parse_user_time("2019-07-19 JST");  // a date alone is 00:00 that day
  REQUIRE(date_jst);
  CHECK(format_iso(*date_jst) == "2019-07-18T15:00:00.000000Z");
  auto neg = kk::parse_user_time("2024-05-01T00:00:00-05:00");
  REQUIRE(neg);
  CHECK(format_iso(*neg) == "2024-05-01T05:00:00.000000Z");
}

TEST_CASE("bad user times give a clear error") {
  for (const char* s : {"", "yesterday", "2024-13-01", "2024-02-30 10:00", "2024-05-01T25:00",
                        "2024-05-01T10:00+9", "2024-05-01T10:00Zjunk", "2024-05-01 10:00 PST",
                        "2024-05-01 10:00 JSTX", "2024-05-01 10:00 JST+09:00"}) {
    auto r = kk::parse_user_time(s);
    CHECK_FALSE(r.ok());
    if (!r.ok()) CHECK(r.error().message.find("invalid time") != std::string::npos);
  }
  CHECK_FALSE(kk::parse_user_time("2024-05-01 10:00", "Mars/Base").ok());
}

TEST_CASE("durations") {
  CHECK(*kk::parse_duration("90m") == 90LL * 60 * 1000000);
  CHECK(*kk::parse_duration("36h") == 36LL * 3600 * 1000000);
  CHECK(*kk::parse_duration("3d") == 3LL * 86400 * 1000000);
  CHECK(*kk::parse_duration("1w") == 7LL * 86400 * 1000000);
  CHECK(*kk::parse_duration("1d12h") == 36LL * 3600 * 1000000);
  for (const char* s : {"", "3", "d", "3x", "-3d", "99999999999d", "2w82w99999999w82w28w2w2w28J2",
                        "9999999w9999999w"})
    CHECK_FALSE(kk::parse_duration(s).ok());
}

TEST_CASE("local rendering for humans") {
  CHECK(kk::format_local(0) == "1970-01-01 09:00:00 JST");
  CHECK(kk::format_local(0, "UTC") == "1970-01-01 00:00:00 UTC");
}

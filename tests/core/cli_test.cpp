// kk::Tool's shared option readers: one spelling of every time and duration option.
#include <doctest/doctest.h>

#include "core/cli.hpp"

TEST_CASE("Tool::time_option and duration_option: empty keeps, bad refuses, --tz applies") {
  kk::Tool t("test-tool", "test");
  t.options().tz = "Asia/Tokyo";
  std::optional<kk::UtcMicros> at;
  CHECK(t.time_option("--since", "", at));
  CHECK_FALSE(at);
  CHECK(t.time_option("--since", "2024-05-01 09:00:00", at));  // no offset: in --tz
  REQUIRE(at);
  CHECK(kk::format_iso(*at) == "2024-05-01T00:00:00.000000Z");
  CHECK(t.time_option("--since", "2024-05-01T09:00:00Z", at));
  CHECK(kk::format_iso(*at) == "2024-05-01T09:00:00.000000Z");
  CHECK_FALSE(t.time_option("--since", "yesterday", at));
  CHECK(kk::format_iso(*at) == "2024-05-01T09:00:00.000000Z");  // untouched on error
  std::int64_t d = 7;
  CHECK(t.duration_option("--before", "", d));
  CHECK(d == 7);
  CHECK(t.duration_option("--before", "3d", d));
  CHECK(d == 3LL * 86400 * 1000000);
  CHECK_FALSE(t.duration_option("--before", "3 fortnights", d));
  CHECK(d == 3LL * 86400 * 1000000);
}

// CASE.json at init: every bad field in one message.
#include <doctest/doctest.h>

#include "../test_util.hpp"
#include "cases/intake.hpp"

using namespace kk::cases;

TEST_CASE("intake: the sample CASE.json is accepted for its own case id") {
  std::string text = kk_test::read_file(std::string(KK_SOURCE_DIR) + "/samples/CASE.json");
  auto now = kk::parse_user_time("2019-09-25 12:00", "Asia/Tokyo");
  IntakeCheck c = check_intake(text, "KK-SAMPLE-0001", *now, "Asia/Tokyo");
  CHECK(c.errors.empty());
  CHECK(c.value.get("customer.company") == "サンプル商事株式会社");
}

TEST_CASE("intake: missing customer and case id, future times, completion before detection") {
  std::string text = R"({
    "analyst": "A", "completion_date": "2019-07-01",
    "customer": {"company": ""},
    "incident": {"discovered_at": "2030-01-01 09:00"},
    "detection": {"detected_at": "2019-07-19 05:40 +09:00"}
  })";
  auto now = kk::parse_user_time("2019-09-25 12:00", "Asia/Tokyo");
  IntakeCheck c = check_intake(text, "KK-1", *now, "Asia/Tokyo");
  std::string all;
  for (const auto& e : c.errors) all += e + "\n";
  CHECK(all.find("case_id") != std::string::npos);
  CHECK(all.find("customer.company") != std::string::npos);
  CHECK(all.find("incident.discovered_at: 2030-01-01T00:00:00.000000Z is in the future") !=
        std::string::npos);
  CHECK(all.find("completion_date") != std::string::npos);
  CHECK(c.errors.size() == 4);
}

TEST_CASE("intake: the case id must be the case folder's name") {
  std::string text = kk_test::read_file(std::string(KK_SOURCE_DIR) + "/samples/CASE.json");
  auto now = kk::parse_user_time("2019-09-25 12:00", "Asia/Tokyo");
  IntakeCheck c = check_intake(text, "OTHER", *now, "Asia/Tokyo");
  REQUIRE(c.errors.size() == 1);
  CHECK(c.errors[0].find("is not the case folder's name \"OTHER\"") != std::string::npos);
}

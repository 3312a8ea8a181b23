#include <doctest/doctest.h>

#include <algorithm>

#include "notice/case_file.hpp"
#include "notice_fixture.hpp"

using namespace kk::notice;

namespace {
bool has_problem(const CaseParse& cp, const std::string& path, bool error) {
  return std::any_of(cp.problems.begin(), cp.problems.end(),
                     [&](const CaseProblem& p) { return p.path == path && p.error == error; });
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  auto at = s.find(from);
  REQUIRE(at != std::string::npos);
  return s.replace(at, from.size(), to);
}
}  // namespace

TEST_CASE("retention: completion + 1 month, clamped at month ends") {
  CHECK(add_one_month({2024, 5, 31}) == CivilDate{2024, 6, 30});
  CHECK(add_one_month({2024, 1, 31}) == CivilDate{2024, 2, 29});  // leap year
  CHECK(add_one_month({2023, 1, 31}) == CivilDate{2023, 2, 28});
  CHECK(add_one_month({2100, 1, 29}) == CivilDate{2100, 2, 28});  // 2100 is not a leap year
  CHECK(add_one_month({2000, 1, 30}) == CivilDate{2000, 2, 29});  // 2000 is
  CHECK(add_one_month({2024, 12, 15}) == CivilDate{2025, 1, 15});
  CHECK(add_one_month({2024, 3, 31}) == CivilDate{2024, 4, 30});
  CHECK(add_one_month({2024, 8, 31}) == CivilDate{2024, 9, 30});
  CHECK(add_one_month({2024, 2, 29}) == CivilDate{2024, 3, 29});
}

TEST_CASE("civil dates: only real YYYY-MM-DD dates") {
  CHECK(parse_civil_date("2024-02-29").has_value());
  CHECK(parse_civil_date("2024/05/31").has_value());
  CHECK_FALSE(parse_civil_date("2023-02-29"));
  CHECK_FALSE(parse_civil_date("2024-04-31"));
  CHECK_FALSE(parse_civil_date("2024-13-01"));
  CHECK_FALSE(parse_civil_date("2024-5-1"));
  CHECK_FALSE(parse_civil_date("2024-05/01"));
}

TEST_CASE("the fixture case reads without problems and with its times in JST") {
  auto cp =
      parse_case(kk_test::read_file(kk_test::notice_data("case.json")), "Asia/Tokyo", Lang::kJa);
  for (const auto& p : cp.problems) MESSAGE(p.path << ": " << p.message);
  REQUIRE(cp.ok());
  CHECK(cp.problems.empty());
  CHECK(kk::format_iso(cp.value.detected_at) == "2024-05-01T03:34:56.000000Z");
  // "2024-05-01 12:40" has no offset: read in --tz (Asia/Tokyo).
  CHECK(kk::format_iso(cp.value.times.at("incident.discovered_at")) ==
        "2024-05-01T03:40:00.000000Z");
  CHECK(cp.value.completion == CivilDate{2024, 5, 31});
  CHECK(cp.value.deletion_date() == CivilDate{2024, 6, 30});
  CHECK(cp.value.get("customer.company") == "株式会社サンプル商事");
  CHECK(cp.value.flag("available_logs.proxy") == std::optional<bool>(true));
  CHECK(cp.value.flag("available_logs.firewall") == std::optional<bool>(false));
  CHECK_FALSE(cp.value.flag("available_logs.ids_ips").has_value());
  REQUIRE(cp.value.list("detection.suspect_files").size() == 1);
  CHECK(cp.value.list("detection.suspect_files")[0] ==
        "C:\\Users\\tanaka\\Downloads\\invoice_0501.exe");
}

TEST_CASE(
    "the template round trip: it reads back, lists every item, and needs exactly the required "
    "answers") {
  for (Lang lang : {Lang::kJa, Lang::kEn}) {
    std::string tmpl = case_template(lang);
    // Every intake item appears in the template.
    for (const auto& f : case_fields()) {
      std::string path(f.path);
      std::string key = path.substr(path.find('.') == std::string::npos ? 0 : path.find('.') + 1);
      CHECK_MESSAGE(tmpl.find("\"" + key + "\":") != std::string::npos, path);
      CHECK_MESSAGE(tmpl.find("\"_comment_" + key + "\":") != std::string::npos, path);
    }
    // Read back empty: valid JSON, only "required" errors, one per required item.
    auto empty = parse_case(tmpl, "Asia/Tokyo", lang);
    std::size_t required = 0;
    for (const auto& f : case_fields()) {
      if (!f.required) continue;
      ++required;
      CHECK_MESSAGE(has_problem(empty, std::string(f.path), true), f.path);
    }
    CHECK(std::count_if(empty.problems.begin(), empty.problems.end(),
                        [](auto& p) { return p.error; }) == static_cast<long>(required));
    // Filled in: no error.
    std::string filled = tmpl;
    filled = replace(filled, "\"case_id\": \"\"", "\"case_id\": \"KK-1\"");
    filled = replace(filled, "\"analyst\": \"\"", "\"analyst\": \"A\"");
    filled = replace(filled, "\"completion_date\": \"\"", "\"completion_date\": \"2024-01-31\"");
    filled = replace(filled, "\"company\": \"\"", "\"company\": \"C\"");
    filled = replace(filled, "\"detected_at\": \"\"", "\"detected_at\": \"2024-01-20 10:00\"");
    filled = replace(filled, "\"suspect_files\": []", "\"suspect_files\": [\"C:\\\\x.exe\"]");
    filled = replace(filled, "\"proxy\": null", "\"proxy\": true");
    auto ok = parse_case(filled, "Asia/Tokyo", lang);
    for (const auto& p : ok.problems) MESSAGE(p.path << ": " << p.message);
    CHECK(ok.ok());
    CHECK(ok.problems.empty());
    CHECK(ok.value.deletion_date() == CivilDate{2024, 2, 29});
    CHECK(kk::format_iso(ok.value.detected_at) == "2024-01-20T01:00:00.000000Z");
  }
}

TEST_CASE("validation: each kind of mistake is named with its item") {
  std::string good = kk_test::read_file(kk_test::notice_data("case.json"));
  SUBCASE("not JSON") {
    auto cp = parse_case("{\"case_id\": ", "Asia/Tokyo", Lang::kEn);
    CHECK_FALSE(cp.ok());
    REQUIRE(cp.problems.size() == 1);
    CHECK(cp.problems[0].message.find("not valid JSON") != std::string::npos);
  }
  SUBCASE("not an object") {
    CHECK_FALSE(parse_case("[1,2]", "Asia/Tokyo", Lang::kEn).ok());
  }
  SUBCASE("bad detection time") {
    auto cp = parse_case(replace(good, "2024-05-01 12:34:56 +09:00", "yesterday"), "Asia/Tokyo",
                         Lang::kEn);
    CHECK_FALSE(cp.ok());
    CHECK(has_problem(cp, "detection.detected_at", true));
    CHECK_FALSE(has_problem(cp, "case_id", true));
  }
  SUBCASE("impossible completion date") {
    auto cp = parse_case(replace(good, "2024-05-31", "2024-02-30"), "Asia/Tokyo", Lang::kJa);
    CHECK(has_problem(cp, "completion_date", true));
    CHECK(cp.problems[0].message.find("YYYY-MM-DD") != std::string::npos);
  }
  SUBCASE("completion before detection") {
    auto cp = parse_case(replace(good, "2024-05-31", "2024-04-01"), "Asia/Tokyo", Lang::kEn);
    CHECK(has_problem(cp, "completion_date", true));
  }
  SUBCASE("choice outside the list") {
    auto cp = parse_case(replace(good, "\"priority\": \"high\"", "\"priority\": \"urgent\""),
                         "Asia/Tokyo", Lang::kEn);
    CHECK(has_problem(cp, "incident.priority", true));
    CHECK(cp.problems[0].message.find("high, medium, low") != std::string::npos);
  }
  SUBCASE("wrong type") {
    auto cp =
        parse_case(replace(good, "\"proxy\": true", "\"proxy\": \"yes\""), "Asia/Tokyo", Lang::kEn);
    CHECK(has_problem(cp, "available_logs.proxy", true));
  }
  SUBCASE("missing required company") {
    auto cp =
        parse_case(replace(good, "\"company\": \"株式会社サンプル商事\"", "\"company\": \"  \""),
                   "Asia/Tokyo", Lang::kJa);
    CHECK(has_problem(cp, "customer.company", true));
    CHECK(cp.problems[0].message.find("必須") != std::string::npos);
  }
  SUBCASE("bad e-mail") {
    auto cp = parse_case(replace(good, "hanako.sato@sample-shoji.example.jp", "hanako"),
                         "Asia/Tokyo", Lang::kEn);
    CHECK(has_problem(cp, "customer.email", true));
  }
  SUBCASE("a typo is a warning, not silence") {
    auto cp = parse_case(replace(good, "\"analyst\":", "\"analyst\": \"x\", \"anlyst\":"),
                         "Asia/Tokyo", Lang::kEn);
    CHECK(cp.ok());
    CHECK(has_problem(cp, "anlyst", false));
  }
  SUBCASE("no suspect file is a warning") {
    auto cp = parse_case(
        replace(good, "[\"C:\\\\Users\\\\tanaka\\\\Downloads\\\\invoice_0501.exe\"]", "[]"),
        "Asia/Tokyo", Lang::kEn);
    CHECK(cp.ok());
    CHECK(has_problem(cp, "detection.suspect_files", false));
  }
}

TEST_CASE("JSONC comments are stripped outside strings only") {
  CHECK(strip_json_comments("{\"a\": \"x//y\" // c\n}") == "{\"a\": \"x//y\" \n}");
  CHECK(strip_json_comments("{/* a\nb */\"a\": \"/*\\\"*/\"}") == "{\n\"a\": \"/*\\\"*/\"}");
  CHECK(strip_json_comments("{\"a\":1 /* unterminated") == "{\"a\":1 ");
}

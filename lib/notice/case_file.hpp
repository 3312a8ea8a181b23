// CASE.json: the intake (ヒアリング) answers, the AV detection time that anchors the
// investigation window, the suspect files, and the document control data.
//
// The file is JSON. Keys that start with "_" are comments and are ignored, and so are
// "//" line comments and "/* */" block comments (JSONC), so the commented template that
// `render-notice --case-template` prints can be filled in and read back as it is.
#pragma once

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"
#include "notice/catalog.hpp"

namespace kk::notice {

enum class FieldType {
  kText,      // free text
  kChoice,    // one of FieldSpec::choices
  kDate,      // a calendar date, "2024-05-10"
  kTime,      // a date and time; without an offset read in --tz
  kFlag,      // true / false / null (unknown)
  kTextList,  // array of strings
};

// One intake item. PATH is "group.key" (or "key" for top-level items); the catalog holds
// its label ("case.<path>") and its template comment ("case.<path>.help").
struct FieldSpec {
  std::string_view path;
  FieldType type;
  bool required;
  std::span<const std::string_view> choices;
};

// Every intake item in template order.
std::span<const FieldSpec> case_fields();
// The groups in template order ("" = top level).
std::span<const std::string_view> case_groups();

struct CivilDate {
  int year = 0;
  unsigned month = 0, day = 0;
  bool operator==(const CivilDate&) const = default;
};

// The same calendar day one month later; the 29th-31st of a month whose successor is
// shorter become that month's last day (2024-01-31 -> 2024-02-29).
CivilDate add_one_month(CivilDate d);
std::optional<CivilDate> parse_civil_date(std::string_view text);
std::string format_civil_date(CivilDate d);  // "2024-05-10"

struct CaseFile {
  // Raw answers by path: text and choice values, dates and times as written.
  std::map<std::string, std::string, std::less<>> text;
  std::map<std::string, std::optional<bool>, std::less<>> flags;
  std::map<std::string, std::vector<std::string>, std::less<>> lists;

  // Parsed values of the typed items.
  UtcMicros detected_at = 0;
  CivilDate completion;
  std::map<std::string, UtcMicros, std::less<>> times;  // every kTime item that was given

  std::string_view get(std::string_view path) const;
  std::optional<bool> flag(std::string_view path) const;
  const std::vector<std::string>& list(std::string_view path) const;
  // The date the data will be deleted: completion date + one month.
  CivilDate deletion_date() const { return add_one_month(completion); }
};

struct CaseProblem {
  std::string path;  // the item ("customer.company"), or "" for the whole file
  std::string message;
  bool error = true;  // false: a warning that still allows rendering
};

struct CaseParse {
  CaseFile value;
  std::vector<CaseProblem> problems;
  bool ok() const;
};

// Reads CASE.json TEXT. Times without an offset are read in zone TZ. Messages use LANG.
CaseParse parse_case(std::string_view text, std::string_view tz, Lang lang);
// The most of a case file read (kk::read_small_file): a filled-in case.json is a few KiB.
inline constexpr std::size_t kMaxCaseFile = 16u << 20;

// The commented, empty template in LANG.
std::string case_template(Lang lang);

// Removes "//" and "/* */" comments outside strings (keeps line breaks for positions).
std::string strip_json_comments(std::string_view text);

}  // namespace kk::notice

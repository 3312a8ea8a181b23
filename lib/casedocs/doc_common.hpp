// Private to lib/casedocs: what the case documents share — the catalog's date and time
// formats, the cover table, and writing one document as JSON, HTML and Markdown.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "casedocs/casedocs.hpp"
#include "core/json_writer.hpp"
#include "notice/document.hpp"

namespace kk::casedocs {

struct DocText {
  notice::Catalog cat;
  const DocOptions& opt;

  explicit DocText(const DocOptions& o) : cat(o.lang), opt(o) {}
  std::string raw(std::string_view key) const { return std::string(cat.raw(key)); }
  // "2024年5月10日"; "" for an unset date (year 0).
  std::string date(notice::CivilDate d) const;
  // "2024-05-01 12:04 JST (2024-05-01 03:04 UTC)"
  std::string both(UtcMicros t) const;
  std::string local(UtcMicros t) const;
  // "2024-05-01 12:04 JST" (tables of documents where the minute is enough)
  std::string local_minute(UtcMicros t) const;
  // The calendar day of T in the document's time zone.
  notice::CivilDate local_date(UtcMicros t) const;
  // "会社名 部署 氏名 様" / "会社名 御中"
  std::string addressee(const std::string& company, const std::string& dept,
                        const std::string& person) const;
  // "2 台（PC01、PC02）"
  std::string hosts(const std::vector<std::string>& hosts) const;
  // "1,234"
  static std::string count(std::uint64_t n);
  // "12.3 MiB (12,902,400 バイト)" / "512 バイト"
  std::string size(std::uint64_t bytes) const;
  // "12.3 MiB" (for tables)
  std::string size_short(std::uint64_t bytes) const;
};

notice::Table kv_table();
// A SHA-256 on two lines of 32 digits, so a table keeps its other columns readable.
notice::Rich hash_cell(const std::string& hex);
void kv(notice::Table& t, std::string label, notice::Rich value);

// The list of facts kept in anonymized form under LEAD (or the sentence saying none are).
void append_kept(const DocText& t, notice::Section& s, const std::vector<std::string>& kept,
                 std::string lead);
bool known_kept_fact(std::string_view id);

// KEY: T, or null when T is 0 (the documents' models keep an unset time as 0).
void time_or_null_if_unset(JsonWriter& w, std::string_view key, UtcMicros t);

// The text of FORMAT from JSON and DOC.
std::string render_as(Format f, const std::string& json, const notice::Document& doc);

// Writes NAME_JSON, NAME_HTML, NAME_MD into DIR (replacing earlier ones), all or nothing
// as far as the filesystem allows: each is an AtomicFile committed after all three are
// complete. Returns the names written.
Result<std::vector<std::string>> write_three(const CaseDir& dir, std::string_view name_json,
                                             std::string_view name_html, std::string_view name_md,
                                             const std::string& json, const notice::Document& doc);

// "YYYY-MM-DD" or null.
std::string civil_or_empty(notice::CivilDate d);

}  // namespace kk::casedocs

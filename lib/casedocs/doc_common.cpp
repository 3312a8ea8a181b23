// The pieces every case document uses (see doc_common.hpp).
#include "casedocs/doc_common.hpp"

#include <array>
#include <cerrno>
#include <cstdio>
#include <cstring>

#include "core/atomic_file.hpp"

namespace kk::casedocs {

std::string DocText::date(notice::CivilDate d) const {
  if (d.year == 0) return {};
  return cat("date.long", {{"y", std::to_string(d.year)},
                           {"m", std::to_string(d.month)},
                           {"d", std::to_string(d.day)},
                           {"month", cat.raw("month." + std::to_string(d.month))}});
}

std::string DocText::local(UtcMicros t) const {
  return format_local(t, opt.tz);
}

std::string DocText::local_minute(UtcMicros t) const {
  std::string s = local(t);  // "2024-05-01 12:04:05 JST"
  if (s.size() > 19 && s[16] == ':') s.erase(16, 3);
  return s;
}

notice::CivilDate DocText::local_date(UtcMicros t) const {
  return notice::parse_civil_date(local(t).substr(0, 10)).value_or(notice::CivilDate{});
}

std::string DocText::both(UtcMicros t) const {
  std::string iso = format_iso(t);
  return local(t) + " (" + iso.substr(0, 10) + " " + iso.substr(11, 8) + " UTC)";
}

std::string DocText::count(std::uint64_t n) {
  std::string digits = std::to_string(n), out;
  for (std::size_t i = 0; i < digits.size(); ++i) {
    if (i > 0 && (digits.size() - i) % 3 == 0) out += ',';
    out += digits[i];
  }
  return out;
}

std::string DocText::size_short(std::uint64_t bytes) const {
  if (bytes < 1024) return cat("size.bytes", {{"n", count(bytes)}});
  constexpr std::array<const char*, 4> kUnits{"KiB", "MiB", "GiB", "TiB"};
  double v = static_cast<double>(bytes) / 1024.0;
  std::size_t u = 0;
  while (v >= 1024.0 && u + 1 < kUnits.size()) {
    v /= 1024.0;
    ++u;
  }
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f %s", v, kUnits[u]);
  return buf;
}

std::string DocText::size(std::uint64_t bytes) const {
  if (bytes < 1024) return size_short(bytes);
  return size_short(bytes) + " (" + cat("size.bytes", {{"n", count(bytes)}}) + ")";
}

std::string DocText::addressee(const std::string& company, const std::string& dept,
                               const std::string& person) const {
  std::string to = company;
  if (!dept.empty()) to += " " + dept;
  if (!person.empty()) return to + " " + cat("cover.addressee", {{"name", person}});
  return to + raw("doc.to_company");
}

std::string DocText::hosts(const std::vector<std::string>& hosts) const {
  std::string list;
  for (const auto& h : hosts) list += (list.empty() ? "" : raw("list.separator")) + h;
  return cat("doc.hosts", {{"n", std::to_string(hosts.size())}, {"hosts", list}});
}

void append_kept(const DocText& t, notice::Section& s, const std::vector<std::string>& kept,
                 std::string lead) {
  if (kept.empty()) {
    s.blocks.push_back(notice::Paragraph{notice::plain(t.raw("kept.none")), ""});
    return;
  }
  // One sentence (the kinds joined), not a list: the letter stays on its pages.
  std::string kinds;
  for (const auto& k : kept)
    kinds += (kinds.empty() ? "" : t.raw("list.separator")) +
             (known_kept_fact(k) ? t.raw("kept." + k) : k);
  s.blocks.push_back(
      notice::Paragraph{notice::plain(lead + t.cat("kept.kinds", {{"kinds", kinds}})), ""});
  s.blocks.push_back(notice::Paragraph{notice::plain(t.raw("kept.never")), "note"});
}

notice::Rich hash_cell(const std::string& hex) {
  if (hex.size() != 64) return notice::code(hex);
  notice::Rich r = notice::code(hex.substr(0, 32));
  notice::Span second{hex.substr(32)};
  second.code = true;
  second.line_break = true;
  r.push_back(std::move(second));
  return r;
}

notice::Table kv_table() {
  notice::Table t;
  t.style = "kv";
  return t;
}

void kv(notice::Table& t, std::string label, notice::Rich value) {
  t.rows.push_back({notice::plain(std::move(label)), std::move(value)});
}

std::string civil_or_empty(notice::CivilDate d) {
  return d.year == 0 ? std::string() : notice::format_civil_date(d);
}

std::string render_as(Format f, const std::string& json, const notice::Document& doc) {
  switch (f) {
    case Format::kJson:
      return json;
    case Format::kHtml:
      return notice::render_html(doc);
    case Format::kMarkdown:
      return notice::render_markdown(doc);
  }
  return json;
}

Result<std::vector<std::string>> write_three(const CaseDir& dir, std::string_view name_json,
                                             std::string_view name_html, std::string_view name_md,
                                             const std::string& json, const notice::Document& doc) {
  const std::array<std::pair<std::string_view, std::string>, 3> files{
      std::pair{name_json, json}, std::pair{name_html, notice::render_html(doc)},
      std::pair{name_md, notice::render_markdown(doc)}};
  std::vector<AtomicFile> open;
  for (const auto& [name, content] : files) {
    auto f = dir.create_file(name, AtomicFile::Replace::kExisting);
    if (!f) return Error{f.error().message};
    if (!write_all(f->fd(), content))
      return Error{dir.path_of(name) + ": cannot write: " + std::string(std::strerror(errno))};
    open.push_back(std::move(*f));
  }
  std::vector<std::string> names;
  for (std::size_t i = 0; i < open.size(); ++i) {
    auto c = open[i].commit();
    if (!c) return Error{dir.path_of(files[i].first) + ": " + c.error().message};
    names.emplace_back(files[i].first);
  }
  return names;
}

void time_or_null_if_unset(JsonWriter& w, std::string_view key, UtcMicros t) {
  w.time_or_null(key, t ? std::optional<UtcMicros>(t) : std::nullopt);
}

}  // namespace kk::casedocs

// Reading and validating CASE.json: every problem is reported with the item's path, and
// a case with any error is never rendered.
#include "notice/case_file.hpp"

#include <simdjson.h>

#include <algorithm>
#include <set>

namespace kk::notice {

namespace {
bool is_leap(int y) {
  return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
}
unsigned days_in_month(int y, unsigned m) {
  static constexpr unsigned kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && is_leap(y) ? 29 : kDays[m - 1];
}
}  // namespace

CivilDate add_one_month(CivilDate d) {
  CivilDate r{d.year, d.month + 1, d.day};
  if (r.month > 12) {
    r.month = 1;
    r.year += 1;
  }
  r.day = std::min(d.day, days_in_month(r.year, r.month));
  return r;
}

std::optional<CivilDate> parse_civil_date(std::string_view t) {
  // YYYY-MM-DD or YYYY/MM/DD, nothing else.
  if (t.size() != 10 || (t[4] != '-' && t[4] != '/') || t[7] != t[4]) return std::nullopt;
  auto num = [&](std::size_t pos, std::size_t len, int& out) {
    out = 0;
    for (std::size_t i = pos; i < pos + len; ++i) {
      if (t[i] < '0' || t[i] > '9') return false;
      out = out * 10 + (t[i] - '0');
    }
    return true;
  };
  int y, m, d;
  if (!num(0, 4, y) || !num(5, 2, m) || !num(8, 2, d)) return std::nullopt;
  if (y < 1970 || m < 1 || m > 12 || d < 1) return std::nullopt;
  if (static_cast<unsigned>(d) > days_in_month(y, static_cast<unsigned>(m))) return std::nullopt;
  return CivilDate{y, static_cast<unsigned>(m), static_cast<unsigned>(d)};
}

std::string format_civil_date(CivilDate d) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "%04d-%02u-%02u", d.year, d.month, d.day);
  return buf;
}

std::string_view CaseFile::get(std::string_view path) const {
  auto it = text.find(path);
  return it == text.end() ? std::string_view{} : std::string_view(it->second);
}

std::optional<bool> CaseFile::flag(std::string_view path) const {
  auto it = flags.find(path);
  return it == flags.end() ? std::nullopt : it->second;
}

const std::vector<std::string>& CaseFile::list(std::string_view path) const {
  static const std::vector<std::string> kEmpty;
  auto it = lists.find(path);
  return it == lists.end() ? kEmpty : it->second;
}

bool CaseParse::ok() const {
  return std::none_of(problems.begin(), problems.end(),
                      [](const CaseProblem& p) { return p.error; });
}

namespace {

std::string trimmed(std::string_view s) {
  while (!s.empty() &&
         (s.front() == ' ' || s.front() == '\t' || s.front() == '\n' || s.front() == '\r'))
    s.remove_prefix(1);
  while (!s.empty() &&
         (s.back() == ' ' || s.back() == '\t' || s.back() == '\n' || s.back() == '\r'))
    s.remove_suffix(1);
  return std::string(s);
}

struct Reader {
  const Catalog& cat;
  std::string_view tz;
  CaseParse& out;

  void problem(std::string_view path, std::string_view key, Args args, bool error = true) {
    out.problems.push_back({std::string(path), cat(key, args), error});
  }
  std::string label(const FieldSpec& f) const {
    return std::string(cat.raw("case." + std::string(f.path)));
  }

  void read_item(const FieldSpec& f, simdjson::dom::element v) {
    std::string path(f.path);
    const std::string lbl = label(f);
    if (v.is_null()) return;  // unanswered
    switch (f.type) {
      case FieldType::kFlag: {
        bool b;
        if (v.get(b) != simdjson::SUCCESS) {
          problem(path, "case.err.type",
                  {{"path", path}, {"label", lbl}, {"expected", cat.raw("case.type.flag")}});
          return;
        }
        out.value.flags[path] = b;
        return;
      }
      case FieldType::kTextList: {
        simdjson::dom::array arr;
        std::string_view one;
        std::vector<std::string> items;
        if (v.get(one) == simdjson::SUCCESS) {  // a single file given as a string
          if (!trimmed(one).empty()) items.push_back(trimmed(one));
        } else if (v.get(arr) == simdjson::SUCCESS) {
          for (auto e : arr) {
            std::string_view s;
            if (e.get(s) != simdjson::SUCCESS) {
              problem(path, "case.err.type",
                      {{"path", path}, {"label", lbl}, {"expected", cat.raw("case.type.list")}});
              return;
            }
            if (!trimmed(s).empty()) items.push_back(trimmed(s));
          }
        } else {
          problem(path, "case.err.type",
                  {{"path", path}, {"label", lbl}, {"expected", cat.raw("case.type.list")}});
          return;
        }
        out.value.lists[path] = std::move(items);
        return;
      }
      default:
        break;
    }
    std::string_view s;
    if (v.get(s) != simdjson::SUCCESS) {
      problem(path, "case.err.type",
              {{"path", path}, {"label", lbl}, {"expected", cat.raw("case.type.text")}});
      return;
    }
    std::string t = trimmed(s);
    if (t.empty()) return;
    if (f.type == FieldType::kChoice &&
        std::find(f.choices.begin(), f.choices.end(), t) == f.choices.end()) {
      std::string choices;
      for (auto c : f.choices) choices += (choices.empty() ? "" : ", ") + std::string(c);
      problem(path, "case.err.choice",
              {{"path", path}, {"label", lbl}, {"value", t}, {"choices", choices}});
      return;
    }
    if (f.type == FieldType::kDate) {
      auto d = parse_civil_date(t);
      if (!d) {
        problem(path, "case.err.date", {{"path", path}, {"label", lbl}, {"value", t}});
        return;
      }
      if (path == "completion_date") out.value.completion = *d;
    }
    if (f.type == FieldType::kTime) {
      auto r = parse_user_time(t, tz);
      if (!r) {
        problem(path, "case.err.time",
                {{"path", path}, {"label", lbl}, {"value", t}, {"reason", r.error().message}});
        return;
      }
      out.value.times[path] = *r;
      if (path == "detection.detected_at") out.value.detected_at = *r;
    }
    if (path == "customer.email" &&
        (t.find('@') == std::string::npos || t.find(' ') != std::string::npos)) {
      problem(path, "case.err.email", {{"path", path}, {"label", lbl}, {"value", t}});
      return;
    }
    out.value.text[path] = t;
  }

  bool answered(const FieldSpec& f) const {
    std::string path(f.path);
    switch (f.type) {
      case FieldType::kFlag:
        return out.value.flags.count(path) != 0;
      case FieldType::kTextList:
        return !out.value.list(path).empty();
      default:
        return out.value.text.count(path) != 0;
    }
  }
};

}  // namespace

CaseParse parse_case(std::string_view text, std::string_view tz, Lang lang) {
  CaseParse out;
  Catalog cat(lang);
  Reader rd{cat, tz, out};
  std::string clean = strip_json_comments(text);
  simdjson::dom::parser parser;
  simdjson::dom::element root;
  auto err = parser.parse(clean).get(root);
  if (err) {
    rd.problem("", "case.err.syntax", {{"reason", simdjson::error_message(err)}});
    return out;
  }
  simdjson::dom::object top;
  if (root.get(top) != simdjson::SUCCESS) {
    rd.problem("", "case.err.root", {});
    return out;
  }
  std::set<std::string, std::less<>> known_groups(case_groups().begin(), case_groups().end());
  // Walk what the file holds: known items are read, unknown keys are warned about
  // (a typo must not silently drop an answer), "_" keys are comments.
  auto visit = [&](simdjson::dom::object obj, std::string_view group) {
    for (auto [key, value] : obj) {
      if (key.empty() || key.front() == '_') continue;
      std::string path =
          group.empty() ? std::string(key) : std::string(group) + "." + std::string(key);
      auto spec = std::find_if(case_fields().begin(), case_fields().end(),
                               [&](const FieldSpec& f) { return f.path == path; });
      if (spec != case_fields().end()) {
        rd.read_item(*spec, value);
      } else if (group.empty() && known_groups.count(key) && !key.empty()) {
        simdjson::dom::object sub;
        if (value.get(sub) == simdjson::SUCCESS) {
          // handled below, in group order
        } else if (!value.is_null()) {
          rd.problem(path, "case.err.group", {{"path", path}});
        }
      } else {
        rd.problem(path, "case.warn.unknown", {{"path", path}}, false);
      }
    }
  };
  visit(top, "");
  for (auto group : case_groups()) {
    if (group.empty()) continue;
    simdjson::dom::object sub;
    if (top[group].get(sub) == simdjson::SUCCESS) visit(sub, group);
  }
  for (const auto& f : case_fields()) {
    if (f.required && !rd.answered(f)) {
      // Only report "missing" when the item is not already reported as malformed.
      std::string path(f.path);
      bool reported = std::any_of(out.problems.begin(), out.problems.end(),
                                  [&](const CaseProblem& p) { return p.path == path; });
      if (!reported)
        rd.problem(path, "case.err.required", {{"path", path}, {"label", rd.label(f)}});
    }
  }
  if (out.ok()) {
    const CaseFile& c = out.value;
    // The notice is completed after the detection it reports on.
    UtcMicros completion_end =
        (days_from_civil(c.completion.year, c.completion.month, c.completion.day) + 1) *
        86400000000LL;
    if (c.detected_at >= completion_end + 86400000000LL)  // a day of slack for time zones
      rd.problem("completion_date", "case.err.completion_before_detection",
                 {{"completion", format_civil_date(c.completion)},
                  {"detected", format_iso(c.detected_at)}});
    auto occ = c.times.find("incident.occurred_at");
    auto dis = c.times.find("incident.discovered_at");
    if (occ != c.times.end() && dis != c.times.end() && occ->second > dis->second)
      rd.problem("incident.occurred_at", "case.warn.occurred_after_discovered", {}, false);
    if (c.list("detection.suspect_files").empty())
      rd.problem("detection.suspect_files", "case.warn.no_suspect", {}, false);
  }
  return out;
}

}  // namespace kk::notice

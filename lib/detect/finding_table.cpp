#include "detect/finding_table.hpp"

#include <simdjson.h>

#include <algorithm>
#include <array>
#include <map>

#include "core/csv.hpp"
#include "core/jsonl_batch.hpp"
#include "core/printable.hpp"
#include "core/terminal_text.hpp"
#include "detect/event.hpp"

namespace kk::detect {

namespace {

constexpr std::array<std::string_view, 6> kLevelNames{"",       "info", "low",
                                                      "medium", "high", "critical"};
// Short forms in the table's level column (as Hayabusa writes them).
constexpr std::array<std::string_view, 6> kLevelShort{"?", "info", "low", "med", "high", "crit"};
constexpr std::array<std::string_view, 6> kLevelColor{"",         "",         "\x1b[32m",
                                                      "\x1b[33m", "\x1b[31m", "\x1b[1;31m"};
constexpr std::string_view kReset = "\x1b[0m";

std::string_view str(simdjson::dom::element e, std::string_view key) {
  std::string_view v;
  return e[key].get(v) == simdjson::SUCCESS ? v : std::string_view{};
}
// The same under a member that may be absent (a finding without "rule" or "time"): "".
std::string_view str(simdjson::simdjson_result<simdjson::dom::element> e, std::string_view key) {
  simdjson::dom::element x;
  return e.get(x) == simdjson::SUCCESS ? str(x, key) : std::string_view{};
}

// Text from evidence on one table line: controls escaped, whitespace runs made one space.
std::string one_line(std::string_view s) {
  std::string p = printable(s), out;
  out.reserve(p.size());
  for (char c : p) {
    if (c == ' ' && !out.empty() && out.back() == ' ') continue;
    out.push_back(c);
  }
  return out;
}

// "2019-07-19 05:40:00": the zone is in the column's header.
std::string local_time(const std::optional<UtcMicros>& t, std::string_view tz) {
  return t ? format_local(*t, tz).substr(0, 19) : std::string("-");
}

std::string colored(std::string_view text, int level, bool color) {
  if (!color || kLevelColor[static_cast<std::size_t>(level)].empty()) return std::string(text);
  return std::string(kLevelColor[static_cast<std::size_t>(level)]) + std::string(text) +
         std::string(kReset);
}

std::string thousands(std::uint64_t n) {
  std::string s = std::to_string(n), out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (i > 0 && (s.size() - i) % 3 == 0) out.push_back(',');
    out.push_back(s[i]);
  }
  return out;
}

}  // namespace

int severity_level(std::string_view s) {
  if (s == "informational") return 1;
  for (std::size_t i = 1; i < kLevelNames.size(); ++i)
    if (s == kLevelNames[i]) return static_cast<int>(i);
  return 0;
}

std::string findings_at_least(std::string_view jsonl, int min_level) {
  if (min_level <= 1) return std::string(jsonl);
  std::string out;
  simdjson::dom::parser parser;
  for_each_jsonl_line(jsonl, [&](std::string_view line) {
    simdjson::dom::element e;
    if (parser.parse(line.data(), line.size()).get(e) != simdjson::SUCCESS) return;
    if (severity_level(str(e, "severity")) < min_level) return;
    out.append(line);
    out.push_back('\n');
  });
  return out;
}

std::vector<FindingRow> finding_rows(std::string_view jsonl) {
  std::vector<FindingRow> rows;
  simdjson::dom::parser parser;
  for_each_jsonl_line(jsonl, [&](std::string_view line) {
    simdjson::dom::element e;
    if (parser.parse(line.data(), line.size()).get(e) != simdjson::SUCCESS) return;
    if (str(e, "artifact") != "finding") return;
    FindingRow r;
    r.id = str(e, "id");
    r.rule_id = str(e["rule"], "id");
    r.rule_name = str(e["rule"], "name");
    r.severity = str(e, "severity");
    r.title = str(e, "title");
    r.source = str(e, "source");
    r.first = parse_iso_utc(str(e["time"], "first"));
    r.last = parse_iso_utc(str(e["time"], "last"));
    std::uint64_t n = 0;
    if (e["count"].get(n) == simdjson::SUCCESS) r.count = n;
    simdjson::dom::array ev;
    simdjson::dom::element e0;
    if (e["evidence"].get(ev) == simdjson::SUCCESS && ev.at(0).get(e0) == simdjson::SUCCESS) {
      r.host = str(e0, "host");
      std::int64_t id = 0;
      if (e0["event_id"].get(id) == simdjson::SUCCESS) r.event_id = id;
      std::string_view summary = str(e0, "summary");
      // The summary starts with the event id, which has its own column.
      if (r.event_id) {
        std::string prefix = std::to_string(*r.event_id) + " ";
        if (summary.starts_with(prefix)) summary.remove_prefix(prefix.size());
      }
      r.details = summary;
    }
    rows.push_back(std::move(r));
  });
  return rows;
}

std::string render_table(const std::vector<FindingRow>& rows, const TableOptions& opt) {
  struct Cells {
    std::string time, level, title, host, eid, count, details;
    int lvl = 0;
  };
  std::vector<Cells> cells;
  cells.reserve(rows.size());
  for (const auto& r : rows) {
    Cells c;
    c.lvl = severity_level(r.severity);
    c.time = local_time(r.first, opt.tz);
    c.level = kLevelShort[static_cast<std::size_t>(c.lvl)];
    c.title = one_line(r.title);
    c.host = r.host.empty() ? "-" : one_line(r.host);
    c.eid = r.event_id ? std::to_string(*r.event_id) : "-";
    c.count = thousands(r.count);
    c.details = r.details.empty() ? "-" : one_line(r.details);
    cells.push_back(std::move(c));
  }
  const Cells head{
      "Time (" + opt.tz + ")", "Level", "Title", "Host", "EventID", "Hits", "Details", 0};
  // Natural widths (capped so that one long value does not push the rest away).
  auto widest = [&](auto member, std::size_t cap) {
    std::size_t w = display_width(head.*member);
    for (const auto& c : cells) w = std::max(w, display_width(c.*member));
    return std::min(w, cap);
  };
  std::size_t wt = widest(&Cells::time, 40), wl = widest(&Cells::level, 5),
              wti = widest(&Cells::title, 70), wh = widest(&Cells::host, 24),
              we = widest(&Cells::eid, 8), wc = widest(&Cells::count, 12),
              wd = widest(&Cells::details, 160);
  constexpr std::size_t kGap = 2, kColumns = 7;
  if (opt.width > 0) {
    // Shrink the wide text columns (details, then title, then host) to fit the terminal.
    auto total = [&] { return wt + wl + wti + wh + we + wc + wd + kGap * (kColumns - 1); };
    // Take columns from the wider of title and details first (they end up sharing the
    // room), then from the host; never below a readable floor.
    constexpr std::size_t kTitleFloor = 16, kDetailsFloor = 12, kHostFloor = 8;
    while (total() > opt.width) {
      if (wti > kTitleFloor && (wti >= wd || wd <= kDetailsFloor))
        --wti;
      else if (wd > kDetailsFloor)
        --wd;
      else if (wh > kHostFloor)
        --wh;
      else
        break;  // the terminal is too narrow: the lines wrap
    }
  }
  std::string out;
  auto line = [&](const Cells& c, bool header) {
    std::string l;
    auto cell = [&](const std::string& v, std::size_t w, bool last = false) {
      l += last ? fit_columns(v, w) : pad_columns(v, w);
      if (!last) l.append(kGap, ' ');
    };
    cell(c.time, wt);
    std::string level = pad_columns(c.level, wl);
    l += header ? level : colored(level, c.lvl, opt.color);
    l.append(kGap, ' ');
    cell(c.title, wti);
    cell(c.host, wh);
    // Numbers right-aligned.
    l.append(we - std::min(we, display_width(c.eid)), ' ');
    l += fit_columns(c.eid, we);
    l.append(kGap, ' ');
    l.append(wc - std::min(wc, display_width(c.count)), ' ');
    l += fit_columns(c.count, wc);
    l.append(kGap, ' ');
    cell(c.details, wd, true);
    while (!l.empty() && l.back() == ' ') l.pop_back();
    out += l;
    out.push_back('\n');
  };
  line(head, true);
  std::size_t rule = wt + wl + wti + wh + we + wc + wd + kGap * (kColumns - 1);
  if (opt.width > 0) rule = std::min(rule, opt.width);
  for (std::size_t i = 0; i < rule; ++i) out += "─";
  out.push_back('\n');
  for (const auto& c : cells) line(c, false);
  out.push_back('\n');
  out += render_summary(rows, opt.color);
  return out;
}

std::string render_csv(const std::vector<FindingRow>& rows, std::string_view tz) {
  std::string out =
      "time_local,time_utc,level,title,host,event_id,hits,details,rule_id,source,finding_id\n";
  for (const auto& r : rows) {
    auto field = [&](std::string_view v, bool last = false) {
      append_csv_field(out, v);
      out.push_back(last ? '\n' : ',');
    };
    field(r.first ? format_local(*r.first, tz) : std::string());
    field(r.first ? format_iso(*r.first) : std::string());
    field(r.severity);
    field(r.title);
    field(r.host);
    field(r.event_id ? std::to_string(*r.event_id) : std::string());
    field(std::to_string(r.count));
    field(r.details);
    field(r.rule_id);
    field(r.source);
    field(r.id, true);
  }
  return out;
}

std::string render_summary(const std::vector<FindingRow>& rows, bool color) {
  std::array<std::uint64_t, 6> findings{}, hits{};
  struct PerRule {
    std::string title;
    int level = 0;
    std::uint64_t findings = 0, hits = 0;
  };
  std::map<std::string, PerRule> per_rule;
  std::uint64_t total_hits = 0;
  for (const auto& r : rows) {
    int l = severity_level(r.severity);
    ++findings[static_cast<std::size_t>(l)];
    hits[static_cast<std::size_t>(l)] += r.count;
    total_hits += r.count;
    auto& p = per_rule[r.rule_id];
    // The rule's own title, without the group values detect appends (": alice").
    if (p.title.empty()) p.title = one_line(r.rule_name.empty() ? r.title : r.rule_name);
    p.level = std::max(p.level, l);
    ++p.findings;
    p.hits += r.count;
  }
  std::string out = "Findings by level (" + thousands(rows.size()) + " findings, " +
                    thousands(total_hits) + " hits):\n";
  for (int l = 5; l >= 0; --l) {
    auto i = static_cast<std::size_t>(l);
    if (l == 0 && findings[0] == 0) continue;
    out += "  " +
           colored(pad_columns(kLevelNames[i].empty() ? "unknown" : kLevelNames[i], 9), l, color) +
           thousands(findings[i]) + " findings, " + thousands(hits[i]) + " hits\n";
  }
  if (per_rule.empty()) return out;
  std::vector<const PerRule*> order;
  for (const auto& [id, p] : per_rule) order.push_back(&p);
  std::stable_sort(order.begin(), order.end(), [](const PerRule* a, const PerRule* b) {
    if (a->level != b->level) return a->level > b->level;
    if (a->hits != b->hits) return a->hits > b->hits;
    return a->title < b->title;
  });
  out += "Findings by rule:\n  " + pad_columns("level", 9) + pad_columns("findings", 10) +
         pad_columns("hits", 10) + "rule\n";
  for (const PerRule* p : order)
    out +=
        "  " +
        colored(pad_columns(kLevelNames[static_cast<std::size_t>(p->level)], 9), p->level, color) +
        pad_columns(thousands(p->findings), 10) + pad_columns(thousands(p->hits), 10) + p->title +
        "\n";
  return out;
}

}  // namespace kk::detect

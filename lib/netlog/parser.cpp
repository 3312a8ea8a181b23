// One log file, line by line: decode, split into syntax fields, recognise the product,
// normalize, render. The per-file state (W3C #Fields, a CSV header, the year of year-less
// syslog, the product seen so far) lives here; every problem is counted by kind and
// reported once per file.
#include <algorithm>
#include <array>
#include <charconv>
#include <filesystem>
#include <map>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

#include "core/ascii_case.hpp"
#include "core/text_encoding.hpp"
#include "core/utf.hpp"
#include "netlog/defender.hpp"
#include "netlog/input.hpp"
#include "netlog/neighbour_year.hpp"
#include "netlog/netlog.hpp"
#include "netlog/normalize.hpp"
#include "netlog/render.hpp"
#include "netlog/syntax.hpp"

namespace kk::netlog {

namespace {

constexpr std::string_view kSyntaxNames[] = {
    "none",     "cef",   "leef",        "json",  "xml",
    "w3c",      "squid", "clf",         "csv",   "kv",
    "colon_kv", "cisco", "syslog_text", "mplog", "detection_history"};

// --format NAME: a syntax (forcing how payloads are split) or a product.
struct Forced {
  Syntax syntax = Syntax::kNone;
  const Product* product = nullptr;
};

Forced forced_format(std::string_view name) {
  Forced f;
  if (name.empty() || name == "auto") return f;
  for (std::size_t i = 1; i < std::size(kSyntaxNames); ++i)
    if (name == kSyntaxNames[i]) f.syntax = static_cast<Syntax>(i);
  if (name == "syslog") f.syntax = Syntax::kText;
  f.product = find_product(name);
  if (f.product && f.product->name == "windows_defender") f.syntax = Syntax::kMplog;
  return f;
}

bool valid_utf8(std::string_view s) {
  std::size_t i = 0;
  while (i < s.size()) {
    // ASCII runs fast: 8 bytes at a time while none has its high bit set.
    for (std::uint64_t w; i + 8 <= s.size(); i += 8) {
      std::memcpy(&w, s.data() + i, 8);
      if (w & 0x8080808080808080ULL) break;
    }
    while (i < s.size() && static_cast<unsigned char>(s[i]) < 0x80) ++i;
    if (i >= s.size()) break;
    const std::size_t n = valid_utf8_prefix(s.substr(i, 4));
    if (n == 0) return false;
    i += n;
  }
  return true;
}

bool identifier_cell(std::string_view c) {
  while (!c.empty() && c.front() == ' ') c.remove_prefix(1);
  if (c.empty() || c.size() > 64) return false;
  const char f = c.front();
  if (!((f >= 'a' && f <= 'z') || (f >= 'A' && f <= 'Z') || f == '_' || f == '"')) return false;
  for (char ch : c)
    if (!((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
          ch == '_' || ch == ' ' || ch == '.' || ch == '-' || ch == '(' || ch == ')' || ch == '"' ||
          ch == '/'))
      return false;
  return true;
}

struct Problem {
  std::uint64_t count = 0, first_line = 0, first_offset = 0;
  Severity severity = Severity::kWarning;
};

class FileParser {
 public:
  // RESERVE: the output buffer's first size (records are emitted by the MiB).
  FileParser(std::string_view source, const Options& opts,
             const std::function<void(OutBuffer&)>& emit, std::size_t reserve)
      : source_(source),
        opts_(opts),
        emit_(emit),
        zone_(opts.tz),
        forced_(forced_format(opts.format)) {
    std::string base = std::filesystem::path(std::string(source)).filename().string();
    base = ascii_lower(base);
    mplog_ = forced_.syntax == Syntax::kMplog ||
             ((base.starts_with("mplog") || base.starts_with("mpdetection")) &&
              base.find(".log") != std::string::npos);
    out_.room(reserve);
  }

  bool line(std::string_view text, std::uint64_t line_no, std::uint64_t offset,
            std::string_view block);
  // The file on disk (for the year of year-less syslog from its neighbours); "" in memory.
  void set_path(const std::string& path) { path_ = path; }
  void detection_history(std::string_view bytes);
  FileSummary finish(const InputFacts& facts);

 private:
  void problem(std::string_view kind, std::uint64_t line_no, std::uint64_t offset,
               Severity sev = Severity::kWarning) {
    Problem& p = problems_[std::string(kind)];
    if (p.count++ == 0) {
      p.first_line = line_no;
      p.first_offset = offset;
      p.severity = sev;
    }
  }
  void classify(std::string_view payload, std::uint64_t line_no);
  bool try_layouts(std::string_view payload);
  void finish_record(std::string_view raw, std::uint64_t line_no, std::uint64_t offset,
                     std::string_view block, const EnvelopeTime& et, std::string_view layout_type);

  std::string_view source_;
  std::string path_;
  const Options& opts_;
  const std::function<void(OutBuffer&)>& emit_;
  LocalZone zone_;
  Forced forced_;
  bool mplog_ = false;
  Arena arena_;
  ParsedLine p_;
  Normalized n_;
  simdjson::dom::parser json_;
  OutBuffer out_;      // records, emitted by the MiB
  JsonEscapeMap map_;  // of the line being parsed
  std::string decoded_;
  std::vector<std::string_view> cells_;
  // W3C "#Fields:" and a CSV header line.
  std::string w3c_header_, csv_header_;
  std::vector<std::string_view> w3c_names_, csv_names_;
  std::string_view csv_delim_;
  bool first_content_ = true;
  std::string_view layout_type_;
  // Year of year-less syslog times.
  std::optional<int> year_;
  int last_month_ = 0;
  bool year_searched_ = false;
  const Product* hint_ = nullptr;
  bool continuation_ = false;  // this line is indented and follows a syslog message
  bool last_was_syslog_ = false;
  std::map<std::string_view, std::uint64_t> by_product_, by_syntax_;  // filled by finish()
  // Counted per line by index (a map lookup per line, by name, was ~2 % of the time):
  // products() order then "generic"; Syntax order.
  std::vector<std::uint64_t> product_lines_ = std::vector<std::uint64_t>(products().size() + 1);
  std::array<std::uint64_t, std::size(kSyntaxNames)> syntax_lines_{};
  std::map<std::string, Problem> problems_;
  std::optional<UtcMicros> last_time_;
  FileSummary sum_;
};

bool FileParser::try_layouts(std::string_view payload) {
  for (const auto& layout : column_layouts()) {
    // Cheap checks on the first cells before splitting the whole line.
    const std::string_view head = payload.substr(0, 256);
    const std::size_t d0 = head.find(layout.delimiter);
    if (d0 == std::string_view::npos) continue;
    if (!layout.match_column_value.empty()) {
      std::size_t at = 0;
      for (std::size_t k = 0; k < layout.match_index && at != std::string_view::npos; ++k) {
        at = head.find(layout.delimiter, at);
        if (at != std::string_view::npos) at += layout.delimiter.size();
      }
      if (at == std::string_view::npos || !head.substr(at).starts_with(layout.match_column_value))
        continue;
    } else if (layout.delimiter == ","
                   ? !parse_packed_hex_time(head.substr(0, d0))
                   : !(d0 >= 6 && d0 <= 12 && head[0] >= '0' && head[0] <= '9')) {
      continue;
    }
    cells_.clear();
    split_delimited(payload, layout.delimiter, cells_, arena_);
    if (!layout.match_column_value.empty()) {
      if (cells_.size() <= layout.match_index ||
          cells_[layout.match_index] != layout.match_column_value)
        continue;
    } else if (cells_.size() + 3 < layout.columns.size() ||
               (layout.delimiter != "," && cells_.size() > layout.columns.size() + 4)) {
      continue;
    } else if (layout.delimiter == "\t" && !parse_time_text(cells_[0], false)) {
      continue;  // a TAB layout starts with its date
    } else if (layout.delimiter == "," && !parse_packed_hex_time(cells_[0])) {
      continue;  // a header-less comma layout (SEP) starts with its packed time
    }
    for (std::size_t i = 0; i < cells_.size(); ++i)
      p_.fields.push_back(
          {i < layout.columns.size() ? layout.columns[i] : std::string_view{}, cells_[i]});
    layout_type_ = layout.log_type;
    p_.syntax = Syntax::kCsv;
    // McAfee writes date and time in two cells: one time field for the tables.
    if (layout.product == "mcafee_trellix" && cells_.size() >= 2)
      p_.fields.push_back({"mcafee.time", arena_.concat(cells_[0], " ", cells_[1])});
    if (layout.product == "trendmicro" && cells_.size() >= 2 &&
        (cells_.size() < 10 || cells_[9].empty()))
      p_.fields.push_back({"trend.date", arena_.concat(cells_[0], " ", cells_[1])});
    return true;
  }
  return false;
}

void FileParser::classify(std::string_view s, std::uint64_t line_no) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  p_.payload = s;
  const Syntax want = forced_.syntax;
  auto allowed = [&](Syntax x) { return want == Syntax::kNone || want == x; };
  if (s.empty()) return;
  const char c = s.front();
  if (c == '{' && allowed(Syntax::kJson) && parse_json_fields(s, p_.fields, arena_, json_)) {
    p_.syntax = Syntax::kJson;
    return;
  }
  if (c == '{') p_.fields.clear();
  if (c == '<' && allowed(Syntax::kXml) && s.find("</") != std::string_view::npos &&
      parse_xml_leaves(s, p_.fields)) {
    p_.syntax = Syntax::kXml;
    return;
  }
  if (allowed(Syntax::kCef) && parse_cef(s, p_, arena_)) {
    p_.syntax = Syntax::kCef;
    return;
  }
  if (allowed(Syntax::kLeef) && parse_leef(s, p_, arena_)) {
    p_.syntax = Syntax::kLeef;
    return;
  }
  p_.fields.clear();
  if (c == '%' && allowed(Syntax::kCiscoTag) && parse_cisco_tag(s, p_.fields)) {
    p_.syntax = Syntax::kCiscoTag;
    const std::string_view msg = p_.fields.back().value;
    const std::size_t before = p_.fields.size();
    if (parse_colon_kv(msg, p_.fields) < 3) {
      p_.fields.resize(before);
      extract_text_fields(msg, p_.fields);
    }
    return;
  }
  if (c >= '0' && c <= '9' && allowed(Syntax::kSquid) && parse_squid(s, p_.fields)) {
    p_.syntax = Syntax::kSquid;
    return;
  }
  p_.fields.clear();
  {
    std::string_view t = s;
    if (t.starts_with(": ")) t.remove_prefix(2);  // PAN-OS CSV after a cut header
    if ((want == Syntax::kNone || want == Syntax::kCsv) && try_layouts(t)) return;
    p_.fields.clear();
  }
  if (allowed(Syntax::kClf) && s.substr(0, 64).find(" [") != std::string_view::npos &&
      parse_clf(s, p_.fields)) {
    p_.syntax = Syntax::kClf;
    return;
  }
  p_.fields.clear();
  if (allowed(Syntax::kKv)) {
    const std::size_t pairs = parse_kv(s, p_.fields, arena_);
    if (pairs >= 3 || (want == Syntax::kKv && pairs > 0)) {
      p_.syntax = Syntax::kKv;
      return;
    }
    p_.fields.clear();
  }
  if (allowed(Syntax::kColonKv)) {
    const std::size_t pairs = parse_colon_kv(s, p_.fields);
    if (pairs >= 3 || (want == Syntax::kColonKv && pairs > 0)) {
      p_.syntax = Syntax::kColonKv;
      return;
    }
    p_.fields.clear();
  }
  // A header line of a delimited file: the names of the columns that follow.
  if (first_content_ && !p_.env.present && (want == Syntax::kNone || want == Syntax::kCsv)) {
    for (std::string_view d : {",", "\t", ";", "|"}) {
      if (s.find(d) == std::string_view::npos) continue;
      cells_.clear();
      split_delimited(s, d, cells_, arena_);
      if (cells_.size() < 3) continue;
      if (!std::all_of(cells_.begin(), cells_.end(), identifier_cell)) continue;
      csv_header_.assign(s);
      csv_delim_ = d;
      csv_names_.clear();
      Arena keep;  // header names are plain cells of csv_header_ (quotes trimmed)
      std::vector<std::string_view> names;
      split_delimited(csv_header_, d, names, keep);
      for (auto n : names) {
        while (!n.empty() && n.front() == ' ') n.remove_prefix(1);
        // keep only views into csv_header_ (a doubled quote in a header name is not kept)
        if (n.data() < csv_header_.data() || n.data() >= csv_header_.data() + csv_header_.size())
          n = {};
        csv_names_.push_back(n);
      }
      p_.syntax = Syntax::kCsv;
      p_.fields.clear();
      layout_type_ = "header";
      return;
    }
  }
  const bool text_ok = want == Syntax::kNone || want == Syntax::kText;
  if (text_ok && (p_.env.present || want == Syntax::kText)) {
    p_.syntax = Syntax::kText;
    p_.fields.push_back({"message", s});
    extract_text_fields(s, p_.fields);
    return;
  }
  if (text_ok && continuation_) {
    // An indented line after a syslog message continues it (multi-line messages).
    p_.syntax = Syntax::kText;
    p_.fields.push_back({"message", s});
    p_.fields.push_back({"continuation", "true"});
    return;
  }
  if (text_ok) {
    // No envelope: still text a network device wrote if it names an address.
    extract_text_fields(s, p_.fields);
    if (!p_.fields.empty()) {
      p_.syntax = Syntax::kText;
      p_.fields.insert(p_.fields.begin(), Field{"message", s});
      return;
    }
  }
  (void)line_no;
  p_.fields.clear();
}

bool FileParser::line(std::string_view raw, std::uint64_t line_no, std::uint64_t offset,
                      std::string_view block) {
  std::string_view text = raw;
  std::size_t lead = 0;
  while (lead < text.size() && (text[lead] == ' ' || text[lead] == '\t' || text[lead] == '\r'))
    ++lead;
  if (lead == text.size()) return true;  // blank lines are not records
  // One pass for what the line holds: bytes ≥ 0x80 (UTF-8 or CP932?), control bytes, and
  // which bytes its JSON strings must escape (render_record writes slices of the line).
  map_.build(text);
  const bool high = map_.any_high();
  const std::size_t ctl = map_.controls();
  // Text that is neither UTF-8 nor ASCII: a Japanese device's CP932.
  if (high && !valid_utf8(text)) {
    decoded_.clear();
    const std::size_t bad = append_cp932(decoded_, text);
    text = decoded_;
    raw = decoded_;
    map_.build(text);
    problem(bad ? "bytes that are neither UTF-8 nor CP932 (replaced by U+FFFD)"
                : "lines in CP932 (decoded)",
            line_no, offset, bad ? Severity::kWarning : Severity::kInfo);
  }
  p_.clear();
  layout_type_ = {};
  continuation_ = last_was_syslog_ && (raw.front() == ' ' || raw.front() == '\t');
  arena_.reset(text.size() * 2 + 4096);
  EnvelopeTime et;
  if (ctl > 0 && ctl * 10 > text.size()) {
    problem("binary data (control bytes) in lines, kept raw", line_no, offset);
  } else if (mplog_) {
    parse_mplog_line(text, p_.fields);
    p_.syntax = Syntax::kMplog;
  } else if (text.front() == '#') {
    // W3C extended log directives (#Version, #Software, #Fields, #Date) and comments.
    if (text.starts_with("#Fields:")) {
      w3c_header_.assign(text.substr(8));
      w3c_names_.clear();
      std::size_t i = 0;
      std::string_view h = w3c_header_;
      while (i < h.size()) {
        while (i < h.size() && (h[i] == ' ' || h[i] == '\t')) ++i;
        const std::size_t b = i;
        while (i < h.size() && h[i] != ' ' && h[i] != '\t') ++i;
        if (i > b) w3c_names_.push_back(h.substr(b, i - b));
      }
    }
    return true;
  } else if (!w3c_names_.empty() &&
             (forced_.syntax == Syntax::kNone || forced_.syntax == Syntax::kW3c)) {
    cells_.clear();
    const std::string_view d = text.find('\t') != std::string_view::npos ? "\t" : " ";
    std::size_t i = 0;
    while (i <= text.size()) {
      std::size_t e = text.find(d, i);
      if (e == std::string_view::npos) e = text.size();
      if (e > i || d == "\t") cells_.push_back(text.substr(i, e - i));
      if (e == text.size()) break;
      i = e + 1;
    }
    for (std::size_t k = 0; k < cells_.size(); ++k)
      p_.fields.push_back({k < w3c_names_.size() ? w3c_names_[k] : std::string_view{}, cells_[k]});
    p_.syntax = Syntax::kW3c;
  } else if (!csv_names_.empty()) {
    cells_.clear();
    split_delimited(text, csv_delim_, cells_, arena_);
    for (std::size_t k = 0; k < cells_.size(); ++k)
      p_.fields.push_back({k < csv_names_.size() ? csv_names_[k] : std::string_view{}, cells_[k]});
    p_.syntax = Syntax::kCsv;
  } else {
    std::string_view rest = text;
    if (forced_.syntax != Syntax::kJson && forced_.syntax != Syntax::kCsv)
      rest = parse_envelope(text, p_.env, et);
    classify(rest, line_no);
    if (layout_type_ == "header") {
      first_content_ = false;
      return true;  // the header line itself is not a record
    }
  }
  first_content_ = false;
  finish_record(raw, line_no, offset, block, et, layout_type_);
  return true;
}

void FileParser::finish_record(std::string_view raw, std::uint64_t line_no, std::uint64_t offset,
                               std::string_view block, const EnvelopeTime& et,
                               std::string_view layout_type) {
  const bool recognised = p_.syntax != Syntax::kNone;
  const Product* product = nullptr;
  if (recognised) product = forced_.product ? forced_.product : detect_product(p_, hint_);
  if (product && std::find(opts_.held_back.begin(), opts_.held_back.end(), product->name) !=
                     opts_.held_back.end())
    product = nullptr;
  if (product) hint_ = product;
  normalize(p_, product, zone_, arena_, n_);
  if (n_.device_time_unparsed) problem("time fields that could not be read", line_no, offset);
  if (n_.zone_ambiguous)
    problem("ambiguous zone abbreviations (IST, CST, BST…) read in --tz", line_no, offset);

  std::optional<UtcMicros> time = n_.device_time;
  last_was_syslog_ = p_.env.present || (continuation_ && p_.syntax == Syntax::kText);
  if (continuation_ && p_.syntax == Syntax::kText && !time && !et.has) time = last_time_;
  if (et.has) {
    CivilTime c = et.civil;
    std::optional<int> year;
    if (c.year < 0) {
      if (opts_.year) {
        if (!year_) year_ = *opts_.year;
      } else if (n_.device_year > 0) {
        year_ = n_.device_year;  // the line's own payload says which year it is
      } else if (!year_ && !year_searched_) {
        year_searched_ = true;
        if (auto d = full_date_in(block)) {
          year_ = year_near(*d, c.month);
          problem("year of year-less syslog times taken from a full date in the file", line_no,
                  offset, Severity::kInfo);
        } else if (auto hint = year_from_neighbours(path_, c.month)) {
          year_ = hint->year;
          problem("year of year-less syslog times taken " + hint->why, line_no, offset,
                  hint->from_mtime ? Severity::kWarning : Severity::kInfo);
        }
      }
      if (year_) {
        if (last_month_ && c.month + 6 < last_month_)
          ++*year_;  // December → January
        else if (last_month_ && c.month > last_month_ + 6)
          --*year_;
        last_month_ = c.month;
        year = year_;
      } else {
        problem(
            "syslog times without a year and nothing in the file gives it: time left null (give "
            "--year)",
            line_no, offset);
      }
    }
    const auto env_time = resolve_time(c, zone_, year);
    if (!time) time = env_time;
  }
  if (time) {
    if (last_time_ && *time + 300LL * 1000000 < *last_time_)
      problem("times that go backwards (more than 5 minutes)", line_no, offset, Severity::kInfo);
    last_time_ = time;
    ++sum_.with_time;
    if (!sum_.first_time || *time < *sum_.first_time) sum_.first_time = time;
    if (!sum_.last_time || *time > *sum_.last_time) sum_.last_time = time;
  }
  ++sum_.lines;
  std::string_view product_name = product ? product->name : recognised ? "generic" : "unknown";
  std::string_view log_type = n_.get(Norm::kLogType);
  if (log_type.empty()) log_type = layout_type;
  if (log_type.empty()) log_type = syntax_name(p_.syntax);
  if (recognised) {
    ++sum_.recognised;
    const auto all = products();
    if (!product)
      ++product_lines_[all.size()];
    else if (product >= all.data() && product < all.data() + all.size())
      ++product_lines_[static_cast<std::size_t>(product - all.data())];
    else
      ++by_product_[product_name];
    const auto syntax = static_cast<std::size_t>(p_.syntax);
    if (syntax < syntax_lines_.size())
      ++syntax_lines_[syntax];
    else
      ++by_syntax_[syntax_name(p_.syntax)];
  } else {
    problem("lines not recognised (kept raw as product \"unknown\")", line_no, offset);
  }
  RecordHead head{source_, line_no, offset, product_name, log_type, syntax_name(p_.syntax),
                  time,    {}};
  if (!opts_.own_ips.empty() || opts_.only_involved) {
    auto own = [&](std::string_view ip) {
      return !ip.empty() &&
             std::find(opts_.own_ips.begin(), opts_.own_ips.end(), ip) != opts_.own_ips.end();
    };
    if (own(n_.get(Norm::kSrcIp)) || own(n_.get(Norm::kNatSrcIp)))
      head.direction = "outbound";
    else if (own(n_.get(Norm::kDstIp)) || own(n_.get(Norm::kNatDstIp)))
      head.direction = "inbound";
    if (!head.direction.empty()) ++sum_.involved;
    if (!opts_.pc_destinations.empty()) {
      auto known = [&](std::string_view v) {
        if (v.empty()) return false;
        std::string lower = ascii_lower(v);
        return std::binary_search(opts_.pc_destinations.begin(), opts_.pc_destinations.end(),
                                  lower);
      };
      head.seen_on_pc = known(n_.get(Norm::kDstIp)) || known(n_.get(Norm::kHost));
    }
    if (opts_.beacons && time && head.direction == "outbound") {
      std::uint64_t port = 0;
      const std::string_view ps = n_.get(Norm::kDstPort);
      std::from_chars(ps.data(), ps.data() + ps.size(), port);
      opts_.beacons->add(
          n_.get(Norm::kSrcIp).empty() ? n_.get(Norm::kNatSrcIp) : n_.get(Norm::kSrcIp),
          n_.get(Norm::kDstIp), ascii_lower(n_.get(Norm::kHost)), port, *time, source_, line_no,
          offset);
    }
    if (opts_.volume && time && head.direction == "outbound") {
      std::uint64_t bytes = 0;
      const std::string_view b = n_.get(Norm::kBytesSent);
      if (std::from_chars(b.data(), b.data() + b.size(), bytes).ec == std::errc() && bytes > 0)
        opts_.volume->add(*time, bytes, source_, line_no, offset);
    }
    const bool detection = !n_.get(Norm::kThreat).empty();
    if (opts_.only_involved && head.direction.empty() && !detection) return;
  }
  ++sum_.written;
  render_record(out_, head, n_, p_, raw, map_);
  if (out_.size() >= (1u << 20)) {
    emit_(out_);
    out_.clear();
  }
}

void FileParser::detection_history(std::string_view bytes) {
  p_.clear();
  map_.build({});
  arena_.reset(bytes.size() * 2 + 4096);
  if (!parse_detection_history(bytes, p_.fields, arena_))
    problem("DetectionHistory value stream damaged before the threat name", 1, 0);
  p_.syntax = Syntax::kDetectionHistory;
  finish_record({}, 1, 0, {}, EnvelopeTime{}, "detection_history");
}

FileSummary FileParser::finish(const InputFacts& facts) {
  if (!out_.empty()) emit_(out_);
  out_.clear();
  if (facts.truncated)
    sum_.issues.push_back(
        {Severity::kWarning, std::nullopt,
         "gzip stream ends early (truncated file): the lines before the cut are parsed"});
  if (!facts.error.empty())
    sum_.issues.push_back(
        {Severity::kWarning, std::nullopt,
         "gzip data damaged (" + facts.error + "): the lines before it are parsed"});
  if (facts.long_lines)
    sum_.issues.push_back({Severity::kWarning, std::nullopt,
                           std::to_string(facts.long_lines) +
                               " line(s) longer than 16 MiB split, first at line " +
                               std::to_string(facts.first_long_line)});
  for (const auto& [kind, p] : problems_)
    sum_.issues.push_back({p.severity, p.first_offset,
                           std::to_string(p.count) + " line(s): " + kind + ", first at line " +
                               std::to_string(p.first_line)});
  // The file's product: the one most lines belong to, with its share as the confidence.
  std::vector<std::pair<std::uint64_t, std::string_view>> ranked;
  {
    const auto all = products();
    for (std::size_t i = 0; i < product_lines_.size(); ++i)
      if (product_lines_[i])
        by_product_[i < all.size() ? all[i].name : std::string_view("generic")] +=
            product_lines_[i];
    for (std::size_t i = 0; i < syntax_lines_.size(); ++i)
      if (syntax_lines_[i]) by_syntax_[kSyntaxNames[i]] += syntax_lines_[i];
  }
  for (const auto& [name, count] : by_product_) ranked.push_back({count, name});
  std::sort(ranked.rbegin(), ranked.rend());
  if (!ranked.empty() && sum_.lines) {
    sum_.product = std::string(ranked[0].second);
    std::string why = "detected " + sum_.product;
    if (const Product* prod = find_product(sum_.product))
      why += " (" + std::string(prod->description) + ")";
    std::string syntaxes;
    for (const auto& [name, count] : by_syntax_)
      syntaxes += (syntaxes.empty() ? "" : ", ") + std::string(name) + " " + std::to_string(count);
    why += ": " + std::to_string(ranked[0].first) + " of " + std::to_string(sum_.lines) +
           " lines (" + std::to_string(ranked[0].first * 100 / sum_.lines) +
           "% confidence); syntaxes " + syntaxes + "; encoding " + std::string(facts.encoding) +
           (facts.container == "gzip" ? ", gzip" : "");
    for (std::size_t i = 1; i < ranked.size() && i < 4; ++i)
      why += "; also " + std::string(ranked[i].second) + " " + std::to_string(ranked[i].first);
    if (!opts_.format.empty() && opts_.format != "auto") why += " (--format " + opts_.format + ")";
    sum_.issues.insert(sum_.issues.begin(), Issue{Severity::kInfo, std::nullopt, why});
  }
  return std::move(sum_);
}

}  // namespace

std::string_view syntax_name(Syntax s) {
  const auto i = static_cast<std::size_t>(s);
  return i < std::size(kSyntaxNames) ? kSyntaxNames[i] : "none";
}

std::vector<std::string_view> format_names() {
  std::vector<std::string_view> names{"auto", "syslog"};
  for (std::size_t i = 1; i < std::size(kSyntaxNames); ++i) names.push_back(kSyntaxNames[i]);
  for (const auto& p : products()) names.push_back(p.name);
  return names;
}

bool is_format_name(std::string_view name) {
  const auto names = format_names();
  return std::find(names.begin(), names.end(), name) != names.end();
}

FileSummary parse_bytes(std::string_view bytes, std::string_view source, const Options& opts,
                        const std::function<void(OutBuffer&)>& emit) {
  // A few KB in memory (a file inside an archive, a fuzz input) need no 2 MiB buffer: under
  // ASan each input's fresh 2 MiB was a fifth of the fuzzer's CPU (its shadow and pages).
  FileParser fp(source, opts, emit, std::min<std::size_t>(2u << 20, bytes.size() * 2 + 4096));
  if (is_detection_history(bytes)) {
    fp.detection_history(bytes);
    return fp.finish(InputFacts{});
  }
  const InputFacts facts =
      read_lines(bytes, [&](std::string_view line, std::uint64_t no, std::uint64_t off,
                            std::string_view block) { return fp.line(line, no, off, block); });
  return fp.finish(facts);
}

FileSummary parse_file(const std::string& path, std::string_view source, const Options& opts,
                       const std::function<void(OutBuffer&)>& emit) {
  // read(2) in blocks rather than a mapping: a month of proxy logs is several GB, and
  // mapped pages would count against the process as they are read.
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  FileSummary fail;
  if (fd < 0) {
    fail.unreadable = std::strerror(errno);
    return fail;
  }
  struct stat st {};
  if (::fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ::close(fd);
    fail.unreadable = "is a folder";
    return fail;
  }
  std::string block(4u << 20, '\0');
  auto read_block = [&]() -> std::string_view {
    std::size_t got = 0;
    while (got < block.size()) {
      const ssize_t n = ::read(fd, block.data() + got, block.size() - got);
      if (n < 0 && errno == EINTR) continue;
      if (n <= 0) break;
      got += static_cast<std::size_t>(n);
    }
    return std::string_view(block.data(), got);
  };
  std::string_view first = read_block();
  FileParser fp(source, opts, emit, 2u << 20);
  fp.set_path(path);
  if (is_detection_history(first)) {  // small binary files: read whole (bounded)
    std::string all(first);
    while (all.size() < (64u << 20)) {
      std::string_view more = read_block();
      if (more.empty()) break;
      all.append(more);
    }
    ::close(fd);
    fp.detection_history(all);
    return fp.finish(InputFacts{});
  }
  bool gave_first = false;
  const InputFacts facts = read_lines(
      [&]() -> std::string_view {
        if (!gave_first) {
          gave_first = true;
          return first;
        }
        return read_block();
      },
      [&](std::string_view line, std::uint64_t no, std::uint64_t off, std::string_view blk) {
        return fp.line(line, no, off, blk);
      });
  ::close(fd);
  return fp.finish(facts);
}

std::string nothing_recognised_message(const FileSummary& s) {
  std::string names;
  for (auto n : format_names())
    if (n != "auto") names += (names.empty() ? "" : ", ") + std::string(n);
  return "no line recognised in " + std::to_string(s.lines) + " line(s); formats tried: " + names;
}

}  // namespace kk::netlog

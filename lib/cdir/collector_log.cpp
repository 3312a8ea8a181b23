#include "cdir/collector_log.hpp"

#include <cctype>
#include <cstdio>

#include "core/ascii_case.hpp"
#include "core/ascii_digit.hpp"
#include "core/hash.hpp"

namespace kk::cdir {

namespace {

bool is_space(char c) {
  return c == ' ' || c == '\t';
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (is_space(s.front()) || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && (is_space(s.back()) || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

void skip_spaces(std::string_view& s) {
  while (!s.empty() && is_space(s.front())) s.remove_prefix(1);
}

// Reads N digits (exactly, or 1..N when !exact) from S; nullopt if absent.
std::optional<int> take_number(std::string_view& s, std::size_t max_digits, bool exact) {
  std::size_t n = 0;
  int v = 0;
  while (n < s.size() && n < max_digits && is_ascii_digit(s[n])) v = v * 10 + (s[n++] - '0');
  if (n == 0 || (exact && n != max_digits)) return std::nullopt;
  s.remove_prefix(n);
  return v;
}

bool take_char(std::string_view& s, char c) {
  if (s.empty() || s.front() != c) return false;
  s.remove_prefix(1);
  return true;
}

// "YYYY/MM/DD hh:mm:ss" (the year printed with %d) at the start of S, read as wall-clock
// fields; returns them formatted as ISO ("YYYY-MM-DD hh:mm:ss") for parse_user_time.
std::optional<std::string> take_timestamp(std::string_view& s) {
  std::string_view t = s;
  auto y = take_number(t, 4, false);
  if (!y || !take_char(t, '/')) return std::nullopt;
  auto mo = take_number(t, 2, true);
  if (!mo || !take_char(t, '/')) return std::nullopt;
  auto d = take_number(t, 2, true);
  if (!d || !take_char(t, ' ')) return std::nullopt;
  auto h = take_number(t, 2, true);
  if (!h || !take_char(t, ':')) return std::nullopt;
  auto mi = take_number(t, 2, true);
  if (!mi || !take_char(t, ':')) return std::nullopt;
  auto se = take_number(t, 2, true);
  if (!se) return std::nullopt;
  s = t;
  char buf[40];
  std::snprintf(buf, sizeof buf, "%04d-%02d-%02d %02d:%02d:%02d", *y, *mo, *d, *h, *mi, *se);
  return std::string(buf);
}

std::optional<UtcMicros> to_utc(const std::string& iso, std::string_view tz) {
  auto r = parse_user_time(iso, tz);
  if (!r) return std::nullopt;
  return *r;
}

std::optional<std::string> take_hex(std::string_view& s, std::size_t n) {
  if (s.size() < n || !is_hex_digest(s.substr(0, n), n)) return std::nullopt;
  if (s.size() > n && !is_space(s[n])) return std::nullopt;
  std::string h = ascii_lower(s.substr(0, n));
  s.remove_prefix(n);
  return h;
}

struct HeaderLabel {
  std::string_view text;
  const char* language;
  int field;  // 0 start, 1 end, 2 elapsed
};
constexpr HeaderLabel kLabels[] = {
    {"開始時刻", "ja", 0},   {"終了時刻", "ja", 1}, {"所要時間", "ja", 2},
    {"Start time", "en", 0}, {"End time", "en", 1}, {"Elapsed time", "en", 2},
};

// "Start   time: x" -> label "Start time" (runs of spaces collapsed), value "x".
bool split_label(std::string_view line, std::string& label, std::string_view& value) {
  std::size_t colon = line.find(':');
  if (colon == std::string_view::npos) return false;
  label.clear();
  for (char c : trim(line.substr(0, colon))) {
    if (is_space(c) && !label.empty() && label.back() == ' ') continue;
    label.push_back(is_space(c) ? ' ' : c);
  }
  // The full-width colon is not used by CDIR-C, but accept "開始時刻：" typed by hand.
  value = trim(line.substr(colon + 1));
  return true;
}

}  // namespace

std::optional<CollectorLogRow> parse_collector_log_row(std::string_view line) {
  CollectorLogRow row;
  std::string_view s = trim(line);
  std::optional<UtcMicros>* times[] = {&row.created, &row.accessed, &row.modified};
  std::string_view probe = s;
  if (take_timestamp(probe)) {
    for (auto* t : times) {
      skip_spaces(s);
      auto iso = take_timestamp(s);
      if (!iso) return std::nullopt;
      *t = to_utc(*iso, "UTC");  // row times come from UTC FILETIMEs
    }
  }
  skip_spaces(s);
  auto md5 = take_hex(s, 32);
  skip_spaces(s);
  auto sha1 = md5 ? take_hex(s, 40) : std::nullopt;
  skip_spaces(s);
  auto sha256 = sha1 ? take_hex(s, 64) : std::nullopt;
  if (!sha256) return std::nullopt;
  row.md5 = *md5;
  row.sha1 = *sha1;
  row.sha256 = *sha256;
  skip_spaces(s);
  s = trim(s);
  constexpr std::string_view kWevtutil = "(wevtutil)";
  if (s.size() > kWevtutil.size() && s.ends_with(kWevtutil)) {
    row.wevtutil = true;
    s = trim(s.substr(0, s.size() - kWevtutil.size()));
  }
  if (s.empty()) return std::nullopt;
  row.source_path.assign(s);
  return row;
}

CollectorLog parse_collector_log(std::string_view bytes, std::string_view tz) {
  CollectorLog log;
  if (bytes.starts_with("\xEF\xBB\xBF")) bytes.remove_prefix(3);
  // Decode line by line: the table is ASCII except paths, and decoding per line keeps byte
  // offsets for problems exact.
  bool in_table = false;
  bool any_cp932 = false, any_utf8 = false;
  std::uint64_t line_no = 0;
  std::size_t pos = 0;
  std::string label;
  while (pos < bytes.size()) {
    std::size_t eol = bytes.find('\n', pos);
    std::size_t end = eol == std::string_view::npos ? bytes.size() : eol;
    std::string_view raw = bytes.substr(pos, end - pos);
    std::uint64_t offset = pos;
    pos = eol == std::string_view::npos ? bytes.size() : eol + 1;
    ++line_no;
    DecodedText dec = decode_windows_text(raw);
    if (dec.encoding == TextEncoding::kCp932) any_cp932 = true;
    if (dec.encoding == TextEncoding::kUtf8) any_utf8 = true;
    std::string_view line = trim(dec.text);
    if (line.empty()) continue;
    if (!in_table) {
      std::string_view value;
      if (split_label(line, label, value)) {
        bool known = false;
        for (const auto& l : kLabels) {
          if (label != l.text) continue;
          known = true;
          if (log.language.empty()) log.language = l.language;
          if (l.field == 2) {
            log.elapsed.assign(value);
          } else {
            std::string_view v = value;
            auto iso = take_timestamp(v);
            std::string& text = l.field == 0 ? log.start_local : log.end_local;
            text.assign(value);
            if (iso) (l.field == 0 ? log.start : log.end) = to_utc(*iso, tz);
            if (!iso)
              log.problems.push_back({line_no, offset, "header time not YYYY/MM/DD hh:mm:ss"});
          }
        }
        if (known) continue;
      }
      if (line.starts_with("CreationTime") || line.starts_with("MD5")) {
        in_table = true;
        continue;
      }
    }
    if (line.starts_with("=")) {  // the "=====   =====" rule under the column names
      in_table = true;
      continue;
    }
    if (auto row = parse_collector_log_row(line)) {
      row->line = line_no;
      log.rows.push_back(std::move(*row));
      in_table = true;
      continue;
    }
    log.problems.push_back({line_no, offset, "line is neither a header field nor a file row"});
  }
  log.encoding = any_cp932  ? TextEncoding::kCp932
                 : any_utf8 ? TextEncoding::kUtf8
                            : TextEncoding::kAscii;
  return log;
}

}  // namespace kk::cdir

// What one log line becomes while it is parsed: vendor fields as views into the line (or
// into the arena, for unescaped values) and the syslog envelope around them. Private.
#pragma once

#include <cstdint>
#include <deque>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/time.hpp"

namespace kk::netlog {

struct Field {
  std::string_view key, value;
};

// Storage for values that are not a plain slice of the line (unescaped, joined, rendered).
// Views it hands out stay valid until reset(): the main buffer never grows past its
// reserved capacity, and spilled strings live in a deque, which never moves its elements.
class Arena {
 public:
  void reset(std::size_t hint) {
    spill_.clear();
    main_.clear();
    if (main_.capacity() < hint) main_.reserve(hint);
  }
  std::string_view keep(std::string_view s) {
    if (main_.size() + s.size() <= main_.capacity()) {
      const std::size_t at = main_.size();
      main_.append(s);
      return {main_.data() + at, s.size()};
    }
    spill_.emplace_back(s);
    return spill_.back();
  }
  std::string_view concat(std::string_view a, std::string_view sep, std::string_view b) {
    std::string& s = spill_.emplace_back();
    s.reserve(a.size() + sep.size() + b.size());
    s.append(a).append(sep).append(b);
    return s;
  }

 private:
  std::string main_;
  std::deque<std::string> spill_;
};

// The syntaxes, in the order detection tries them.
enum class Syntax : std::uint8_t {
  kNone,
  kCef,
  kLeef,
  kJson,
  kXml,
  kW3c,
  kSquid,
  kClf,
  kCsv,       // a known vendor column list or a header line
  kKv,        // key=value
  kColonKv,   // "Key: value, Key: value"
  kCiscoTag,  // %ASA-6-302013: text
  kText,      // free text after a syslog envelope
  kMplog,
  kDetectionHistory,
};
std::string_view syntax_name(Syntax s);

struct Envelope {
  bool present = false;
  std::string_view kind;  // "rfc3164", "rfc5424", "rfc3339"
  std::optional<int> pri;
  std::optional<UtcMicros> time;  // resolved to UTC, when it could be
  bool year_unknown = false;      // an RFC 3164 time whose year nothing gave
  std::string_view time_text;     // the envelope's time as written
  std::string_view host, app, procid, msgid, structured;
};

struct ParsedLine {
  Syntax syntax = Syntax::kNone;
  Envelope env;
  std::string_view payload;
  std::vector<Field> fields;
  std::string_view cef_vendor, cef_product;  // CEF/LEEF header (product detection)
  void clear() {
    syntax = Syntax::kNone;
    env = Envelope{};
    payload = {};
    fields.clear();
    cef_vendor = cef_product = {};
  }
  std::string_view get(std::string_view key) const;  // first field named KEY, "" if none
};

}  // namespace kk::netlog

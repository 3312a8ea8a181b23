// One netlog JSONL record (the CONTRACT's "parse-netlog" shape). Private to lib/netlog.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

#include "core/json_writer.hpp"
#include "core/out_buffer.hpp"
#include "netlog/line.hpp"
#include "netlog/normalize.hpp"

namespace kk::netlog {

struct RecordHead {
  std::string_view source;
  std::uint64_t line = 0;
  std::uint64_t offset = 0;  // of the line in the (decompressed, decoded) text
  std::string_view product, log_type, format;
  std::optional<UtcMicros> time;
  std::string_view direction;  // "outbound", "inbound", "" (Options::own_ips)
  bool seen_on_pc = false;     // the destination is one of Options::pc_destinations
};

// Appends the record (one JSON line) to OUT. MAP is of the line the fields are slices of
// (strings that are not are written the same, only slower); without one, of nothing.
void render_record(OutBuffer& out, const RecordHead& head, const Normalized& n, const ParsedLine& p,
                   std::string_view raw, const JsonEscapeMap& map);
void render_record(OutBuffer& out, const RecordHead& head, const Normalized& n, const ParsedLine& p,
                   std::string_view raw);
// The most bytes render_record can write for these values (what it reserves).
std::size_t record_bound(const RecordHead& head, const Normalized& n, const ParsedLine& p,
                         std::string_view raw);

}  // namespace kk::netlog

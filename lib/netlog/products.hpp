// Product knowledge as data: how a product's lines are recognised and what its vendor
// field names mean. The tables live in products.cpp, in one place; the code that applies
// them (normalize.cpp) knows no vendor. Private to lib/netlog.
#pragma once

#include <cstdint>
#include <span>
#include <string_view>

#include "netlog/line.hpp"
#include "netlog/time_text.hpp"

namespace kk::netlog {

// The normalized record fields a vendor field can feed.
enum class Norm : std::uint8_t {
  kNone,
  kTime,           // a full timestamp (any form parse_time_text reads)
  kEpoch,          // epoch seconds … nanoseconds
  kDate,           // a date alone, joined with kClock
  kClock,          // a time of day alone
  kZone,           // the zone of kDate/kClock/kTime ("-0700", "CEST", "UTC+2")
  kPackedHexTime,  // Symantec's 12 hex digits: years since 1970, month-1, day, h, m, s (local)
  kAction,
  kSrcIp,
  kSrcPort,
  kDstIp,
  kDstPort,
  kSrcEndpoint,  // "ip:port[:iface]" (SonicWall)
  kDstEndpoint,
  kNatSrcIp,
  kNatSrcPort,
  kNatDstIp,
  kNatDstPort,
  kProtocol,  // name, "tcp/443" or IANA number
  kBytesSent,
  kBytesReceived,
  kDuration,    // seconds
  kDurationMs,  // milliseconds
  kUrl,
  kHost,
  kMethod,
  kStatus,
  kUserAgent,
  kUser,
  kRule,
  kThreat,
  kSeverity,
  kFileName,
  kFileHash,
  kLogType,
  kLogSubtype,
  kMessage,
  kCount
};

struct FieldRule {
  std::string_view key;  // vendor field name (case-insensitive)
  Norm norm;
};

// A vendor action word and what it means.
struct ActionWord {
  std::string_view word;
  std::string_view action;  // allow, deny, drop, alert, block
};

// What marks a line as this product's. Every non-empty condition must hold.
struct Signature {
  Syntax syntax = Syntax::kNone;  // kNone: any syntax
  std::string_view vendor;        // CEF/LEEF vendor contains this (case-insensitive)
  std::string_view keys[3];       // fields that must be present
  std::string_view key_value[2];  // {key, value prefix} that must match
  std::string_view payload_prefix;
};

struct Product {
  std::string_view name;
  std::string_view description;
  std::span<const Signature> signatures;
  std::span<const FieldRule> fields;  // product-specific names, before the generic ones
  std::span<const std::string_view> key_prefixes;  // vendor prefixes to strip (CEF custom keys)
  std::span<const ActionWord> actions;             // before the generic action words
  DateOrder date_order = DateOrder::kMonthFirst;
  bool local_time = true;  // times without a zone are the device's local time
};

std::span<const Product> products();
const Product* find_product(std::string_view name);

// The names every product shares (CEF dictionary, W3C/ELFF, ECS-like JSON, common kv).
std::span<const FieldRule> generic_fields();
std::span<const ActionWord> generic_actions();

// Known header-less column lists: a line whose syntax is delimited and which matches
// SIGNATURE gets these names.
struct ColumnLayout {
  std::string_view product;
  std::string_view delimiter;           // "," "\t" "<;>"
  std::string_view match_column_value;  // "TRAFFIC": the column at match_index must equal it
  std::size_t match_index;
  std::span<const std::string_view> columns;
  std::string_view log_type;
};
std::span<const ColumnLayout> column_layouts();

// The product a line belongs to, or nullptr. HINT (the file's product) wins ties.
const Product* detect_product(const ParsedLine& p, const Product* hint);

}  // namespace kk::netlog

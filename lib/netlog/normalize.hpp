// Applies the product tables (products.hpp) to a parsed line: the normalized values, still
// as text views, plus the time resolved to UTC. Private to lib/netlog.
#pragma once

#include <array>
#include <optional>
#include <string_view>

#include "netlog/line.hpp"
#include "netlog/products.hpp"
#include "netlog/time_text.hpp"

namespace kk::netlog {

struct Normalized {
  std::array<std::string_view, static_cast<std::size_t>(Norm::kCount)> v{};
  std::string_view action;  // allow/deny/drop/alert/block, "" when the vendor word is unknown
  std::optional<UtcMicros> device_time;  // from the vendor fields
  bool device_time_unparsed = false;     // a time field was there but unreadable
  bool zone_ambiguous = false;
  int device_year = -1;  // the year the vendor fields gave, if any
  std::string_view get(Norm n) const { return v[static_cast<std::size_t>(n)]; }
};

void normalize(const ParsedLine& p, const Product* product, LocalZone& zone, Arena& arena,
               Normalized& out);

}  // namespace kk::netlog

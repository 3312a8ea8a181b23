#include "cases/sql.hpp"

#include <charconv>

namespace kk::cases {

std::optional<std::int64_t> SqlRow::integer(std::size_t i) const {
  if (is_null(i)) return std::nullopt;
  const std::string& t = *cols[i];
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
  if (ec != std::errc() || end != t.data() + t.size() || t.empty()) return std::nullopt;
  return v;
}

}  // namespace kk::cases

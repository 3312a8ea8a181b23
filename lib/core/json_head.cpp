#include "core/json_head.hpp"

#include <cstdint>
#include <cstring>

namespace kk {

namespace {
constexpr std::size_t kNone = std::string_view::npos;

std::size_t skip_ws(std::string_view t, std::size_t i) {
  while (i < t.size() && (t[i] == ' ' || t[i] == '\t' || t[i] == '\n' || t[i] == '\r')) ++i;
  return i;
}

// The index of the quote closing the string whose text starts at I, or kNone; *ESCAPED is
// set when the string holds a backslash. Most strings hold none: two memchr.
std::size_t string_end(std::string_view t, std::size_t i, bool* escaped) {
  if (i > t.size()) return kNone;
  const void* q = std::memchr(t.data() + i, '"', t.size() - i);
  if (!q) return kNone;
  const auto qi = static_cast<std::size_t>(static_cast<const char*>(q) - t.data());
  if (!std::memchr(t.data() + i, '\\', qi - i)) return qi;
  *escaped = true;
  for (std::size_t k = i; k < t.size(); ++k) {
    if (t[k] == '\\')
      ++k;
    else if (t[k] == '"')
      return k;
    else if (static_cast<unsigned char>(t[k]) < 0x20)
      return kNone;  // a control byte: not a JSON string
  }
  return kNone;
}

// Past the object or array opening at I (its brackets matched, its strings skipped), or kNone.
std::size_t skip_nested(std::string_view t, std::size_t i) {
  std::uint64_t objects = 0;  // one bit per open level: set for an object
  unsigned depth = 0;
  for (std::size_t k = i; k < t.size(); ++k) {
    const char c = t[k];
    if (c == '"') {
      bool escaped = false;
      k = string_end(t, k + 1, &escaped);
      if (k == kNone) return kNone;
    } else if (c == '{' || c == '[') {
      if (depth == 64) return kNone;
      objects = (objects << 1) | (c == '{' ? 1 : 0);
      ++depth;
    } else if (c == '}' || c == ']') {
      if (depth == 0 || ((objects & 1) != 0) != (c == '}')) return kNone;
      objects >>= 1;
      if (--depth == 0) return k + 1;
    }
  }
  return kNone;
}

// Past the number or literal at I, or kNone.
std::size_t skip_scalar(std::string_view t, std::size_t i) {
  for (std::string_view lit : {"true", "false", "null"})
    if (t.substr(i, lit.size()) == lit) return i + lit.size();
  std::size_t k = i;
  while (k < t.size() && std::string_view("-+0123456789.eE").find(t[k]) != kNone) ++k;
  return k == i ? kNone : k;
}
}  // namespace

bool json_head_strings(std::string_view t, std::span<const std::string_view> keys,
                       std::span<std::string_view> values) {
  if (keys.size() > 64 || values.size() < keys.size()) return false;
  for (auto& v : values) v = {};
  std::uint64_t got = 0;  // keys already met (the first of a repeated key counts)
  std::size_t found = 0;
  std::size_t i = skip_ws(t, 0);
  if (i >= t.size() || t[i] != '{') return false;
  i = skip_ws(t, i + 1);
  if (i < t.size() && t[i] == '}') return true;
  while (found < keys.size()) {
    if (i >= t.size() || t[i] != '"') return false;
    bool escaped = false;
    const std::size_t key_end = string_end(t, i + 1, &escaped);
    if (key_end == kNone || escaped) return false;
    const std::string_view key = t.substr(i + 1, key_end - i - 1);
    i = skip_ws(t, key_end + 1);
    if (i >= t.size() || t[i] != ':') return false;
    i = skip_ws(t, i + 1);
    if (i >= t.size()) return false;
    std::size_t slot = kNone;
    for (std::size_t j = 0; j < keys.size(); ++j)
      if ((got >> j & 1) == 0 && keys[j] == key) {
        slot = j;
        break;
      }
    if (t[i] == '"') {
      bool value_escaped = false;
      const std::size_t end = string_end(t, i + 1, &value_escaped);
      if (end == kNone || (slot != kNone && value_escaped)) return false;
      if (slot != kNone) values[slot] = t.substr(i + 1, end - i - 1);
      i = end + 1;
    } else {
      i = t[i] == '{' || t[i] == '[' ? skip_nested(t, i) : skip_scalar(t, i);
      if (i == kNone) return false;
    }
    if (slot != kNone) {
      got |= std::uint64_t{1} << slot;
      ++found;
    }
    i = skip_ws(t, i);
    if (i >= t.size()) return false;
    if (t[i] == '}') return true;
    if (t[i] != ',') return false;
    i = skip_ws(t, i + 1);
  }
  return true;
}

}  // namespace kk

// The prefetch hash: Windows names a prefetch file after a hash of the executable's
// upper-case device path (UTF-16LE bytes). Hash functions as described in libyal
// libscca, "Calculating the prefetch hash": the XP function (version 17) and the
// Vista one (later versions; the "2008" function of Windows 7/8 is an unrolled form
// of the same recurrence and gives the same values).
#include <string>

#include "prefetch/prefetch.hpp"

namespace kk {
namespace {

// UTF-8 (valid: it comes from our own UTF-16 decoding) to UTF-16LE bytes.
std::string utf16le_bytes(std::string_view s) {
  std::string out;
  auto unit = [&](std::uint32_t u) {
    out.push_back(static_cast<char>(u & 0xFF));
    out.push_back(static_cast<char>(u >> 8));
  };
  for (std::size_t i = 0; i < s.size();) {
    const auto c = static_cast<unsigned char>(s[i]);
    std::uint32_t cp;
    int n;
    if (c < 0x80)
      cp = c, n = 1;
    else if (c < 0xE0)
      cp = c & 0x1Fu, n = 2;
    else if (c < 0xF0)
      cp = c & 0x0Fu, n = 3;
    else
      cp = c & 0x07u, n = 4;
    for (int k = 1; k < n && i + k < s.size(); ++k) cp = (cp << 6) | (s[i + k] & 0x3Fu);
    i += static_cast<std::size_t>(n);
    if (cp >= 0x10000) {
      cp -= 0x10000;
      unit(0xD800 + (cp >> 10));
      unit(0xDC00 + (cp & 0x3FF));
    } else {
      unit(cp);
    }
  }
  return out;
}

}  // namespace

std::uint32_t prefetch_path_hash(std::string_view device_path, std::uint32_t version) {
  const std::string bytes = utf16le_bytes(device_path);
  if (version == 17) {
    std::uint32_t h = 0;
    for (unsigned char b : bytes) h = h * 37 + b;
    h *= 314159269u;
    // abs() of the value read as signed 32-bit, then modulo a prime.
    const std::int64_t signed_h = static_cast<std::int32_t>(h);
    return static_cast<std::uint32_t>((signed_h < 0 ? -signed_h : signed_h) % 1000000007);
  }
  std::uint32_t h = 314159;
  for (unsigned char b : bytes) h = h * 37 + b;
  return h;
}

std::optional<bool> path_hash_matches(const PrefetchInfo& info) {
  // Windows 10 and later hash the \DEVICE\HARDDISKVOLUMEn form but record
  // \VOLUME{...} paths, so the hash cannot be recomputed from the file.
  if (!info.executable_path || !info.executable_path->starts_with("\\DEVICE\\"))
    return std::nullopt;
  return prefetch_path_hash(*info.executable_path, info.version) == info.prefetch_hash;
}

}  // namespace kk

// AppCompatCache ("ShimCache") value decoding, every header variant from Windows XP to 11.
// The value lives in SYSTEM\<ControlSet>\Control\Session Manager\AppCompatCache
// (XP: ...\AppCompatibility\AppCompatCache).
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/byte_reader.hpp"
#include "core/time.hpp"

namespace kk::registry {

struct ShimCacheEntry {
  std::string path;
  std::optional<UtcMicros> modified;  // the file's last-modified time as the cache saw it
  std::optional<bool> executed;       // "insert flags" bit 0x2 (Vista to 8.1); null elsewhere
  std::uint32_t position = 0;         // 0 = most recently inserted/updated
  std::optional<std::uint64_t> size;  // XP and Server 2003 record the file size
  std::uint64_t offset = 0;           // of the entry within the value
};

struct ShimCache {
  // "xp", "2003-vista-2008" (32/64-bit), "7" (32/64-bit), "8.0", "8.1", "10", "10-creators".
  std::string format;
  std::optional<std::uint32_t> declared_count;  // when the header holds one
  std::vector<ShimCacheEntry> entries;
  std::vector<std::string> problems;  // damage found while decoding (entries before it are kept)
};

ShimCache decode_shimcache(Bytes value);

}  // namespace kk::registry

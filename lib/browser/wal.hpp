// SQLite write-ahead log (the "-wal" file next to a database): the committed frames
// applied to an in-memory copy of the database. See the SQLite file format
// documentation, "The WAL file format" (32-byte header, 24-byte frame headers,
// cumulative checksums, salts; a frame with a non-zero "database size" ends a commit).
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace kk::browser {

struct WalResult {
  bool applied = false;
  std::uint32_t frames = 0;         // valid frames found
  std::uint32_t committed = 0;      // frames up to and including the last commit
  std::uint32_t pages_written = 0;  // distinct pages replaced in the copy
  std::string problem;              // why nothing (or not all) was applied
};

// Applies WAL's committed frames to DB (the database image, changed in place).
WalResult apply_wal(std::vector<std::uint8_t>& db, std::span<const std::uint8_t> wal);

}  // namespace kk::browser

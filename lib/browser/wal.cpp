#include "browser/wal.hpp"

#include <set>

namespace kk::browser {

namespace {

std::uint32_t be32(const std::uint8_t* p) {
  return (std::uint32_t(p[0]) << 24) | (std::uint32_t(p[1]) << 16) | (std::uint32_t(p[2]) << 8) |
         std::uint32_t(p[3]);
}

std::uint32_t le32(const std::uint8_t* p) {
  return std::uint32_t(p[0]) | (std::uint32_t(p[1]) << 8) | (std::uint32_t(p[2]) << 16) |
         (std::uint32_t(p[3]) << 24);
}

// The WAL checksum over N bytes (a multiple of 8), continuing from S.
void checksum(const std::uint8_t* p, std::size_t n, bool big_endian, std::uint32_t s[2]) {
  for (std::size_t i = 0; i + 8 <= n; i += 8) {
    std::uint32_t a = big_endian ? be32(p + i) : le32(p + i);
    std::uint32_t b = big_endian ? be32(p + i + 4) : le32(p + i + 4);
    s[0] += a + s[1];
    s[1] += b + s[0];
  }
}

// Database page size from the header at offset 16 (1 means 65536).
std::uint32_t db_page_size(const std::vector<std::uint8_t>& db) {
  if (db.size() < 100) return 0;
  std::uint32_t v = (std::uint32_t(db[16]) << 8) | db[17];
  return v == 1 ? 65536 : v;
}

}  // namespace

WalResult apply_wal(std::vector<std::uint8_t>& db, std::span<const std::uint8_t> wal) {
  WalResult r;
  if (wal.empty()) {
    r.problem = "WAL is empty";
    return r;
  }
  if (wal.size() < 32) {
    r.problem = "WAL shorter than its 32-byte header";
    return r;
  }
  std::uint32_t magic = be32(wal.data());
  if (magic != 0x377f0682 && magic != 0x377f0683) {
    r.problem = "WAL header magic is not 0x377f0682/3";
    return r;
  }
  const bool big = (magic & 1) != 0;
  const std::uint32_t page_size = be32(wal.data() + 8);
  if (page_size < 512 || page_size > 65536 || (page_size & (page_size - 1)) != 0) {
    r.problem = "WAL page size " + std::to_string(page_size) + " is not a power of two";
    return r;
  }
  if (db_page_size(db) != page_size) {
    r.problem = "WAL page size " + std::to_string(page_size) + " differs from the database's " +
                std::to_string(db_page_size(db));
    return r;
  }
  std::uint32_t s[2] = {0, 0};
  checksum(wal.data(), 24, big, s);
  if (s[0] != be32(wal.data() + 24) || s[1] != be32(wal.data() + 28)) {
    r.problem = "WAL header checksum does not match (the log was reset or is damaged)";
    return r;
  }
  const std::uint32_t salt1 = be32(wal.data() + 16), salt2 = be32(wal.data() + 20);
  const std::size_t frame_size = 24 + std::size_t(page_size);

  // First pass: find the valid frames and the last commit among them.
  std::size_t last_commit_end = 0;  // byte offset after the last commit frame
  std::uint32_t commit_db_pages = 0;
  std::size_t off = 32;
  for (; off + frame_size <= wal.size(); off += frame_size) {
    const std::uint8_t* f = wal.data() + off;
    if (be32(f + 8) != salt1 || be32(f + 12) != salt2) break;  // stale frame of an older log
    checksum(f, 8, big, s);
    checksum(f + 24, page_size, big, s);
    if (s[0] != be32(f + 16) || s[1] != be32(f + 20)) break;
    ++r.frames;
    if (be32(f + 4) != 0) {
      last_commit_end = off + frame_size;
      commit_db_pages = be32(f + 4);
      r.committed = r.frames;
    }
  }
  // Frames left after the first invalid one: an older log's leftovers (other salts) or
  // damage (a checksum that fails). Either way they are not applied.
  std::string stopped;
  if (off + frame_size <= wal.size()) {
    const std::uint8_t* f = wal.data() + off;
    stopped = std::to_string((wal.size() - off) / frame_size) + " frames from offset " +
              std::to_string(off) +
              (be32(f + 8) != salt1 || be32(f + 12) != salt2
                   ? " belong to an earlier log (other salt) and were not applied"
                   : " fail their checksum (damage) and were not applied");
  }
  if (r.committed == 0) {
    r.problem = r.frames ? std::to_string(r.frames) + " valid frames but no committed transaction"
                         : "no valid frame after the WAL header";
    if (!stopped.empty()) r.problem += "; " + stopped;
    return r;
  }
  // Second pass: copy the committed pages; a later frame of the same page wins.
  const std::uint64_t max_pages = commit_db_pages;
  if (max_pages * page_size > (std::uint64_t(1) << 34)) {
    r.problem = "WAL commit claims an implausible database size";
    return r;
  }
  db.resize(std::size_t(max_pages) * page_size, 0);
  std::set<std::uint32_t> pages;
  for (off = 32; off < last_commit_end; off += frame_size) {
    const std::uint8_t* f = wal.data() + off;
    std::uint32_t pgno = be32(f);
    if (pgno == 0 || pgno > max_pages) continue;  // a page cut off by a later truncation
    std::copy(f + 24, f + 24 + page_size, db.begin() + std::size_t(pgno - 1) * page_size);
    pages.insert(pgno);
  }
  r.pages_written = static_cast<std::uint32_t>(pages.size());
  r.applied = true;
  if (r.frames > r.committed)
    r.problem = std::to_string(r.frames - r.committed) +
                " frames after the last commit were not applied (an unfinished transaction)";
  if (!stopped.empty()) r.problem += (r.problem.empty() ? "" : "; ") + stopped;
  return r;
}

}  // namespace kk::browser

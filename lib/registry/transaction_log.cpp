#include "registry/transaction_log.hpp"

#include <algorithm>
#include <filesystem>
#include <map>
#include <optional>

#include "core/ascii_case.hpp"
#include "core/windows_types.hpp"
#include "registry/base_block.hpp"
#include "registry/marvin32.hpp"

namespace kk::registry {

namespace {

constexpr std::size_t kLogEntryHeader = 40;
constexpr std::uint32_t kMaxHiveBins = 1u << 31;  // 2 GiB: larger is not a real hive

std::size_t align_up(std::size_t v, std::size_t a) {
  return (v + a - 1) / a * a;
}

void store_u32(std::vector<std::uint8_t>& b, std::size_t off, std::uint32_t v) {
  std::memcpy(b.data() + off, &v, 4);
}

// Makes the replayed base block say what Windows would write after recovery: clean, the
// new sequence number and hive bins size, file type primary, a correct checksum.
void finish_base_block(std::vector<std::uint8_t>& hive, std::uint32_t sequence,
                       std::uint32_t hive_bins_size) {
  store_u32(hive, 4, sequence);
  store_u32(hive, 8, sequence);
  store_u32(hive, 28, 0);
  store_u32(hive, 40, hive_bins_size);
  store_u32(hive, 508, base_block_checksum(hive.data()));
}

void ensure_size(std::vector<std::uint8_t>& hive, std::size_t size) {
  if (hive.size() < size) hive.resize(size, 0);
}

struct LogEntry {
  std::uint32_t sequence = 0;
  std::uint32_t hive_bins_size = 0;
  Bytes page_refs;  // dirty page references, 8 bytes each
  Bytes pages;      // the pages, back to back
  std::uint32_t page_count = 0;
  std::size_t log_index = 0;
  std::uint64_t offset = 0;
};

// Reads valid HvLE entries from a new-format log until the first invalid one (the rest of the
// file is older data the log is reusing, or damage).
std::vector<LogEntry> read_log_entries(const LogInput& log, std::size_t index, Diagnostics& diag) {
  std::vector<LogEntry> out;
  ByteReader r(log.bytes);
  std::size_t pos = kLogSectorSize;
  while (r.starts_with(pos, "HvLE")) {
    std::uint32_t size = r.u32(pos + 4).value_or(0);
    if (size < kLogEntryHeader || size % kLogSectorSize != 0 || !r.has(pos, size)) {
      diag.warning(log.name, pos,
                   "log entry size " + std::to_string(size) +
                       " invalid or past the end of the log; replay stops here");
      break;
    }
    Bytes entry = log.bytes.subspan(pos, size);
    ByteReader e(entry);
    std::uint64_t hash1 = *e.u64(24), hash2 = *e.u64(32);
    if (marvin32(entry.subspan(0, 32)) != hash2 ||
        marvin32(entry.subspan(kLogEntryHeader)) != hash1) {
      // Normal at the end of a reused log: stale entries follow the live ones.
      diag.info(log.name, pos, "log entry hash mismatch; later entries in this log not used");
      break;
    }
    LogEntry le;
    le.sequence = *e.u32(12);
    le.hive_bins_size = *e.u32(16);
    le.page_count = *e.u32(20);
    le.log_index = index;
    le.offset = pos;
    std::size_t refs_size = std::size_t{le.page_count} * 8;
    if (kLogEntryHeader + refs_size > size || le.hive_bins_size % 4096 != 0 ||
        le.hive_bins_size > kMaxHiveBins) {
      diag.warning(log.name, pos,
                   "log entry header inconsistent (page count or hive bins size); "
                   "replay stops here");
      break;
    }
    if (!out.empty() && le.sequence <= out.back().sequence) {
      // A log is reused from its start: entries of an older generation follow the live ones.
      diag.info(log.name, pos,
                "log entry sequence number " + std::to_string(le.sequence) + " does not follow " +
                    std::to_string(out.back().sequence) + "; older entries from here on not used");
      break;
    }
    le.page_refs = entry.subspan(kLogEntryHeader, refs_size);
    le.pages = entry.subspan(kLogEntryHeader + refs_size);
    out.push_back(le);
    pos += size;
  }
  return out;
}

ReplayResult replay_new(std::vector<std::uint8_t>& hive, const BaseBlock& primary,
                        bool base_damaged, const std::vector<LogInput>& logs, Diagnostics& diag) {
  ReplayResult res;
  // By sequence number; where both logs hold one (they should not), the later log wins.
  std::map<std::uint32_t, LogEntry> entries;
  for (std::size_t i = 0; i < logs.size(); ++i) {
    auto bb = parse_base_block(ByteReader(logs[i].bytes));
    if (!bb || bb->file_type != static_cast<std::uint32_t>(FileType::kLogNew)) continue;
    for (auto& e : read_log_entries(logs[i], i, diag)) entries[e.sequence] = e;
  }
  // Pending entries: the hive's primary sequence number names the write that did not complete;
  // the entry at the secondary number was already written and re-applying it is harmless (its
  // pages are what the file holds). A first entry beyond the primary number means entries are
  // missing, and applying later ones over an older state would mix two states. When the
  // hive's base block was damaged its numbers say nothing: the run of consecutive entries that
  // ends with the newest one is applied.
  if (entries.empty()) return res;
  std::uint32_t from = primary.secondary_sequence;
  if (base_damaged) {
    from = entries.rbegin()->first;
    while (from > 0 && entries.count(from - 1)) --from;
  }
  auto it = entries.lower_bound(from);
  if (it == entries.end()) return res;
  if (!base_damaged && it->first > primary.primary_sequence) {
    diag.warning(logs[it->second.log_index].name, it->second.offset,
                 "first pending log entry has sequence number " + std::to_string(it->first) +
                     " but the hive expects " + std::to_string(primary.secondary_sequence) +
                     " or " + std::to_string(primary.primary_sequence) +
                     "; entries are missing, logs not applied");
    return res;
  }
  // Growth is bounded by what the logs carry: a hive cannot gain more bytes than the logs hold.
  std::size_t log_bytes = 0;
  for (auto& l : logs) log_bytes += l.bytes.size();
  const std::size_t max_bins = hive.size() + log_bytes;
  std::uint32_t expect = it->first;
  std::uint32_t bins_size = primary.hive_bins_size;
  res.first_sequence = expect;
  std::vector<bool> used(logs.size(), false);
  for (; it != entries.end() && it->first == expect; ++it, ++expect) {
    const LogEntry& e = it->second;
    if (e.hive_bins_size > max_bins) {
      diag.warning(logs[e.log_index].name, e.offset,
                   "log entry " + std::to_string(e.sequence) + ": hive bins size " +
                       std::to_string(e.hive_bins_size) +
                       " exceeds what the hive and logs hold; replay stops here");
      break;
    }
    ByteReader refs(e.page_refs);
    std::size_t data_pos = 0;
    bool ok = true;
    ensure_size(hive, kBaseBlockSize + std::size_t{e.hive_bins_size});
    for (std::uint32_t p = 0; p < e.page_count; ++p) {
      std::uint32_t off = *refs.u32(p * 8), size = *refs.u32(p * 8 + 4);
      if (std::size_t{off} + size > e.hive_bins_size || data_pos + size > e.pages.size()) {
        diag.warning(logs[e.log_index].name, e.offset,
                     "log entry " + std::to_string(e.sequence) + ": dirty page " + format_hex(off) +
                         "+" + std::to_string(size) +
                         " outside the hive bins or the entry; replay stops here");
        ok = false;
        break;
      }
      std::memcpy(hive.data() + kBaseBlockSize + off, e.pages.data() + data_pos, size);
      data_pos += size;
      ++res.pages;
    }
    if (!ok) break;
    bins_size = e.hive_bins_size;
    used[e.log_index] = true;
    ++res.entries;
    res.last_sequence = e.sequence;
  }
  if (res.entries == 0) return res;
  hive.resize(kBaseBlockSize + std::size_t{bins_size});
  finish_base_block(hive, res.last_sequence + 1, bins_size);
  res.applied = true;
  res.format = "new";
  for (std::size_t i = 0; i < logs.size(); ++i)
    if (used[i]) res.logs_used.push_back(logs[i].name);
  return res;
}

// Old format: base block copy, "DIRT" + bitmap (one bit per 512-byte page), then the pages.
bool replay_old_one(std::vector<std::uint8_t>& hive, const LogInput& log, const BaseBlock& lb,
                    ReplayResult& res, Diagnostics& diag) {
  ByteReader r(log.bytes);
  std::size_t sector =
      kLogSectorSize * std::max<std::uint32_t>(1, std::min(lb.clustering_factor, 8u));
  std::size_t dirt = r.starts_with(sector, "DIRT") ? sector : kLogSectorSize;
  if (!r.starts_with(dirt, "DIRT")) {
    diag.warning(log.name, kLogSectorSize,
                 "old-format log without \"DIRT\" dirty vector; not used");
    return false;
  }
  if (lb.hive_bins_size % 4096 != 0 || lb.hive_bins_size > kMaxHiveBins ||
      lb.hive_bins_size > hive.size() + log.bytes.size()) {
    diag.warning(log.name, 40, "old-format log: hive bins size invalid; not used");
    return false;
  }
  std::size_t bits = lb.hive_bins_size / 512;
  std::size_t bitmap_bytes = (bits + 7) / 8;
  auto bitmap = r.span(dirt + 4, bitmap_bytes);
  if (!bitmap) {
    diag.warning(log.name, dirt, "old-format log: dirty vector truncated; not used");
    return false;
  }
  std::size_t page_pos = align_up(dirt + 4 + bitmap_bytes, kLogSectorSize);
  ensure_size(hive, kBaseBlockSize + std::size_t{lb.hive_bins_size});
  for (std::size_t bit = 0; bit < bits; ++bit) {
    if (!((*bitmap)[bit / 8] & (1u << (bit % 8)))) continue;
    auto page = r.span(page_pos, 512);
    if (!page) {
      diag.warning(log.name, page_pos,
                   "old-format log: dirty page missing (log truncated); "
                   "pages after it not applied");
      break;
    }
    std::memcpy(hive.data() + kBaseBlockSize + bit * 512, page->data(), 512);
    page_pos += 512;
    ++res.pages;
  }
  hive.resize(kBaseBlockSize + std::size_t{lb.hive_bins_size});
  finish_base_block(hive, lb.secondary_sequence, lb.hive_bins_size);
  res.applied = true;
  res.format = "old";
  res.logs_used.push_back(log.name);
  res.first_sequence = res.last_sequence = lb.secondary_sequence;
  return true;
}

}  // namespace

ReplayResult replay_logs(std::vector<std::uint8_t>& hive, const std::vector<LogInput>& logs,
                         const std::string& hive_name, Diagnostics& diag) {
  ReplayResult res;
  auto primary = parse_base_block(ByteReader(hive.data(), hive.size()));
  if (!primary || !primary->dirty()) return res;
  bool any_new = false;
  for (auto& l : logs) {
    auto lb = parse_base_block(ByteReader(l.bytes));
    if (!lb) {
      diag.warning(l.name, 0, "transaction log has no \"regf\" base block; not used");
      continue;
    }
    if (lb->file_type == static_cast<std::uint32_t>(FileType::kLogNew)) any_new = true;
  }
  BaseBlock base = *primary;
  if (!primary->checksum_ok()) {
    // The primary base block is damaged: recover it from the newest valid log base block.
    const LogInput* best = nullptr;
    std::optional<BaseBlock> best_bb;
    for (auto& l : logs) {
      auto lb = parse_base_block(ByteReader(l.bytes));
      if (lb && lb->checksum_ok() &&
          (!best_bb || lb->primary_sequence > best_bb->primary_sequence)) {
        best = &l;
        best_bb = lb;
      }
    }
    if (best && hive.size() >= kBaseBlockSize) {
      std::memcpy(hive.data(), best->bytes.data(), kLogSectorSize);
      store_u32(hive, 28, 0);
      store_u32(hive, 508, base_block_checksum(hive.data()));
      base = *parse_base_block(ByteReader(hive.data(), hive.size()));
      diag.info(hive_name, 0, "damaged base block recovered from " + best->name);
    }
  }
  if (any_new) return replay_new(hive, base, !primary->checksum_ok(), logs, diag);
  // Old format: the applicable log carries the primary's last-written timestamp and is itself
  // complete (equal sequence numbers, good checksum).
  for (auto& l : logs) {
    auto lb = parse_base_block(ByteReader(l.bytes));
    if (!lb || lb->file_type == static_cast<std::uint32_t>(FileType::kPrimary)) continue;
    if (!lb->checksum_ok() || lb->primary_sequence != lb->secondary_sequence) {
      diag.info(l.name, 0, "old-format log is itself incomplete; not used");
      continue;
    }
    if (lb->last_written != base.last_written) {
      diag.info(l.name, 12,
                "old-format log belongs to another write of the hive (timestamp "
                "differs); not used");
      continue;
    }
    if (replay_old_one(hive, l, *lb, res, diag)) break;
  }
  return res;
}

std::vector<std::string> find_logs(const std::string& hive_path) {
  namespace fs = std::filesystem;
  std::vector<std::string> out;
  std::error_code ec;
  fs::path p(hive_path);
  fs::path dir = p.has_parent_path() ? p.parent_path() : fs::path(".");
  std::string base = p.filename().string();
  for (const char* suffix : {".LOG", ".LOG1", ".LOG2"}) {
    std::string want = base + suffix;
    fs::directory_iterator it(dir, ec), end;
    for (; !ec && it != end; it.increment(ec)) {
      std::string name = it->path().filename().string();
      if (!iequals(name, want)) continue;
      std::error_code ec2;
      if (it->is_regular_file(ec2) && fs::file_size(it->path(), ec2) > 0 && !ec2)
        out.push_back(it->path().string());
      break;
    }
  }
  return out;
}

}  // namespace kk::registry

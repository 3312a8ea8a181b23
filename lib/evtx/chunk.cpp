#include "evtx/chunk.hpp"

#include <cstring>

#include "core/byte_reader.hpp"
#include "core/crc32.hpp"
#include "evtx/structures.hpp"

namespace kk::evtx {
namespace {

std::string hex(std::uint64_t v) {
  char b[24];
  std::snprintf(b, sizeof b, "0x%llx", static_cast<unsigned long long>(v));
  return b;
}

bool all_zero(std::span<const std::uint8_t> b) {
  std::size_t i = 0;
  for (; i + 8 <= b.size(); i += 8) {
    std::uint64_t v;
    std::memcpy(&v, b.data() + i, 8);
    if (v) return false;
  }
  for (; i < b.size(); ++i)
    if (b[i]) return false;
  return true;
}

// Where the live records end: the free-space offset when it is sane, else the
// end of the block (records are then read until the first that does not parse).
std::size_t live_limit(const ChunkHeader& h, std::size_t block_size, bool* sane) {
  *sane = h.free_space_offset >= kChunkHeaderSize && h.free_space_offset <= block_size;
  return *sane ? h.free_space_offset : block_size;
}

// A carved record must look like a record: consistent header, a plausible write
// time (1990..2100) and a BinXML fragment header.
bool plausible_record(std::span<const std::uint8_t> block, std::size_t pos, RecordHeader& rh) {
  auto h = read_record_header(block, pos);
  if (!h || h->size > kChunkSize) return false;
  constexpr std::uint64_t k1990 = 0x01B41E2A18D64000ULL, k2100 = 0x022F716377640000ULL;
  if (h->written_time < k1990 || h->written_time > k2100) return false;
  const std::uint8_t* p = block.data() + pos + kRecordHeaderSize;
  if (p[0] != 0x0f || p[1] != 0x01 || p[2] != 0x01) return false;
  rh = *h;
  return true;
}

class ChunkReader {
 public:
  ChunkReader(const ChunkTask& t, const RenderOptions& ro, ChunkContext& ctx, ChunkOutput& out)
      : t_(t), ro_(ro), ctx_(ctx), out_(out) {}

  void note(std::uint64_t chunk_off, std::string msg, Severity s = Severity::kWarning) {
    out_.notes.push_back({s, t_.file_offset + chunk_off,
                          "chunk " + std::to_string(t_.index) + ": " + std::move(msg)});
  }

  // Parses and renders the record at POS. Returns false when its BinXML is damaged.
  bool record(std::size_t pos, const RecordHeader& rh, bool recovered) {
    CompileError err;
    std::int32_t first = compile_record(ctx_, static_cast<std::uint32_t>(pos + kRecordHeaderSize),
                                        static_cast<std::uint32_t>(pos + rh.size - 4), &err);
    if (first == -2) {
      if (!recovered) {
        ++out_.damaged;
        note(err.offset, "record " + std::to_string(rh.record_id) + " at " +
                             hex(t_.file_offset + pos) + ": " + err.message + ", skipped");
      }
      return false;
    }
    RecordMeta m;
    m.record_id = rh.record_id;
    m.written_time = rh.written_time;
    m.chunk = t_.index;
    m.offset = t_.file_offset + pos;
    m.recovered = recovered;
    std::size_t begin = out_.text.size();
    if (render_record(ctx_, first, m, ro_, out_.text) == RenderResult::kFiltered) {
      ++out_.filtered;
      return true;
    }
    if (recovered)
      out_.carved.push_back({rh.record_id, rh.written_time, begin, out_.text.size()});
    else
      ++out_.records;
    return true;
  }

  // A record whose size fields are wrong (0 in sample-with-zero-data-size-event.evtx)
  // but whose signature is right: its extent is up to the next record. Returns true
  // when its BinXML parses that way.
  bool sized_by_next_record(std::size_t pos, std::size_t next) {
    auto b = t_.block;
    // Only between two records: a half-written last record (its size copy missing,
    // values all zero, HelloForBusiness%4Operational.evtx) is not a record.
    if (next >= limit_ || next - pos < kRecordHeaderSize + 8 || b[pos] != 0x2a ||
        b[pos + 1] != 0x2a || b[pos + 2] || b[pos + 3])
      return false;
    RecordHeader rh;
    rh.size = static_cast<std::uint32_t>(next - pos);
    rh.record_id = ByteReader::load<std::uint64_t>(b.data() + pos + 8);
    rh.written_time = ByteReader::load<std::uint64_t>(b.data() + pos + 16);
    CompileError err;
    if (compile_record(ctx_, static_cast<std::uint32_t>(pos + kRecordHeaderSize),
                       static_cast<std::uint32_t>(next), &err) == -2)
      return false;
    note(pos, "record " + std::to_string(rh.record_id) + " at " + hex(t_.file_offset + pos) +
                  ": size field " + hex(ByteReader::load<std::uint32_t>(b.data() + pos + 4)) +
                  " is wrong, read up to the next record");
    rh.size += 4;  // record() leaves out a trailing size copy that this record does not have
    record(pos, rh, false);
    return true;
  }

  // Finds the next position in [from, limit) where a record header is consistent.
  std::size_t resync(std::span<const std::uint8_t> b, std::size_t from, std::size_t limit) {
    for (std::size_t p = from; p + kRecordHeaderSize + 4 <= limit; ++p) {
      const void* hit = std::memchr(b.data() + p, 0x2a, limit - p);
      if (!hit) return limit;
      p = static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - b.data());
      if (p + kRecordHeaderSize + 4 > limit) return limit;
      auto h = read_record_header(b.first(limit), p);
      if (h) return p;
    }
    return limit;
  }

  // Carves records from [from, to) of the block (slack, unused or damaged areas).
  void carve(std::size_t from, std::size_t to) {
    auto b = t_.block;
    std::size_t p = from;
    while (p + kRecordHeaderSize + 8 <= to) {
      const void* hit = std::memchr(b.data() + p, 0x2a, to - p);
      if (!hit) break;
      p = static_cast<std::size_t>(static_cast<const std::uint8_t*>(hit) - b.data());
      RecordHeader rh;
      if (p + kRecordHeaderSize + 8 <= to && plausible_record(b.first(to), p, rh) &&
          record(p, rh, true)) {
        p += rh.size;
      } else {
        ++p;
      }
    }
  }

  void run() {
    auto b = t_.block;
    if (b.size() < kChunkHeaderSize || !has_chunk_magic(b)) {
      if (all_zero(b)) return;  // never used
      out_.bad = true;
      if (b.size() < kChunkHeaderSize) {
        note(0, "truncated chunk of " + std::to_string(b.size()) + " bytes" +
                    (t_.recover ? ", carving records" : ", skipped"));
      } else {
        std::string magic;
        for (int i = 0; i < 8; ++i) {
          unsigned c = b[static_cast<std::size_t>(i)];
          if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\')
            magic.push_back(static_cast<char>(c));
          else
            magic += "\\x" + std::string{"0123456789abcdef"[c >> 4], "0123456789abcdef"[c & 15]};
        }
        note(0, "bad magic \"" + magic + "\"" + (t_.recover ? ", carving records" : ", skipped"));
      }
      if (t_.recover) {
        ctx_.reset(b);
        carve(0, b.size());
      }
      return;
    }
    ctx_.reset(b.first(std::min(b.size(), t_.loaded)));
    out_.parsed = true;
    ChunkHeader h = parse_chunk_header(b);
    if (b.size() < kChunkSize)
      note(b.size(), "chunk truncated to " + std::to_string(b.size()) + " bytes");
    if (t_.check_crc && chunk_header_crc(b) != h.header_checksum)
      note(124, "chunk header checksum mismatch (stored " + hex(h.header_checksum) + ", computed " +
                    hex(chunk_header_crc(b)) + "), parsed anyway");
    bool sane;
    std::size_t limit = live_limit(h, b.size(), &sane);
    limit_ = limit;
    if (!sane)
      note(48, "free space offset " + hex(h.free_space_offset) +
                   " is invalid, reading records to the end");
    if (t_.check_crc && sane &&
        crc32(0, b.data() + kChunkHeaderSize, limit - kChunkHeaderSize) != h.records_checksum)
      note(52, "event records checksum mismatch, parsed anyway");

    std::size_t pos = kChunkHeaderSize;
    while (pos + kRecordHeaderSize + 4 <= limit) {
      auto rh = read_record_header(b.first(limit), pos);
      if (!rh) {
        if (!sane) break;  // end of records in a chunk whose end we do not know
        std::size_t next = resync(b, pos + 1, limit);
        if (sized_by_next_record(pos, next)) {
          pos = next;
          continue;
        }
        ++out_.damaged;
        note(pos, "corrupt record header at " + hex(t_.file_offset + pos) + ", skipped " +
                      std::to_string(next - pos) + " bytes");
        pos = next;
        continue;
      }
      record(pos, *rh, false);
      pos += rh->size;
    }
    out_.live_end = out_.text.size();
    if (t_.recover) carve(pos, b.size());
  }

 private:
  const ChunkTask& t_;
  const RenderOptions& ro_;
  ChunkContext& ctx_;
  ChunkOutput& out_;
  std::size_t limit_ = 0;  // end of the live records
};

}  // namespace

void process_chunk(const ChunkTask& task, const RenderOptions& ropt, ChunkContext& ctx,
                   ChunkOutput& out) {
  out.clear();
  ChunkReader(task, ropt, ctx, out).run();
  if (!out.parsed) out.live_end = 0;
}

void live_record_runs(std::span<const std::uint8_t> b, std::vector<LiveRun>& runs) {
  if (b.size() < kChunkHeaderSize || !has_chunk_magic(b)) return;
  ChunkHeader h = parse_chunk_header(b);
  bool sane;
  std::size_t limit = live_limit(h, b.size(), &sane);
  std::size_t pos = kChunkHeaderSize;
  while (pos + kRecordHeaderSize + 4 <= limit) {
    auto rh = read_record_header(b.first(limit), pos);
    if (!rh) break;
    if (!runs.empty() && runs.back().last_id + 1 == rh->record_id) {
      LiveRun& r = runs.back();
      r.last_id = rh->record_id;
      r.min_time = std::min(r.min_time, rh->written_time);
      r.max_time = std::max(r.max_time, rh->written_time);
    } else {
      runs.push_back({rh->record_id, rh->record_id, rh->written_time, rh->written_time});
    }
    pos += rh->size;
  }
}

}  // namespace kk::evtx

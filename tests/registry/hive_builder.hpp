// Builds small REGF hives and transaction logs in memory, written independently of
// lib/registry from the format documentation, so tests can state facts about hives the corpus
// lacks (SYSTEM, SOFTWARE, dirty hives with logs).
#pragma once

#include <algorithm>
#include <cctype>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>

#include "registry/marvin32.hpp"

namespace kk_test {

struct BuildValue {
  std::string name;
  std::uint32_t type;
  std::vector<std::uint8_t> data;
};

struct BuildKey {
  std::string name;
  std::uint64_t last_written = 0x01D8000000000000ULL;  // a FILETIME in 2021
  std::vector<BuildValue> values;
  std::vector<BuildKey> subkeys;
  BuildKey& sub(const std::string& n) {
    for (auto& k : subkeys)
      if (k.name == n) return k;
    subkeys.push_back({n});
    return subkeys.back();
  }
  // Creates (or finds) the key at a backslash path below this one.
  BuildKey& path(const std::string& p) {
    BuildKey* k = this;
    std::size_t s = 0;
    while (s <= p.size()) {
      std::size_t e = p.find('\\', s);
      if (e == std::string::npos) e = p.size();
      if (e > s) k = &k->sub(p.substr(s, e - s));
      s = e + 1;
    }
    return *k;
  }
};

inline std::vector<std::uint8_t> utf16z(const std::string& ascii) {
  std::vector<std::uint8_t> b;
  for (char c : ascii) {
    b.push_back(static_cast<std::uint8_t>(c));
    b.push_back(0);
  }
  b.push_back(0);
  b.push_back(0);
  return b;
}
inline std::vector<std::uint8_t> le32(std::uint32_t v) {
  return {static_cast<std::uint8_t>(v), static_cast<std::uint8_t>(v >> 8),
          static_cast<std::uint8_t>(v >> 16), static_cast<std::uint8_t>(v >> 24)};
}
inline std::vector<std::uint8_t> le64(std::uint64_t v) {
  std::vector<std::uint8_t> b;
  for (int i = 0; i < 8; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  return b;
}
inline BuildValue sz(const std::string& n, const std::string& v) {
  return {n, 1, utf16z(v)};
}
inline BuildValue dword(const std::string& n, std::uint32_t v) {
  return {n, 4, le32(v)};
}
inline BuildValue qword(const std::string& n, std::uint64_t v) {
  return {n, 11, le64(v)};
}
inline BuildValue binary(const std::string& n, std::vector<std::uint8_t> v) {
  return {n, 3, std::move(v)};
}

inline void put32(std::vector<std::uint8_t>& b, std::size_t off, std::uint32_t v) {
  std::memcpy(b.data() + off, &v, 4);
}
inline void put16(std::vector<std::uint8_t>& b, std::size_t off, std::uint16_t v) {
  std::memcpy(b.data() + off, &v, 2);
}
inline void put64(std::vector<std::uint8_t>& b, std::size_t off, std::uint64_t v) {
  std::memcpy(b.data() + off, &v, 8);
}

inline std::uint32_t xor_checksum(const std::vector<std::uint8_t>& b) {
  std::uint32_t x = 0;
  for (std::size_t i = 0; i < 508; i += 4) {
    std::uint32_t w;
    std::memcpy(&w, b.data() + i, 4);
    x ^= w;
  }
  return x == 0 ? 1 : (x == 0xFFFFFFFFu ? 0xFFFFFFFEu : x);
}

class HiveWriter {
 public:
  std::vector<std::uint8_t> build(const BuildKey& root, std::uint32_t seq1, std::uint32_t seq2) {
    bins_.assign(32, 0);
    std::uint32_t root_off = write_key(root, 0xFFFFFFFFu, true);
    // One hive bin, padded to 4096 with a trailing free cell.
    std::size_t size = (bins_.size() + 8 + 4095) / 4096 * 4096;
    std::size_t free_at = bins_.size();
    bins_.resize(size, 0);
    put32(bins_, free_at, static_cast<std::uint32_t>(size - free_at));
    std::memcpy(bins_.data(), "hbin", 4);
    put32(bins_, 4, 0);
    put32(bins_, 8, static_cast<std::uint32_t>(size));
    std::vector<std::uint8_t> file(4096, 0);
    std::memcpy(file.data(), "regf", 4);
    put32(file, 4, seq1);
    put32(file, 8, seq2);
    put64(file, 12, 0x01D8111111111111ULL);
    put32(file, 20, 1);
    put32(file, 24, 5);
    put32(file, 28, 0);
    put32(file, 32, 1);
    put32(file, 36, root_off);
    put32(file, 40, static_cast<std::uint32_t>(size));
    put32(file, 44, 1);
    put32(file, 508, xor_checksum(file));
    file.insert(file.end(), bins_.begin(), bins_.end());
    return file;
  }

 private:
  std::uint32_t alloc(std::size_t data_size) {
    std::size_t size = (data_size + 4 + 7) / 8 * 8;
    std::uint32_t off = static_cast<std::uint32_t>(bins_.size());
    bins_.resize(bins_.size() + size, 0);
    put32(bins_, off, static_cast<std::uint32_t>(-static_cast<std::int32_t>(size)));
    return off;
  }
  std::uint32_t write_data(const std::vector<std::uint8_t>& d) {
    constexpr std::size_t kSeg = 16344;
    if (d.size() <= kSeg) {
      std::uint32_t c = alloc(d.size());
      std::copy(d.begin(), d.end(), bins_.begin() + c + 4);
      return c;
    }
    std::vector<std::uint32_t> segs;
    for (std::size_t p = 0; p < d.size(); p += kSeg) {
      std::size_t n = std::min(kSeg, d.size() - p);
      std::uint32_t c = alloc(n);
      std::copy(d.begin() + static_cast<std::ptrdiff_t>(p),
                d.begin() + static_cast<std::ptrdiff_t>(p + n), bins_.begin() + c + 4);
      segs.push_back(c);
    }
    std::uint32_t list = alloc(segs.size() * 4);
    for (std::size_t i = 0; i < segs.size(); ++i) put32(bins_, list + 4 + i * 4, segs[i]);
    std::uint32_t db = alloc(8);
    std::memcpy(bins_.data() + db + 4, "db", 2);
    put16(bins_, db + 6, static_cast<std::uint16_t>(segs.size()));
    put32(bins_, db + 8, list);
    return db;
  }
  std::uint32_t write_value(const BuildValue& v) {
    std::uint32_t c = alloc(20 + v.name.size());
    std::size_t p = c + 4;
    std::memcpy(bins_.data() + p, "vk", 2);
    put16(bins_, p + 2, static_cast<std::uint16_t>(v.name.size()));
    put32(bins_, p + 12, v.type);
    put16(bins_, p + 16, 1);  // ASCII name
    std::memcpy(bins_.data() + p + 20, v.name.data(), v.name.size());
    if (v.data.size() <= 4) {
      put32(bins_, p + 4, 0x80000000u | static_cast<std::uint32_t>(v.data.size()));
      std::memcpy(bins_.data() + p + 8, v.data.data(), v.data.size());
    } else {
      std::uint32_t d = write_data(v.data);
      put32(bins_, c + 4 + 4, static_cast<std::uint32_t>(v.data.size()));
      put32(bins_, c + 4 + 8, d);
    }
    return c;
  }
  static std::uint32_t name_hash(const std::string& n) {
    std::uint32_t h = 0;
    for (char ch : n)
      h = 37 * h + static_cast<std::uint32_t>(std::toupper(static_cast<unsigned char>(ch)));
    return h;
  }
  std::uint32_t write_key(const BuildKey& k, std::uint32_t parent, bool root) {
    std::uint32_t c = alloc(76 + k.name.size());
    std::size_t p = c + 4;
    std::memcpy(bins_.data() + p, "nk", 2);
    put16(bins_, p + 2, static_cast<std::uint16_t>(0x20 | (root ? 0x0C : 0)));
    put64(bins_, p + 4, k.last_written);
    put32(bins_, p + 16, parent);
    put32(bins_, p + 20, static_cast<std::uint32_t>(k.subkeys.size()));
    put32(bins_, p + 28, 0xFFFFFFFFu);
    put32(bins_, p + 32, 0xFFFFFFFFu);
    put32(bins_, p + 36, static_cast<std::uint32_t>(k.values.size()));
    put32(bins_, p + 40, 0xFFFFFFFFu);
    put32(bins_, p + 44, 0xFFFFFFFFu);
    put32(bins_, p + 48, 0xFFFFFFFFu);
    put16(bins_, p + 72, static_cast<std::uint16_t>(k.name.size()));
    std::memcpy(bins_.data() + p + 76, k.name.data(), k.name.size());
    if (!k.values.empty()) {
      std::vector<std::uint32_t> offs;
      for (auto& v : k.values) offs.push_back(write_value(v));
      std::uint32_t list = alloc(offs.size() * 4);
      for (std::size_t i = 0; i < offs.size(); ++i) put32(bins_, list + 4 + i * 4, offs[i]);
      put32(bins_, c + 4 + 40, list);
    }
    if (!k.subkeys.empty()) {
      std::vector<const BuildKey*> sorted;
      for (auto& s : k.subkeys) sorted.push_back(&s);
      auto upper = [](std::string s) {
        for (char& ch : s) ch = static_cast<char>(std::toupper(static_cast<unsigned char>(ch)));
        return s;
      };
      std::sort(sorted.begin(), sorted.end(),
                [&](auto* a, auto* b) { return upper(a->name) < upper(b->name); });
      std::vector<std::pair<std::uint32_t, std::uint32_t>> entries;
      for (auto* s : sorted) entries.push_back({write_key(*s, c, false), name_hash(s->name)});
      std::uint32_t list = alloc(4 + entries.size() * 8);
      std::memcpy(bins_.data() + list + 4, "lh", 2);
      put16(bins_, list + 6, static_cast<std::uint16_t>(entries.size()));
      for (std::size_t i = 0; i < entries.size(); ++i) {
        put32(bins_, list + 8 + i * 8, entries[i].first);
        put32(bins_, list + 12 + i * 8, entries[i].second);
      }
      put32(bins_, c + 4 + 28, list);
    }
    return c;
  }
  std::vector<std::uint8_t> bins_;
};

inline std::vector<std::uint8_t> build_hive(const BuildKey& root, std::uint32_t seq1 = 1,
                                            std::uint32_t seq2 = 1) {
  return HiveWriter().build(root, seq1, seq2);
}

struct LogPage {
  std::uint32_t offset;  // in the hive bins data
  std::vector<std::uint8_t> bytes;
};

// Pages (4096 bytes each) where AFTER's hive bins differ from BEFORE's (or lie past its end).
inline std::vector<LogPage> changed_pages(const std::vector<std::uint8_t>& before,
                                          const std::vector<std::uint8_t>& after) {
  std::vector<LogPage> pages;
  for (std::size_t off = 4096; off < after.size(); off += 4096) {
    bool same = off + 4096 <= before.size() &&
                std::memcmp(before.data() + off, after.data() + off, 4096) == 0;
    if (!same)
      pages.push_back(
          {static_cast<std::uint32_t>(off - 4096),
           std::vector<std::uint8_t>(after.begin() + static_cast<std::ptrdiff_t>(off),
                                     after.begin() + static_cast<std::ptrdiff_t>(off + 4096))});
  }
  return pages;
}

// Log base block: the first 512 bytes of HIVE's base block with the given file type and
// sequence numbers, checksum recomputed.
inline std::vector<std::uint8_t> log_base_block(const std::vector<std::uint8_t>& hive,
                                                std::uint32_t type, std::uint32_t seq) {
  std::vector<std::uint8_t> b(hive.begin(), hive.begin() + 512);
  put32(b, 4, seq);
  put32(b, 8, seq);
  put32(b, 28, type);
  put32(b, 508, xor_checksum(b));
  return b;
}

// Appends one HvLE entry (new format) to LOG.
inline void append_log_entry(std::vector<std::uint8_t>& log, std::uint32_t seq,
                             std::uint32_t bins_size, const std::vector<LogPage>& pages) {
  std::vector<std::uint8_t> e(40, 0);
  std::memcpy(e.data(), "HvLE", 4);
  for (auto& p : pages) {
    auto o = le32(p.offset), s = le32(static_cast<std::uint32_t>(p.bytes.size()));
    e.insert(e.end(), o.begin(), o.end());
    e.insert(e.end(), s.begin(), s.end());
  }
  for (auto& p : pages) e.insert(e.end(), p.bytes.begin(), p.bytes.end());
  e.resize((e.size() + 511) / 512 * 512, 0);
  put32(e, 4, static_cast<std::uint32_t>(e.size()));
  put32(e, 8, 0);
  put32(e, 12, seq);
  put32(e, 16, bins_size);
  put32(e, 20, static_cast<std::uint32_t>(pages.size()));
  put64(e, 24, kk::registry::marvin32(kk::Bytes(e.data() + 40, e.size() - 40)));
  put64(e, 32, kk::registry::marvin32(kk::Bytes(e.data(), 32)));
  log.insert(log.end(), e.begin(), e.end());
}

}  // namespace kk_test

// Builds uncompressed prefetch (SCCA) data of any known version from field values,
// following the libscca format description independently of lib/prefetch, and
// wraps it in a MAM container. Tests use it for what the corpus lacks: version 31,
// version 30 variant 2, "MAM\x84" and deliberate damage.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "../compress/xpress_test_encoder.hpp"
#include "core/crc32.hpp"

namespace kk_test {

struct SccaSpec {
  std::uint32_t version = 31;
  bool v30_variant1 = false;  // version 30: the 220-byte file information
  std::string executable = "NOTEPAD.EXE";
  std::uint32_t hash = 0xD8414F97;
  std::uint32_t run_count = 0;
  std::vector<std::uint64_t> last_run_filetimes;  // up to 8 (1 for v17/v23)
  struct File {
    std::string path;
    std::uint64_t reference = 0;
  };
  std::vector<File> files;
  struct Volume {
    std::string device_path;
    std::uint64_t created_filetime = 0;
    std::uint32_t serial = 0;
    std::vector<std::string> directories;
    std::vector<std::uint64_t> references;
  };
  std::vector<Volume> volumes;
};

class ByteWriter {
 public:
  std::vector<std::uint8_t> b;
  std::size_t size() const { return b.size(); }
  void u16(std::uint16_t v) { put(v, 2); }
  void u32(std::uint32_t v) { put(v, 4); }
  void u64(std::uint64_t v) { put(v, 8); }
  void zeros(std::size_t n) { b.insert(b.end(), n, 0); }
  void set32(std::size_t at, std::uint32_t v) {
    for (int i = 0; i < 4; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
  }
  void set64(std::size_t at, std::uint64_t v) {
    for (int i = 0; i < 8; ++i) b[at + i] = static_cast<std::uint8_t>(v >> (8 * i));
  }
  // UTF-8 (BMP only) as UTF-16LE; returns the number of UTF-16 characters.
  std::uint32_t utf16(const std::string& s, bool nul) {
    std::uint32_t n = 0;
    for (std::size_t i = 0; i < s.size();) {
      auto c = static_cast<unsigned char>(s[i]);
      std::uint32_t cp;
      if (c < 0x80)
        cp = c, i += 1;
      else if (c < 0xE0)
        cp = ((c & 0x1Fu) << 6) | (s[i + 1] & 0x3Fu), i += 2;
      else
        cp = ((c & 0x0Fu) << 12) | ((s[i + 1] & 0x3Fu) << 6) | (s[i + 2] & 0x3Fu), i += 3;
      u16(static_cast<std::uint16_t>(cp));
      ++n;
    }
    if (nul) u16(0);
    return n;
  }

 private:
  void put(std::uint64_t v, int n) {
    for (int i = 0; i < n; ++i) b.push_back(static_cast<std::uint8_t>(v >> (8 * i)));
  }
};

inline std::vector<std::uint8_t> build_scca(const SccaSpec& s) {
  // Sizes per version (libscca): file information, last run slot offset and count,
  // run count offset, metrics entry size, volume entry size.
  std::size_t info = 0, last_run = 44, slots = 8, run_count = 124, metric = 32, volume = 96;
  switch (s.version) {
    case 17:
      info = 68, last_run = 36, slots = 1, run_count = 60, metric = 20, volume = 40;
      break;
    case 23:
      info = 156, slots = 1, run_count = 68, volume = 104;
      break;
    case 26:
      info = 220, volume = 104;
      break;
    case 30:
      info = s.v30_variant1 ? 220 : 212, run_count = s.v30_variant1 ? 124 : 116;
      break;
    default:
      info = 212, run_count = 116;
      break;  // 31 and later: as v30 variant 2
  }
  ByteWriter w;
  w.u32(s.version);
  w.b.insert(w.b.end(), {'S', 'C', 'C', 'A'});
  w.u32(s.version == 17 ? 0x0F : 0x11);
  w.u32(0);  // file size, set at the end
  const std::size_t name_at = w.size();
  w.utf16(s.executable, true);
  w.zeros(name_at + 60 - w.size());
  w.u32(s.hash);
  w.u32(0);
  const std::size_t fi = w.size();
  w.zeros(info);
  for (std::size_t i = 0; i < s.last_run_filetimes.size() && i < slots; ++i)
    w.set64(fi + last_run + 8 * i, s.last_run_filetimes[i]);
  w.set32(fi + run_count, s.run_count);

  // File metrics, filled once the string offsets are known.
  const std::size_t metrics = w.size();
  w.zeros(metric * s.files.size());
  w.set32(fi + 0, static_cast<std::uint32_t>(metrics));
  w.set32(fi + 4, static_cast<std::uint32_t>(s.files.size()));
  w.set32(fi + 8, static_cast<std::uint32_t>(w.size()));  // no trace chains
  const std::size_t names = w.size();
  for (std::size_t i = 0; i < s.files.size(); ++i) {
    const std::size_t e = metrics + i * metric;
    const auto off = static_cast<std::uint32_t>(w.size() - names);
    const std::uint32_t chars = w.utf16(s.files[i].path, true);
    w.set32(e + (metric == 20 ? 8 : 12), off);
    w.set32(e + (metric == 20 ? 12 : 16), chars);
    if (metric == 32) w.set64(e + 24, s.files[i].reference);
  }
  w.set32(fi + 16, static_cast<std::uint32_t>(names));
  w.set32(fi + 20, static_cast<std::uint32_t>(w.size() - names));
  while (w.size() % 8) w.u16(0);

  const std::size_t vols = w.size();
  w.zeros(volume * s.volumes.size());
  for (std::size_t i = 0; i < s.volumes.size(); ++i) {
    const auto& v = s.volumes[i];
    const std::size_t e = vols + i * volume;
    w.set32(e + 0, static_cast<std::uint32_t>(w.size() - vols));
    w.set32(e + 4, w.utf16(v.device_path, true));
    w.set64(e + 8, v.created_filetime);
    w.set32(e + 16, v.serial);
    const std::size_t refs = w.size();
    w.u32(s.version == 17 ? 1 : 3);
    w.u32(static_cast<std::uint32_t>(v.references.size()));
    if (s.version != 17) w.u64(0);
    for (auto r : v.references) w.u64(r);
    w.set32(e + 20, static_cast<std::uint32_t>(refs - vols));
    w.set32(e + 24, static_cast<std::uint32_t>(w.size() - refs));
    w.set32(e + 28, static_cast<std::uint32_t>(w.size() - vols));
    w.set32(e + 32, static_cast<std::uint32_t>(v.directories.size()));
    for (const auto& d : v.directories) {
      const std::size_t len_at = w.size();
      w.u16(0);
      const std::uint32_t chars = w.utf16(d, true);
      w.b[len_at] = static_cast<std::uint8_t>(chars);
      w.b[len_at + 1] = static_cast<std::uint8_t>(chars >> 8);
    }
  }
  w.set32(fi + 24, static_cast<std::uint32_t>(vols));
  w.set32(fi + 28, static_cast<std::uint32_t>(s.volumes.size()));
  w.set32(fi + 32, static_cast<std::uint32_t>(w.size() - vols));
  w.set32(12, static_cast<std::uint32_t>(w.size()));
  return w.b;
}

// MAM container around DATA: literal-only LZXPRESS Huffman, a new block every
// 65536 bytes; with CRC the signature is "MAM\x84" and the CRC32 covers the header
// (checksum zeroed) and the compressed data.
inline std::vector<std::uint8_t> build_mam(const std::vector<std::uint8_t>& data, bool with_crc) {
  XpressTestEncoder enc;
  for (std::size_t i = 0; i < data.size(); ++i) {
    if (i % 65536 == 0) enc.begin_block(XpressTestEncoder::uniform());
    enc.literal(data[i]);
  }
  enc.end_of_stream();
  ByteWriter w;
  w.b = {'M', 'A', 'M', static_cast<std::uint8_t>(with_crc ? 0x84 : 0x04)};
  w.u32(static_cast<std::uint32_t>(data.size()));
  if (with_crc) {
    std::vector<std::uint8_t> head(w.b);
    head.insert(head.end(), 4, 0);
    std::uint32_t crc = kk::crc32(0, head);
    w.u32(kk::crc32(crc, enc.bytes()));
  }
  w.b.insert(w.b.end(), enc.bytes().begin(), enc.bytes().end());
  return w.b;
}

}  // namespace kk_test

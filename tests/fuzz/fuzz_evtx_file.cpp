// libFuzzer target: an arbitrary byte string as an EVTX file, parsed with every
// option (--xml, --recover, CSV) through the public interface. The input's last byte
// picks the options (it stays part of the file: a real EVTX seed, whose last byte is
// chunk slack, parses whole with the default options). With its bit 0 set the input is
// written behind a valid file header, so that the chunk parser sees most of the inputs.
#include <unistd.h>

#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string>

#include "core/diagnostics.hpp"
#include "evtx/evtx.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static std::string path = [] {
    char tmpl[] = "/tmp/fuzz-evtx-XXXXXX";
    int fd = mkstemp(tmpl);
    if (fd >= 0) close(fd);
    return std::string(tmpl);
  }();
  if (size < 1) return 0;
  const std::uint8_t mode = data[size - 1];
  std::FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return 0;
  if (mode & 1) {  // a file header (format 3.1, 4096 bytes) in front of the input
    std::uint8_t hdr[4096] = {};
    std::memcpy(hdr, "ElfFile", 8);
    hdr[32] = 128;
    hdr[36] = 1;
    hdr[38] = 3;
    hdr[41] = 0x10;  // header block size 4096
    hdr[42] = 1;
    std::fwrite(hdr, 1, sizeof hdr, f);
  }
  std::fwrite(data, 1, size, f);
  std::fclose(f);
  kk::evtx::Options opt;
  opt.xml = mode & 2;
  opt.recover = mode & 4;
  opt.format = (mode & 8) ? kk::evtx::Format::kCsv : kk::evtx::Format::kJsonl;
  opt.jobs = 1;
  kk::Diagnostics diag("parse-evtx");
  diag.set_stderr_limit(0);
  std::size_t bytes = 0;
  kk::evtx::parse_file(path, opt, diag, [&](std::string_view s) { bytes += s.size(); });
  return 0;
}

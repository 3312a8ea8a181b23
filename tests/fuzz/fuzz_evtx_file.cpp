// libFuzzer target: an arbitrary byte string as an EVTX file, parsed with every
// option (--xml, --recover, CSV) through the public interface. The input's last byte
// picks the options (it stays part of the file: a real EVTX seed, whose last byte is
// chunk slack, parses whole with the default options). With its bit 0 set the input is
// written behind a valid file header, so that the chunk parser sees most of the inputs.
// The file is rewritten per input in tmpfs (scratch.hpp).
#include <cstdint>
#include <cstring>
#include <string>

#include "core/diagnostics.hpp"
#include "evtx/evtx.hpp"
#include "scratch.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  static const std::string path = kk_fuzz::scratch_dir() + "/fuzz.evtx";
  // A file header (format 3.1, 4096 bytes) put in front of the input when its mode says so.
  static const auto header = [] {
    static std::uint8_t hdr[4096] = {};
    std::memcpy(hdr, "ElfFile", 8);
    hdr[32] = 128;
    hdr[36] = 1;
    hdr[38] = 3;
    hdr[41] = 0x10;  // header block size 4096
    hdr[42] = 1;
    return hdr;
  }();
  if (size < 1) return 0;
  const std::uint8_t mode = data[size - 1];
  if (!kk_fuzz::write_file(path, header, (mode & 1) ? 4096 : 0, data, size)) return 0;
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

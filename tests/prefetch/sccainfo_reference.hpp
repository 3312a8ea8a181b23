// Reads the text that libscca's sccainfo prints (the corpus reference outputs) into
// fields the conformance tests compare one by one.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace kk_test {

struct SccaInfoVolume {
  std::string device_path;
  std::optional<std::int64_t> created;  // UTC microseconds (100 ns digit dropped)
  std::uint32_t serial = 0;
};

struct SccaInfoReference {
  int exit_code = -1;
  std::uint32_t version = 0;
  std::uint32_t prefetch_hash = 0;
  std::string executable;
  std::uint32_t run_count = 0;
  std::vector<std::int64_t> last_run_times;  // "Not set" slots left out
  std::size_t number_of_filenames = 0;
  std::vector<std::string> filenames;
  std::size_t number_of_volumes = 0;
  std::vector<SccaInfoVolume> volumes;
  std::string stderr_text;
};

// Parses the file at PATH; nullopt if it cannot be read.
std::optional<SccaInfoReference> read_sccainfo_reference(const std::string& path);

// "Jan 11, 2016 22:08:20.985330400 UTC" to microseconds since 1970; nullopt for
// "Not set (0)" or anything unreadable.
std::optional<std::int64_t> parse_sccainfo_time(const std::string& text);

}  // namespace kk_test

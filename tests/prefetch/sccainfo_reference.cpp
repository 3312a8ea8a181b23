#include "sccainfo_reference.hpp"

#include <cstdio>
#include <fstream>
#include <sstream>

#include "core/time.hpp"

namespace kk_test {
namespace {

std::string trim(const std::string& s) {
  const auto b = s.find_first_not_of(" \t\r");
  if (b == std::string::npos) return "";
  const auto e = s.find_last_not_of(" \t\r");
  return s.substr(b, e - b + 1);
}

}  // namespace

std::optional<std::int64_t> parse_sccainfo_time(const std::string& text) {
  static const char* kMonths[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                  "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  char mon[4] = {};
  int day, year, h, m, s;
  char frac[16] = {};
  if (std::sscanf(text.c_str(), "%3s %d, %d %d:%d:%d.%15[0-9] UTC", mon, &day, &year, &h, &m, &s,
                  frac) != 7)
    return std::nullopt;
  unsigned month = 0;
  for (unsigned i = 0; i < 12; ++i)
    if (std::string(mon) == kMonths[i]) month = i + 1;
  if (month == 0) return std::nullopt;
  std::string f(frac);
  f.resize(6, '0');  // 100 ns resolution printed; microseconds kept (truncated)
  const std::int64_t days = kk::days_from_civil(year, month, static_cast<unsigned>(day));
  return ((days * 24 + h) * 60 + m) * 60'000'000LL + s * 1'000'000LL + std::stoll(f);
}

std::optional<SccaInfoReference> read_sccainfo_reference(const std::string& path) {
  std::ifstream in(path);
  if (!in) return std::nullopt;
  SccaInfoReference ref;
  std::string line;
  bool in_stderr = false;
  while (std::getline(in, line)) {
    if (line.rfind("--- exit code:", 0) == 0) {
      ref.exit_code = std::stoi(line.substr(15));
      in_stderr = false;
      continue;
    }
    if (line == "--- stderr ---") {
      in_stderr = true;
      continue;
    }
    if (in_stderr) {
      ref.stderr_text += line + "\n";
      continue;
    }
    // "\tKey[: N]\t\t: value": the key ends at the first tab before ": ".
    const auto colon = line.find("\t: ");
    if (line.empty() || line[0] != '\t' || colon == std::string::npos) continue;
    const std::string key = trim(line.substr(0, colon));
    const std::string value = trim(line.substr(colon + 3));
    if (key == "Format version")
      ref.version = static_cast<std::uint32_t>(std::stoul(value));
    else if (key == "Prefetch hash")
      ref.prefetch_hash = static_cast<std::uint32_t>(std::stoul(value, nullptr, 16));
    else if (key == "Executable filename")
      ref.executable = value;
    else if (key == "Run count")
      ref.run_count = static_cast<std::uint32_t>(std::stoul(value));
    else if (key.rfind("Last run time", 0) == 0) {
      if (auto t = parse_sccainfo_time(value)) ref.last_run_times.push_back(*t);
    } else if (key == "Number of filenames")
      ref.number_of_filenames = std::stoul(value);
    else if (key.rfind("Filename:", 0) == 0)
      ref.filenames.push_back(value);
    else if (key == "Number of volumes")
      ref.number_of_volumes = std::stoul(value);
    else if (key == "Device path")
      ref.volumes.push_back({value, std::nullopt, 0});
    else if (key == "Creation time" && !ref.volumes.empty())
      ref.volumes.back().created = parse_sccainfo_time(value);
    else if (key == "Serial number" && !ref.volumes.empty())
      ref.volumes.back().serial = static_cast<std::uint32_t>(std::stoul(value, nullptr, 16));
  }
  return ref;
}

}  // namespace kk_test

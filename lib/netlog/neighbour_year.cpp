#include "netlog/neighbour_year.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <vector>

#include "netlog/input.hpp"

namespace kk::netlog {

namespace {

bool digit(char c) {
  return c >= '0' && c <= '9';
}

// The rotation family of a log file name: "syslog.2.gz" → "syslog", "messages-20240105"
// → "messages", "fw.log.1" → "fw.log".
std::string family(std::string name) {
  if (name.ends_with(".gz")) name.resize(name.size() - 3);
  std::size_t end = name.size();
  while (end > 0 && digit(name[end - 1])) --end;
  if (end < name.size() && end > 0 &&
      (name[end - 1] == '.' || name[end - 1] == '-' || name[end - 1] == '_'))
    name.resize(end - 1);
  return name;
}

// "…-20240105", "….2024-01-05": a date in the file name (when it was rotated).
std::optional<YearMonth> date_in_name(std::string_view name) {
  for (std::size_t i = 0; i + 8 <= name.size(); ++i) {
    if (i > 0 && digit(name[i - 1])) continue;
    if (std::all_of(name.begin() + static_cast<std::ptrdiff_t>(i),
                    name.begin() + static_cast<std::ptrdiff_t>(i + 8), digit) &&
        (i + 8 == name.size() || !digit(name[i + 8]))) {
      const int y = std::stoi(std::string(name.substr(i, 4)));
      const int m = std::stoi(std::string(name.substr(i + 4, 2)));
      if (y >= 1990 && y <= 2100 && m >= 1 && m <= 12) return YearMonth{y, m};
    }
  }
  return full_date_in(name);
}

// The first 4 MiB of the file at PATH ("" when unreadable).
std::string head_of(const std::string& path) {
  std::string bytes;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return bytes;
  bytes.resize(4u << 20);
  std::size_t got = 0;
  while (got < bytes.size()) {
    const ssize_t n = ::read(fd, bytes.data() + got, bytes.size() - got);
    if (n <= 0) break;
    got += static_cast<std::size_t>(n);
  }
  ::close(fd);
  bytes.resize(got);
  return bytes;
}

}  // namespace

std::optional<YearMonth> full_date_in(std::string_view text) {
  text = text.substr(0, 1u << 20);
  for (std::size_t i = 0; i + 10 <= text.size(); ++i) {
    if (text[i] != '1' && text[i] != '2') continue;
    const char* p = text.data() + i;
    if (digit(p[0]) && digit(p[1]) && digit(p[2]) && digit(p[3]) && (p[4] == '-' || p[4] == '/') &&
        digit(p[5]) && digit(p[6]) && p[7] == p[4] && digit(p[8]) && digit(p[9]) &&
        (i == 0 || !digit(p[-1]))) {
      const int y = (p[0] - '0') * 1000 + (p[1] - '0') * 100 + (p[2] - '0') * 10 + (p[3] - '0');
      const int m = (p[5] - '0') * 10 + (p[6] - '0');
      if (y >= 1990 && y <= 2100 && m >= 1 && m <= 12) return YearMonth{y, m};
    }
  }
  return std::nullopt;
}

int year_near(YearMonth at, int month) {
  if (month - at.month > 6) return at.year - 1;  // December's lines beside a January date
  if (at.month - month > 6) return at.year + 1;
  return at.year;
}

std::optional<YearHint> year_from_neighbours(const std::string& path, int month) {
  namespace fs = std::filesystem;
  if (path.empty() || month < 1 || month > 12) return std::nullopt;
  const fs::path self(path);
  const std::string name = self.filename().string();
  if (auto d = date_in_name(name))
    return YearHint{year_near(*d, month),
                    "from the date in its name (" + std::to_string(d->year) + "-" +
                        (d->month < 10 ? "0" : "") + std::to_string(d->month) + ")",
                    false};
  const std::string fam = family(name);
  std::vector<fs::path> neighbours;
  std::error_code ec;
  for (fs::directory_iterator it(self.parent_path().empty() ? fs::path(".") : self.parent_path(),
                                 fs::directory_options::skip_permission_denied, ec);
       !ec && it != fs::directory_iterator(); it.increment(ec)) {
    const std::string other = it->path().filename().string();
    if (other != name && family(other) == fam && it->is_regular_file(ec))
      neighbours.push_back(it->path());
    if (neighbours.size() >= 64) break;
  }
  std::sort(neighbours.begin(), neighbours.end());
  if (neighbours.size() > 16) neighbours.resize(16);
  for (const auto& n : neighbours) {
    std::optional<YearMonth> found = date_in_name(n.filename().string());
    if (!found) {
      const std::string bytes = head_of(n.string());
      read_lines(bytes, [&](std::string_view line, std::uint64_t, std::uint64_t, std::string_view) {
        found = full_date_in(line);
        return !found;
      });
    }
    if (found)
      return YearHint{year_near(*found, month),
                      "from neighbouring file " + n.filename().string() + " (" +
                          std::to_string(found->year) + "-" + (found->month < 10 ? "0" : "") +
                          std::to_string(found->month) + ")",
                      false};
  }
  struct stat st {};
  if (::stat(path.c_str(), &st) != 0) return std::nullopt;
  std::tm tm{};
  const std::time_t t = st.st_mtime;
  if (!::gmtime_r(&t, &tm)) return std::nullopt;
  const YearMonth m{tm.tm_year + 1900, tm.tm_mon + 1};
  // The lines were written before the file's last change: a later month is last year's.
  const int year = month > m.month ? m.year - 1 : m.year;
  return YearHint{year,
                  "from the file's modification time (" + std::to_string(m.year) + "-" +
                      (m.month < 10 ? "0" : "") + std::to_string(m.month) +
                      "), the last resort: check it, or give --year",
                  true};
}

}  // namespace kk::netlog

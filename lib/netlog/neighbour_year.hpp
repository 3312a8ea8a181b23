// The year of year-less syslog times (RFC 3164 "Mar  1 10:00:00") when the file itself
// holds no full date: a rotated log's neighbours in the same folder usually do
// ("syslog" beside "syslog.1" or "messages-20240105.gz"), and, as the last resort, the
// file's modification time (reported as such, never silently). Private to lib/netlog.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace kk::netlog {

// A full date ("2024-05-01", "2024/05/01") in TEXT: its year and month.
struct YearMonth {
  int year = 0, month = 0;
};
std::optional<YearMonth> full_date_in(std::string_view text);

// The year whose month MONTH lies nearest to the date AT (a log's lines are within a few
// months of its neighbours' and of its own modification time).
int year_near(YearMonth at, int month);

struct YearHint {
  int year = 0;
  std::string why;  // "from neighbouring file syslog.1 (2024-12)", "from the file's mtime …"
  bool from_mtime = false;
};

// The year for lines of month MONTH in the file at PATH: from its name ("…-20240105"),
// from the first full date of a neighbour of the same rotation family (at most 16
// neighbours, the first 4 MiB of each, gzip read), else from its modification time.
std::optional<YearHint> year_from_neighbours(const std::string& path, int month);

}  // namespace kk::netlog

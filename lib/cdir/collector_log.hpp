// collector-log.txt, written by CDIR-C at the end of a collection (format read from
// CyberDefenseInstitute/CDIR's collector source, v1.2.1 to v1.3.7):
//
//   開始時刻: 2024/05/01 12:04:05          (English build: "Start   time: ...")   local time
//   終了時刻: 2024/05/01 12:31:40          ("End     time: ...")                   local time
//   所要時間: 00:27:35                     ("Elapsed time: ...")
//   <blank>
//   CreationTime          AccessTime            WriteTime             MD5 ... SHA1 ... SHA256
//   ===================   ===================   ===================   ====...
//   2024/04/30 01:02:03   2024/05/01 03:04:05   2024/05/01 03:04:05   <md5>   <sha1>   <sha256>
//   C:\Windows\System32\winevt\Logs\Security.evtx
//
// CRLF lines, CP932 (Japanese Windows) or ASCII. The three row times are the source file's
// FILETIMEs in UTC ("%d/%02d/%02d %02d:%02d:%02d", left-aligned in 22 columns); they are
// absent when the collector could not read them. Rows of logs exported by the wevtutil
// fallback end with " (wevtutil)".
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/text_encoding.hpp"
#include "core/time.hpp"

namespace kk::cdir {

struct CollectorLogRow {
  std::optional<UtcMicros> created, accessed, modified;  // UTC
  std::string md5, sha1, sha256;                         // lowercase hex
  std::string source_path;  // the Windows path that was collected, as written
  bool wevtutil = false;    // exported by "wevtutil epl" instead of a raw copy
  std::uint64_t line = 0;   // 1-based line number
};

struct CollectorLogProblem {
  std::uint64_t line = 0, offset = 0;
  std::string message;
};

struct CollectorLog {
  TextEncoding encoding = TextEncoding::kAscii;
  std::string language;  // "ja" or "en" (from the header labels), "" if none found
  std::string start_local, end_local, elapsed;  // as written ("2024/05/01 12:04:05")
  std::optional<UtcMicros> start, end;          // local -> UTC in the given zone
  std::vector<CollectorLogRow> rows;
  std::vector<CollectorLogProblem> problems;  // lines that are neither header nor row
};

// Parses the bytes of collector-log.txt; never fails (damage goes to problems).
// TZ is the zone the collecting PC ran in (the header times are local).
CollectorLog parse_collector_log(std::string_view bytes, std::string_view tz);

// Parses one table row (already decoded to UTF-8, without line end); nullopt if it is not one.
std::optional<CollectorLogRow> parse_collector_log_row(std::string_view line);

}  // namespace kk::cdir

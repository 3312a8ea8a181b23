// Windows Defender's own files, as customers export them: MPLog-*.log (UTF-16 text in
// C:\ProgramData\Microsoft\Windows Defender\Support) and the DetectionHistory files under
// Scans\History\Service (binary, one detection each). Private to lib/netlog.

#pragma once

#include <string_view>
#include <vector>

#include "netlog/line.hpp"

namespace kk::netlog {

// An MPLog line: "2022-03-10T19:49:22.667Z DETECTIONEVENT MPSOURCE_REALTIME Trojan:BAT/…
// file:C:\…;" and the rest. Fields defender.time, defender.kind (detection, clean, block,
// exclusion, tamper, scan, other), defender.threat, defender.file, defender.process,
// defender.action, message. Always succeeds (continuation lines are kind "other").
void parse_mplog_line(std::string_view line, FieldList& out);

// True when BYTES is a DetectionHistory file (UTF-16 "Magic.Version:1.2" at 0x30).
bool is_detection_history(std::string_view bytes);

// The DetectionHistory file's detection as fields (defender.threat, defender.file,
// defender.process, defender.user, defender.time, defender.sha256, and every threat
// tracking value under its own name). False when the value stream is damaged before the
// threat name; what was read is still in OUT.
bool parse_detection_history(std::string_view bytes, FieldList& out, Arena& arena);

}  // namespace kk::netlog

// MPLog lines and DetectionHistory files. DetectionHistory layout as documented by libyal's
// dtformats ("Windows Defender scan DetectionHistory file format"): a stream of values
// {u32 size, u32 type, data, padding to 8}; "Magic.Version:1.2" strings start the three
// sections; section 1 value 1 is the threat name, section 2 holds the resource (type,
// location), the threat tracking block (value 5), the user (12), the process (14) and the
// detection time (18, FILETIME).
#include "netlog/defender.hpp"

#include <span>
#include <string>

#include "core/byte_reader.hpp"
#include "core/time.hpp"
#include "core/utf.hpp"

namespace kk::netlog {

namespace {

std::string_view after(std::string_view s, std::string_view marker) {
  const std::size_t at = s.find(marker);
  return at == std::string_view::npos ? std::string_view{} : s.substr(at + marker.size());
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == ';' || s.back() == '.' || s.back() == '\t'))
    s.remove_suffix(1);
  return s;
}

std::string_view word(std::string_view s, std::size_t n) {  // the Nth space-separated word
  for (std::size_t k = 0; k < n; ++k) {
    const std::size_t sp = s.find(' ');
    if (sp == std::string_view::npos) return {};
    s = s.substr(sp + 1);
  }
  return s.substr(0, s.find(' '));
}

}  // namespace

void parse_mplog_line(std::string_view line, FieldList& out) {
  std::string_view msg = line;
  // "2022-03-10T19:49:22.667Z " (24 characters + a space)
  if (line.size() > 25 && line[4] == '-' && line[10] == 'T' && line[23] == 'Z' && line[24] == ' ') {
    out.push_back({"defender.time", line.substr(0, 24)});
    msg = line.substr(25);
  }
  std::string_view kind = "other", threat, file, process, action;
  if (msg.starts_with("DETECTIONEVENT ") || msg.starts_with("DETECTION_ADD")) {
    kind = "detection";
    action = "alert";
    // DETECTIONEVENT SOURCE THREAT file:PATH;  /  DETECTION_ADD#1 THREAT file:PATH
    threat = word(msg, msg.starts_with("DETECTIONEVENT ") ? 2 : 1);
    file = trim(after(msg, "file:"));
  } else if (msg.starts_with("DETECTION_CLEANEVENT")) {
    kind = "clean";
    action = "block";
    threat = word(msg, 2);
    file = trim(after(msg, "file:"));
  } else if (msg.find("Blocked file:") != std::string_view::npos) {
    kind = "block";
    action = "block";
    std::string_view rest = after(msg, "Blocked file: ");
    file = trim(rest.substr(0, rest.find(". Process:")));
    std::string_view p = after(msg, "Process: ");
    process = trim(p.substr(0, p.find(',')));
  } else if (msg.find("Engine VFZ block:") != std::string_view::npos) {
    kind = "block";
    action = "block";
    std::string_view rest = after(msg, "Engine VFZ block: ");
    file = trim(rest.substr(0, rest.find(". status=")));
  } else if (msg.starts_with("Threat Name:")) {
    kind = "detection";
    threat = trim(msg.substr(12));
  } else if (msg.find("Exclusion") != std::string_view::npos) {
    kind = "exclusion";
  } else if (msg.find("Tamper") != std::string_view::npos) {
    kind = "tamper";
  } else if (msg.find("Scan") != std::string_view::npos ||
             msg.find("scan") != std::string_view::npos) {
    kind = "scan";
  }
  out.push_back({"defender.kind", kind});
  if (!threat.empty()) out.push_back({"defender.threat", threat});
  if (!file.empty()) out.push_back({"defender.file", file});
  if (!process.empty()) out.push_back({"defender.process", process});
  if (!action.empty()) out.push_back({"defender.action", action});
  out.push_back({"message", msg});
}

bool is_detection_history(std::string_view bytes) {
  static constexpr char kMagic[] = "M\0a\0g\0i\0c\0.\0V\0e\0r\0s\0i\0o\0n\0:\0";
  return bytes.size() > 0x30 + sizeof kMagic - 1 &&
         bytes.substr(0x30, sizeof kMagic - 1) == std::string_view(kMagic, sizeof kMagic - 1);
}

bool parse_detection_history(std::string_view bytes, FieldList& out, Arena& arena) {
  const auto* data = reinterpret_cast<const std::uint8_t*>(bytes.data());
  ByteReader r(std::span(data, bytes.size()));
  int section = -1, index = 0;
  std::string_view resource_type;
  bool have_threat = false;
  std::size_t off = 0;
  auto utf16 = [&](std::size_t at, std::size_t n) {
    return arena.keep(utf16le_to_utf8(std::span(data + at, n), true));
  };
  while (off + 8 <= bytes.size()) {
    const auto size = r.u32(off);
    const auto type = r.u32(off + 4);
    if (!size || !type || *size > bytes.size() - off - 8) break;
    const std::size_t at = off + 8;
    const std::size_t n = *size;
    std::string_view str;
    if (*type == 0x15) {
      str = utf16(at, n);
      if (str.starts_with("Magic.Version:")) {
        ++section;
        index = 0;
      }
    }
    if (section == 0 && index == 1 && *type == 0x15) {
      out.push_back({"defender.threat", str});
      have_threat = true;
    } else if (section == 1 && index == 1 && *type == 0x15) {
      resource_type = str;
      out.push_back({"defender.resource_type", str});
    } else if (section == 1 && index == 2 && *type == 0x15) {
      out.push_back(
          {resource_type == "file" || resource_type.empty() ? "defender.file" : "defender.resource",
           str});
    } else if (section == 1 && index == 5 && *type == 0x28) {
      // Threat tracking: u32 header words, then {u32 key size, UTF-16 key, u32 type, value}.
      std::size_t p = at;
      const std::size_t end = at + n;
      const auto first = r.u32(p);
      if (first && *first == 1) {
        const auto hsize = r.u32(p + 4);
        p += hsize ? 4 + *hsize : end - p;
      } else {
        p += 4;
      }
      while (p + 8 <= end) {
        const auto ksize = r.u32(p);
        if (!ksize || *ksize > end - p - 4) break;
        std::string_view key = utf16(p + 4, *ksize);
        p += 4 + *ksize;
        const auto vtype = r.u32(p);
        if (!vtype) break;
        p += 4;
        std::string value;
        if (*vtype == 6) {
          const auto vsize = r.u32(p);
          if (!vsize || *vsize > end - p - 4) break;
          value = utf16le_to_utf8(std::span(data + p + 4, *vsize), true);
          p += 4 + *vsize;
        } else if (*vtype == 3) {
          const auto v = r.u32(p);
          if (!v) break;
          value = std::to_string(*v);
          p += 4;
        } else if (*vtype == 4) {
          const auto v = r.u64(p);
          if (!v) break;
          value = std::to_string(*v);
          p += 8;
        } else if (*vtype == 5) {
          const auto v = r.u8(p);
          if (!v) break;
          value = std::to_string(*v);
          p += 1;
        } else if (*vtype == 7) {
          p += 5;
          continue;
        } else {
          break;
        }
        if (key == "ThreatTrackingSha256") out.push_back({"defender.sha256", arena.keep(value)});
        if (key == "ThreatTrackingStartTime" && *vtype == 4) {
          // FILETIME of the detection: the time when the value stream has no section-2 time.
          if (auto t = from_filetime(std::stoull(value)))
            out.push_back({"defender.start_time", arena.keep(format_iso(*t))});
        }
        out.push_back({key, arena.keep(value)});
      }
    } else if (section == 1 && index == 12 && *type == 0x15) {
      out.push_back({"defender.user", str});
    } else if (section == 1 && index == 14 && *type == 0x15) {
      out.push_back({"defender.process", str});
    } else if (section == 1 && (index == 18 || index == 6 || index == 20) && *type == 0x0a) {
      const auto ft = r.u64(at);
      if (ft) {
        if (auto t = from_filetime(*ft)) {
          const std::string_view name = index == 18  ? "defender.time"
                                        : index == 6 ? "defender.status_change_time"
                                                     : "defender.remediation_time";
          out.push_back({name, arena.keep(format_iso(*t))});
        }
      }
    }
    ++index;
    off = at + ((n + 7) & ~std::size_t{7});
  }
  out.push_back({"defender.kind", "detection"});
  out.push_back({"defender.action", "alert"});
  return have_threat;
}

}  // namespace kk::netlog

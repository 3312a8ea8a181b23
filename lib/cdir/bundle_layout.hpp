// Where CDIR-C bundles are inside an input, what they are called, and where a file named
// in collector-log.txt ended up inside the bundle.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cdir/unpack.hpp"
#include "core/time.hpp"

namespace kk::cdir {

// Bundle roots among FILES ('/'-separated paths relative to the input). A directory is a
// root when it holds collector-log.txt, a known category folder (NTFS, Evtx, Prefetch,
// Registry, WMI, SRUM, Web and their _old mirrors) or root-level NTFS copies (<L>_$MFT);
// roots inside another root are not separate bundles. "" is the input itself.
std::vector<std::string> find_bundle_roots(const std::vector<std::string>& files);

// "<COMPUTERNAME>_<YYYYMMDDhhmmss>" or "<COMPUTERNAME>_<L>_<YYYYMMDDhhmmss>" (Target=).
struct FolderName {
  std::string host;
  std::optional<char> drive;
  std::optional<UtcMicros> time;  // local wall clock in TZ -> UTC
};
std::optional<FolderName> parse_folder_name(std::string_view name, std::string_view tz);

// NTFS/ present -> v1.3.1+; <L>_$MFT or <L>_$UsnJrnl-$J at the root -> v1.2.2 or older.
Layout detect_layout(const std::vector<std::string>& bundle_sources);

// The bundle-relative path CDIR-C writes for a collected Windows path
// ("C:\Windows\System32\winevt\Logs\Security.evtx" -> "Evtx/Security.evtx"), or "" when the
// path matches none of CDIR-C's copy rules.
std::string bundle_source_for(std::string_view windows_path, Layout layout);

}  // namespace kk::cdir

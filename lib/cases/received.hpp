// What `cases add` receives: a PC's CDIR-C bundle (a folder or an archive holding one) or a
// network/security log; its PC, its SHA-256, and its copy under CASEDIR/received/.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/case_dir.hpp"
#include "core/result.hpp"

namespace kk::cases {

struct InputKind {
  std::string kind;  // "bundle" or "netlog"
  std::string host;  // the PC, from the bundle folder's name <HOST>_<YYYYMMDDhhmmss>
};

// Looks at PATH without extracting it: a folder or an archive that holds exactly one
// CDIR-C bundle is a bundle (its PC from the bundle folder's name, or HOST_OVERRIDE); any
// other file is a network log. An archive or folder with no or several bundles is refused.
Result<InputKind> classify_input(const std::string& path, const std::string& host_override,
                                 const std::string& tz);

struct StoredInput {
  std::string stored_as;  // "received/NAME" relative to the case folder
  std::string sha256;     // of the file; of a folder: of its "sha256  path" listing
  std::uint64_t size = 0;
};

// Copies PATH into the case folder's received/ (created if missing) while hashing it, in one
// read. A folder is copied file by file (links are not followed, they are skipped) and
// hashed as the sorted sha256sum-style listing of its files. The copy appears under its
// final name (NAME, or NAME-2 … when taken) only once complete.
Result<StoredInput> store_input(const CaseDir& case_dir, const std::string& path);

// Removes STORED_AS (a file or a folder tree) from the case folder: a refused duplicate.
void remove_stored(const CaseDir& case_dir, const std::string& stored_as);

// The hash listing of a folder and the hash of a file, without copying (for duplicates).
}  // namespace kk::cases

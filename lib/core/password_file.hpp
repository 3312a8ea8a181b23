// --password-file: the one reader for triage and unpack-cdir (issue #22: triage kept the
// '\r' of a CRLF file, cut at 1,024 bytes and took an empty file as an empty password, while
// unpack-cdir read the same file differently).
#pragma once

#include <string>

#include "core/result.hpp"

namespace kk {

// The password is the file's first line: a UTF-8 BOM (Notepad) and the line end ("\n" or
// "\r\n") are not part of it; everything else is, whatever its length (up to 64 KiB). An
// unreadable file, an empty first line or a NUL byte in it is an error naming the file.
Result<std::string> read_password_file(const std::string& path);

}  // namespace kk

// --path-regex for parse-mft and parse-usnjrnl: a POSIX extended regular expression,
// case-insensitive, unanchored (regcomp/regexec; std::regex is far slower per path).
#pragma once

#include <functional>
#include <string>
#include <string_view>

namespace kk::ntfs {

// Compiles PATTERN; on a syntax error returns an empty function and sets *error.
std::function<bool(std::string_view)> make_path_filter(const std::string& pattern,
                                                       std::string* error);

}  // namespace kk::ntfs

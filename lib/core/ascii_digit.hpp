// '0'-'9' only: the log and collector-log parsers read ASCII digits, and std::isdigit's
// locale and int-of-char rules have no place there.
#pragma once

namespace kk {

inline bool is_ascii_digit(char c) {
  return c >= '0' && c <= '9';
}

}  // namespace kk

// JSONC support for CASE.json: analysts annotate their answers with comments.
#include "notice/case_file.hpp"

namespace kk::notice {

std::string strip_json_comments(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (in_string) {
      out.push_back(c);
      if (c == '\\' && i + 1 < text.size()) {
        out.push_back(text[++i]);
      } else if (c == '"') {
        in_string = false;
      }
      continue;
    }
    if (c == '"') {
      in_string = true;
      out.push_back(c);
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '/') {
      while (i < text.size() && text[i] != '\n') ++i;
      if (i < text.size()) out.push_back('\n');
    } else if (c == '/' && i + 1 < text.size() && text[i + 1] == '*') {
      i += 2;
      while (i + 1 < text.size() && !(text[i] == '*' && text[i + 1] == '/')) {
        if (text[i] == '\n') out.push_back('\n');  // keep line numbers for messages
        ++i;
      }
      ++i;  // at the '/' of "*/" (or past the end of an unterminated comment)
    } else {
      out.push_back(c);
    }
  }
  return out;
}

}  // namespace kk::notice

// XML events forwarded as one syslog message (ePO). Not an XML parser: the leaf elements
// are what a SIEM maps, so a tolerant scan over "<Name …>text</Name>" is all that is needed
// and it survives the truncated or pretty-printed events relays produce.
#include "netlog/syntax.hpp"

namespace kk::netlog {

bool parse_xml_leaves(std::string_view s, FieldList& out) {
  std::size_t i = 0, found = 0;
  while (true) {
    const std::size_t lt = s.find('<', i);
    if (lt == std::string_view::npos || lt + 1 >= s.size()) break;
    const char c = s[lt + 1];
    if (c == '/' || c == '?' || c == '!') {
      i = lt + 1;
      continue;
    }
    std::size_t ne = lt + 1;
    while (ne < s.size() && s[ne] != '>' && s[ne] != ' ' && s[ne] != '/') ++ne;
    const std::size_t gt = s.find('>', lt);
    if (gt == std::string_view::npos) break;
    std::string_view name = s.substr(lt + 1, ne - lt - 1);
    i = gt + 1;
    if (s[gt - 1] == '/' || name.empty()) continue;
    const std::size_t next = s.find('<', i);
    if (next == std::string_view::npos) break;
    if (next + 1 < s.size() && s[next + 1] == '/' && s.substr(next + 2, name.size()) == name) {
      std::string_view text = s.substr(i, next - i);
      bool dup = false;
      for (const auto& f : out) dup = dup || f.key == name;
      if (!dup) out.push_back({name, text});
      ++found;
      i = next + 2 + name.size();
    }
  }
  return found > 0;
}

}  // namespace kk::netlog

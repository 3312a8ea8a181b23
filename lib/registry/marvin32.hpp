// Marvin32, the hash Windows uses to protect registry log entries (Hash-1/Hash-2 of "HvLE").
#pragma once

#include <cstdint>

#include "core/byte_reader.hpp"

namespace kk::registry {

// Seed the registry uses for log entry hashes (REGF documentation, "Log entries").
inline constexpr std::uint64_t kRegistryLogSeed = 0x82EF4D887A4E55C5ULL;

// The 64-bit result: high register in the upper half, low register in the lower half.
std::uint64_t marvin32(Bytes data, std::uint64_t seed = kRegistryLogSeed);

}  // namespace kk::registry

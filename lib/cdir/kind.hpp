// What an evidence file in a CDIR-C bundle is, from its place in the bundle.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace kk::cdir {

// The manifest's "kind" vocabulary (CONTRACT.md, unpack-cdir).
enum class Kind : unsigned char {
  kEvtx,
  kPrefetch,
  kMft,
  kUsnJrnl,
  kSecureSds,
  kRegistry,
  kRegistryLog,
  kAmcache,
  kWmi,
  kSrum,
  kWeb,
  kMemory,
  kCollectorLog,
  kOther,
};
inline constexpr std::size_t kKindCount = 14;

std::string_view kind_name(Kind kind);

// Classifies SOURCE, a '/'-separated path relative to the bundle root
// ("Evtx_old/System.evtx", "NTFS/C_$MFT", "Registry/山田_NTUSER.dat.LOG1").
Kind classify(std::string_view source);

// True for memory images by name alone (RAM_*, pagefile.sys, swapfile.sys, hiberfil.sys):
// used to skip them while streaming an archive, before the bundle root is known.
bool is_memory_image_name(std::string_view file_name);

// The Windows account of a per-user hive ("Registry/a_b_NTUSER.dat.LOG1" -> "a_b"), or "".
std::string hive_user(std::string_view source);

}  // namespace kk::cdir

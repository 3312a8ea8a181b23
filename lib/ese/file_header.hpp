// The ESE database file header (first page, with a shadow copy in the second).
// Private to lib/ese.
#pragma once

#include "core/byte_reader.hpp"
#include "core/result.hpp"
#include "ese/ese.hpp"

namespace kk::ese {

inline constexpr std::uint32_t kFileSignature = 0x89ABCDEF;

// Reads the header from FILE: the first copy when it is usable, else the shadow
// copy in the second page. Fails when neither holds the signature and a page size
// ESE uses (2, 4, 8, 16 or 32 KiB).
Result<FileHeader> read_file_header(Bytes file);

}  // namespace kk::ese

// The whole of a small file the user names (a Sigma rule, a case file), read with a cap.
// ifstream + stringstream grew without bound on a device, a FIFO that never ends or a huge
// file named by mistake; this costs at most MAX_BYTES + 64 KiB whatever the path is.
#pragma once

#include <cstddef>
#include <string>

#include "core/result.hpp"

namespace kk {

// Fails with "cannot read PATH: <reason>", or with "PATH is larger than N bytes" and the
// offset MAX_BYTES when there is more.
Result<std::string> read_small_file(const std::string& path, std::size_t max_bytes);

}  // namespace kk

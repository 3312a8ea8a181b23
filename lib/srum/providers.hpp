// The SRUM tables Windows writes, by the provider GUID that names each table, and
// how their columns become record fields. Private to lib/srum.
#pragma once

#include <string>
#include <string_view>

namespace kk::srum {

struct Provider {
  std::string_view table;     // table name (provider GUID, "…LT" for long-term tables)
  std::string_view artifact;  // record artifact
  std::string_view name;      // what Windows calls the provider
};

// The provider of TABLE, or nullptr for a table that is not a known SRUM provider
// (its rows are still emitted, as "srum_other").
const Provider* find_provider(std::string_view table);

// Columns holding a FILETIME (rendered as an ISO time); the others are integers.
bool is_filetime_column(std::string_view column);

// The record field for COLUMN: snake_case of its name, with SRUM's abbreviations
// spelt out ("BytesRecvd" -> "bytes_received").
std::string field_name(std::string_view column);

}  // namespace kk::srum

// The registry's schema: a version table and numbered migrations, applied in order in one
// transaction when a command opens the registry. A registry written by a newer kakekomi
// (a version this build does not know) is refused, never rewritten.
#pragma once

#include "cases/sql.hpp"

namespace kk::cases {

// The schema version this build writes.
int schema_version_latest();

// Brings DB to the latest version; throws SqlError naming the registry when it is newer.
void migrate(SqlConnection& db);

}  // namespace kk::cases

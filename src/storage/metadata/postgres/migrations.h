#pragma once

#include <span>

namespace spacestore::storage::pg {

// The schema, as an append-only list: entry i takes the schema from version i to i + 1. The
// same numbering and the same tables and columns as the SQLite adapter's migrations, so `admin
// migrate` copies table by table by column name. A shipped entry is never edited.
std::span<const char* const> Migrations();

// The table recording which migrations are applied (one row per version); not a data table.
inline constexpr const char* kSchemaTable = "schema_migrations";

}  // namespace spacestore::storage::pg

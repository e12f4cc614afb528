#pragma once

#include <span>

namespace spacestore::storage::sqlite {

// The schema as an append-only list of migrations; entry i takes PRAGMA user_version from i to
// i+1. Never edit an entry that has shipped: add a new one. docs/storage-format.md describes
// the resulting schema.
std::span<const char* const> Migrations();

}  // namespace spacestore::storage::sqlite

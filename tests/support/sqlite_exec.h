#pragma once

#include <sqlite3.h>

#include <string>

#include <gtest/gtest.h>

namespace spacestore::testing {

// Runs `sql` on a connection of its own to the database at `path` (white-box tests that change
// a store behind its adapter's back, e.g. a table a later migration would add). Header-only:
// the including test links SQLite.
inline void ExecSql(const std::string& path, const std::string& sql) {
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(path.c_str(), &db), SQLITE_OK);
  char* err = nullptr;
  const int rc = sqlite3_exec(db, sql.c_str(), nullptr, nullptr, &err);
  const std::string why = err ? err : "";
  sqlite3_free(err);
  sqlite3_close(db);
  ASSERT_EQ(rc, SQLITE_OK) << why;
}

}  // namespace spacestore::testing

#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/result.h"
#include "storage/metadata/table_access.h"

namespace spacestore::tools {

// What reading one table found: its rows and an order-independent digest of their values (the
// lane-wise sum of each row's SHA-256 over its columns by name, maintained columns left out),
// so two stores that order rows differently still agree exactly when their rows do.
struct TableDigest {
  int64_t rows = 0;
  std::array<uint64_t, 4> sum{};
  bool operator==(const TableDigest&) const = default;
};

// What Copy did to one table.
struct TableCopyStats {
  std::string table;
  int64_t rows = 0;      // Rows read from the source.
  int64_t inserted = 0;  // Rows the target did not have.
  int64_t present = 0;   // Rows the target already held, identical (a re-run).
  TableDigest source;    // The source as Copy read it.
};

// TableCopier copies every table of one metadata store into another through TableAccess, for
// `spacestore admin migrate`. It copies whatever tables the source lists, in the source's
// dependency order (parents first, checked against both stores' foreign keys), after checking
// that both stores have the same schema version, tables and columns (matched by name, so the
// two may order columns differently).
//
// Re-running is safe: rows already in the target are compared with the source's, column by
// column except maintained ones, and left alone when equal; a different row under the same key
// (or one clashing on another unique constraint) stops the copy with kConflict, since the
// target then holds some other deployment's data. Before writing anything, the first rows of
// every target table are looked up in the source, so such a target is usually refused with
// nothing written to it.
//
// Thread-safety: not thread-safe. Borrows both stores, which must outlive it.
class TableCopier {
 public:
  struct Options {
    // Rows per scan and per insert transaction. Default: 500.
    std::size_t batch_rows = 500;
    // Called after each table is copied (progress for a person). Default: none.
    std::function<void(const TableCopyStats&)> on_table;
  };

  TableCopier(storage::TableAccess& from, storage::TableAccess& to, Options options);
  TableCopier(storage::TableAccess& from, storage::TableAccess& to)
      : TableCopier(from, to, Options{}) {}

  // Copies every table. kPreconditionFailed (subject "schema") if the schemas differ or the
  // source's table order breaks a foreign key; kConflict (subject = table) if the target holds
  // different data; store errors pass through. Stops at the first error: the rows of earlier
  // batches stay in the target, so fixing the cause and re-running continues.
  Result<std::vector<TableCopyStats>> Copy();

  // Reads both stores again, table by table, and compares their counts and digests, with
  // each other and (after Copy) with what Copy read from the source. kConflict (subject =
  // table) naming the first table that differs: "the source changed during the migration"
  // when the source no longer matches what was copied (a server still writing to it),
  // otherwise "the target differs" (rows the source does not have, or different values).
  // Returns each table's digest.
  Result<std::vector<TableDigest>> Verify();

 private:
  // The target's column index for each source column, per table, with both tables' infos.
  struct Pair {
    storage::TableInfo from;
    storage::TableInfo to;
    std::vector<std::size_t> to_index;  // to_index[i]: target column of source column i
  };

  // Lists both stores' tables and pairs them (the schema checks).
  Result<std::vector<Pair>> PairTables();
  // kConflict unless the first rows of each target table are in the source, equal: run before
  // any write, it refuses a target holding another deployment's data. Reads the source only
  // as far as it must to find them (on a re-run, usually its first batch).
  Result<void> CheckTarget(const std::vector<Pair>& pairs);
  // kConflict naming the first column where the target's `stored` row differs from the
  // source's `source` row (maintained columns aside).
  static Result<void> SameRow(const Pair& pair, const storage::Row& source,
                              const storage::Row& stored);
  Result<TableCopyStats> CopyTable(const Pair& pair);
  // Counts and digests every row of `table` in `access`.
  Result<TableDigest> DigestTable(storage::TableAccess& access, const storage::TableInfo& table);

  storage::TableAccess& from_;
  storage::TableAccess& to_;
  const Options options_;
  std::vector<TableCopyStats> copied_;  // What the last Copy read, for Verify.
};

}  // namespace spacestore::tools

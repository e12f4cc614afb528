#pragma once

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "domain/blob_store.h"
#include "domain/metadata_store.h"
#include "storage/metadata/table_access.h"
#include "tools/admin/blob_copier.h"
#include "tools/admin/table_copier.h"

namespace spacestore::tools {

// One side of a migration: a deployment's metadata, seen both through the domain port and as
// tables, and its blobs. Borrowed; `metadata` and `tables` are the same store.
struct MigrationEnd {
  domain::MetadataStore& metadata;
  storage::TableAccess& tables;
  domain::BlobStore& blobs;
};

// What a migration did and checked.
struct MigrationReport {
  std::vector<TableCopyStats> tables;  // Per table, in the order copied.
  CopyStats blobs;                     // Referenced blobs; those copied (the rest were there).
  int64_t spaces_checked = 0;          // Spaces whose used bytes agree in both stores.
  int64_t blobs_verified = 0;          // Target blobs re-read: size and SHA-256 checked.
};

// Migration is `spacestore admin migrate` over the ports: it copies a whole deployment from one
// pair of stores to another and proves the copy.
//   1. Every metadata table, row for row (TableCopier).
//   2. Every blob the source's metadata references (file versions, uploaded uploads, parts),
//      through the blob stores' own writers, each hashed on the way (BlobCopier).
//   3. Verification: per table, row counts and a digest of every value agree between the
//      stores and with what step 1 read (so a source written to meanwhile is caught); per
//      space, the used bytes read through the domain agree; and every blob the target's
//      metadata references is re-read from the target with its size and SHA-256 checked
//      against the metadata (StoreChecker with content verification on the target), whose
//      counters must also add up.
// Running it again on the same pair copies only what is missing and verifies again. The
// source must not be written meanwhile (stop every server using it); step 3 fails if it was.
// Thread-safety: not thread-safe. Borrows both ends and the clock.
class Migration {
 public:
  struct Options {
    // Rows per batch (scan and insert transaction). Default: 500.
    std::size_t batch_rows = 500;
    // Told what is happening, one line at a time (for a person). Default: none.
    std::function<void(const std::string&)> progress;
  };

  Migration(MigrationEnd from, MigrationEnd to, const Clock& clock, Options options);

  // Runs the three steps. Errors: those of TableCopier (kPreconditionFailed for different
  // schemas, kConflict for a target holding other data or a source that changed); kNotFound
  // (subject "blob") when the source lacks a blob its metadata references (run fsck on it);
  // kConflict (subject "verify") when the target fails a check; store errors pass through.
  // Nothing copied is removed on failure: fix the cause and run again.
  Result<MigrationReport> Run();

 private:
  Result<void> CheckUsedBytes(MigrationReport& report);
  Result<void> CheckTargetContent(MigrationReport& report);

  MigrationEnd from_;
  MigrationEnd to_;
  const Clock& clock_;
  const Options options_;
};

}  // namespace spacestore::tools

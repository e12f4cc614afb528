#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "domain/blob_store.h"
#include "domain/metadata_store.h"

namespace spacestore::tools {

// What StoreChecker::Run checks and whether it repairs.
struct CheckOptions {
  // Fix what is safe to fix (see StoreChecker). Default: false (report only).
  bool repair = false;
  // Read every referenced blob and compare its SHA-256 with its id; without it only presence
  // and size are checked. Default: false (a full read of the store is slow).
  bool verify_content = false;
  // Blobs and staging files younger than this, and upload sessions expired for less than
  // this, are in flight, never findings, in seconds. Match the server's --blob-grace.
  // Default: 3600.
  int64_t grace_seconds = 3600;
};

// One problem found. Ids that do not apply are empty (version 0).
struct Finding {
  // missing_blob, size_mismatch, hash_mismatch, orphan_blob, used_bytes_mismatch,
  // reserved_bytes_mismatch, stale_upload, staging_leftover (docs/operations.md).
  std::string kind{};
  std::string space_id{};
  std::string dentry_id{};
  int64_t version = 0;
  std::string upload_key{};
  std::string blob_id{};
  std::string detail{};  // What was expected and what was found, for a person.
  bool repaired = false;
};

// What was looked at, and what was found.
struct CheckReport {
  int64_t spaces = 0;
  int64_t versions = 0;
  int64_t uploads = 0;
  int64_t parts = 0;
  int64_t blobs = 0;          // Distinct blobs referenced and checked.
  int64_t stored_blobs = 0;   // Blobs stored, examined for references.
  int64_t staging_files = 0;  // Staging files older than the grace period.
  std::vector<Finding> findings;

  // Findings --repair did not (or could not) fix.
  int64_t Unrepaired() const;
};

// StoreChecker (`spacestore fsck`) compares the metadata with the blobs:
// - every file version, uploaded single upload and multipart part names a stored blob of the
//   recorded size (and, with verify_content, of the recorded hash);
// - every stored blob older than the grace period is referenced by something;
// - each space's used bytes equal the sum of its versions' sizes, and its reserved bytes the
//   sum of its upload sessions' reservations;
// - no upload session has been expired for longer than the grace period, no staging file is
//   older than it.
//
// It is safe beside a running server on the same store: metadata is read in one snapshot
// (MetadataStore::View), stored blobs are examined only once older than the grace period, a
// blob found missing is confirmed against the current metadata before it is reported, and each
// repair is one short transaction that re-reads what it fixes. Repairs: counters are recounted,
// unreferenced blobs older than the grace period removed, stale sessions expired (releasing
// their reservations), old staging files removed. Nothing a version references is ever removed;
// missing and damaged content is reported, never "fixed".
//
// Thread-safety: not thread-safe; one Run at a time. Borrows the stores and the clock.
class StoreChecker {
 public:
  StoreChecker(domain::MetadataStore& store, domain::BlobStore& blobs, const Clock& clock,
               CheckOptions options);

  // Checks (and with repair, repairs) the whole store. Errors of the stores pass through
  // (kUnavailable, kInternal); findings are not errors.
  Result<CheckReport> Run();

 private:
  Result<void> CheckMetadata(CheckReport& report);
  Result<void> CheckStoredBlobs(CheckReport& report, int64_t cutoff);
  Result<void> CheckStaging(CheckReport& report, int64_t cutoff);
  // Confirms missing blobs against the current metadata and drops those no longer referenced.
  Result<void> ConfirmMissing(CheckReport& report);
  Result<void> Repair(Finding& finding, int64_t now, int64_t cutoff);
  Result<void> RecountSpace(const std::string& space_id);
  Result<void> ExpireUpload(const std::string& key, int64_t now);

  domain::MetadataStore& store_;
  domain::BlobStore& blobs_;
  const Clock& clock_;
  const CheckOptions options_;
};

}  // namespace spacestore::tools

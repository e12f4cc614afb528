#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "base/result.h"
#include "domain/upload.h"

namespace spacestore::domain {

// UploadRecords is the upload aggregate of the metadata port: upload sessions and the parts of
// multipart uploads, as seen inside one metadata transaction. Reads see the transaction's own
// writes.
//
// Errors common to every method: kUnavailable when the backend cannot be reached or stays
// busy, kInternal for a corrupt store.
// Thread-safety: confined to the thread running the transaction.
class UploadRecords {
 public:
  virtual ~UploadRecords() = default;

  // kNotFound (subject "upload").
  virtual Result<UploadSession> Get(std::string_view key) = 0;
  // Inserts or replaces an upload session.
  virtual Result<void> Put(const UploadSession& upload) = 0;
  // Removes an upload session and its parts; nothing to remove is not an error.
  virtual Result<void> Delete(std::string_view key) = 0;
  // Inserts or replaces a part of a multipart upload.
  virtual Result<void> PutPart(const UploadPart& part) = 0;
  // The parts of an upload, by part number.
  virtual Result<std::vector<UploadPart>> ListParts(std::string_view key) = 0;

  // Keys of sessions whose expire time is before `now_millis`, oldest first, at most `limit`:
  // uncommitted ones have expired, committed ones are only kept to refuse replays.
  virtual Result<std::vector<std::string>> ListExpired(int64_t now_millis, int limit) = 0;
  // How many sessions are open at `now_millis`: not committed and not yet expired (an expire
  // time at or after `now_millis`). For metrics.
  virtual Result<int64_t> CountOpen(int64_t now_millis) = 0;
  // Whether any session or part refers to blob `blob_id`.
  virtual Result<bool> IsBlobReferenced(std::string_view blob_id) = 0;
  // Up to `limit` sessions of every space with keys after `after_key` (empty: from the first),
  // by key. For whole-store walks (fsck, backup).
  virtual Result<std::vector<UploadSession>> ListAfter(std::string_view after_key, int limit) = 0;
};

}  // namespace spacestore::domain

#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/result.h"
#include "domain/blob_store.h"
#include "domain/metadata_store.h"
#include "domain/transfer_grant.h"
#include "domain/upload_recorder.h"

namespace spacestore::domain {

// Receives the bytes of one upload PUT.
// Thread-safety: not thread-safe; one request at a time. Destroying it unfinished discards
// everything written.
class UploadSink {
 public:
  virtual ~UploadSink() = default;
  // kInvalidArgument (subject "size") past the announced size; kQuotaExceeded ("space", "app"
  // or "org") when a body no reservation covers would pass what the quota can still take;
  // kUnavailable on disk errors. After an error the sink is to be destroyed, which removes
  // the bytes written so far.
  virtual Result<void> Append(std::string_view chunk) = 0;
  // Stores the bytes durably and records them on the upload. kInvalidArgument ("size") when
  // fewer bytes came than announced; kConflict ("upload") if the key was committed meanwhile.
  virtual Result<void> Finish() = 0;
};

// An open download: the content of one file version.
struct Download {
  std::unique_ptr<BlobReader> reader;
  int64_t size = 0;
  std::string etag;  // The content's SHA-256.
  int64_t modified_time = 0;
  std::string name;
};

// TransferService moves content for grants that came back from a client: it streams an upload's
// body into the blob store (staging file, fsync, rename) and records the blob on the upload
// session, and it opens the blob of a file version for a download. The grant was issued by
// UploadService and verified by the transfer adapter; this class checks that what it names
// still exists and may still be written.
// Stored bodies that finish together are recorded in one transaction (UploadRecorder).
// Thread-safety: thread-safe. Borrows the stores and the clock.
class TransferService {
 public:
  TransferService(MetadataStore& store, BlobStore& blobs, const Clock& clock);

  // Starts receiving the body of an upload grant. kNotFound ("upload") for an unknown key or a
  // part of a single upload (or the single body of a multipart one); kConflict ("upload") once
  // committed; kPermissionDenied ("expired") when the upload key has expired; kInvalidArgument
  // ("size") when `content_length` exceeds the announced size or a part's maximum;
  // kQuotaExceeded ("space", "app", "org") when a body no reservation covers (a single upload
  // without an announced size, any part) cannot fit: its `content_length`, or nothing more,
  // already passes what the quota can still take. The sink then watches the quota as the body
  // arrives (see Append).
  Result<std::unique_ptr<UploadSink>> OpenUpload(const TransferGrant& grant,
                                                 std::optional<uint64_t> content_length);

  // Opens the content of a download grant. kNotFound ("dentry", "version").
  Result<Download> OpenDownload(const TransferGrant& grant);

 private:
  MetadataStore& store_;
  BlobStore& blobs_;
  const Clock& clock_;
  UploadRecorder recorder_;
};

}  // namespace spacestore::domain

#pragma once

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "base/clock.h"
#include "base/result.h"
#include "domain/blob_store.h"
#include "domain/dentry.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/space_service.h"
#include "domain/upload.h"
#include "domain/url_signer.h"

namespace spacestore::domain {

struct UploadOptions {
  // Lifetime of signed upload and download URLs, in seconds. Default: 900.
  int64_t url_ttl_seconds = 900;
  // How long an upload key stays usable, and how long a committed key is remembered (to refuse
  // replays), in seconds. Default: 86400.
  int64_t session_ttl_seconds = 86400;
  // Blobs and staging files younger than this are never collected, in seconds. Default: 3600.
  int64_t blob_grace_seconds = 3600;
  // Largest file, in bytes: a larger preCheckParam.size is refused. Default: 64 GiB.
  int64_t max_file_bytes = int64_t{64} << 30;
  // About how many stored blobs one Collect() pass examines (whole 1/256 slices of the ids
  // until this many are seen); the next pass goes on where it stopped. Default: 10,000.
  int64_t collect_blobs_per_pass = 10000;
};

// GetFileUploadInfo's preCheckParam; each check is skipped when its field is absent.
struct PreCheck {
  std::optional<std::string> name;
  std::optional<std::string> parent_id;
  std::optional<int64_t> size;
  std::optional<std::string> md5;
};

// An authorized upload: its key and, for single uploads, where to PUT the bytes.
struct UploadTicket {
  std::string key;
  SignedRequest request;
};

// CommitFile's parameters.
struct CommitRequest {
  std::string upload_key;
  std::string name;
  std::string parent_id;
  std::string overwrite_dentry_id;  // Empty: create (or resolve by strategy).
  std::optional<int64_t> size;      // option.size: must equal the uploaded size.
  ConflictStrategy strategy = ConflictStrategy::kAutoRename;
  std::vector<AppProperty> app_properties;
};

// Receives the bytes of one PUT to a signed upload URL.
// Thread-safety: not thread-safe; one request at a time. Destroying it unfinished discards
// everything written.
class UploadSink {
 public:
  virtual ~UploadSink() = default;
  // kInvalidArgument (subject "size") past the announced size; kUnavailable on disk errors.
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

// What one Collect() pass removed.
struct CollectStats {
  int expired_uploads = 0;
  int blobs_removed = 0;
  int staging_removed = 0;
};

// UploadService runs DingTalk's upload and download flows over the blob store:
// authorize (reserving quota when the size is known) -> PUT bytes to a signed URL -> commit (one
// metadata transaction that checks size, md5, name and quota, creates the file or its next
// version and settles the reservation) -> signed download URL -> GET with Range.
// Expired sessions release their reservation and unreferenced blobs are removed by Collect().
//
// Errors shared by all methods: those of SpaceService::GetSpace; kQuotaExceeded (subject
// "space", "app" or "org") when a limit would be passed.
// Thread-safety: safe for concurrent use. Borrows the stores, clock, space service and signer.
class UploadService {
 public:
  UploadService(MetadataStore& store, BlobStore& blobs, const Clock& clock, SpaceService& spaces,
                const UrlSigner& signer, UploadOptions options);

  // GetFileUploadInfo (multipart=false) and InitMultipartFileUpload (multipart=true).
  // kInvalidArgument ("name", "parentId", "size", "md5"); kNotFound ("parent").
  Result<UploadTicket> Authorize(const Actor& actor, std::string_view space_id,
                                 const PreCheck& check, bool multipart);

  // Signed PUT URLs for parts of a multipart upload, in the order asked. kInvalidArgument
  // ("uploadKey" unknown, expired or not multipart; "partNumbers" empty, > 30 or out of
  // 1..10000).
  Result<std::vector<std::pair<int32_t, SignedRequest>>> PartUrls(
      const Actor& actor, std::string_view upload_key, const std::vector<int64_t>& part_numbers);

  // Starts receiving a PUT to "<key>" or "<key>/<part>" (the path after /blobs/upload/).
  // kPermissionDenied ("signature", "expired"); kNotFound ("upload"); kConflict ("upload")
  // once committed; kInvalidArgument ("size") when `content_length` exceeds the announced size.
  Result<std::unique_ptr<UploadSink>> OpenUpload(std::string_view resource,
                                                 std::string_view authorization,
                                                 std::optional<uint64_t> content_length);

  // CommitFile. kInvalidArgument ("uploadKey", "name", "size", "md5", "parentId");
  // kNotFound ("parent", "dentry" for overwriteDentryId); kAlreadyExists ("dentry").
  Result<Dentry> Commit(const Actor& actor, std::string_view space_id, CommitRequest request);

  // GetFileDownloadInfo: a signed GET URL for the latest version or `version`.
  // kNotFound ("dentry", "version"); kInvalidArgument ("dentryId") for a folder.
  Result<SignedRequest> DownloadInfo(const Actor& actor, std::string_view space_id,
                                     std::string_view dentry_id, std::optional<int64_t> version);

  // Opens the content a signed GET URL names ("<space>/<dentry>/<version>").
  // kPermissionDenied ("signature", "expired"); kNotFound ("dentry", "version").
  Result<Download> OpenDownload(std::string_view resource, std::string_view authorization);

  // Removes expired upload sessions (releasing their reservations), unreferenced blobs and
  // abandoned staging files. Blobs are examined slice by slice (ids by their first two hex
  // digits), about `collect_blobs_per_pass` a pass, so a pass over millions of blobs costs
  // what one over a small store does; a small store is covered whole by every pass.
  // Not reentrant: one collector thread calls it.
  Result<CollectStats> Collect();

 private:
  Result<UploadSession> LoadUpload(std::string_view key);

  MetadataStore& store_;
  BlobStore& blobs_;
  const Clock& clock_;
  SpaceService& spaces_;
  const UrlSigner& signer_;
  const UploadOptions options_;
  int next_blob_slice_ = 0;  // Collect(): the slice (0-255) the next pass starts at.
};

// Checks that adding `delta` bytes to `space` keeps it, its app and its org within their limits.
// kQuotaExceeded with subject "space", "app" or "org".
Result<void> CheckQuota(const Space& space, const UsageTotals& totals, int64_t delta);

}  // namespace spacestore::domain

#pragma once

#include <cstdint>
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
#include "domain/transfer_grant.h"
#include "domain/upload.h"

namespace spacestore::domain {

struct UploadOptions {
  // Lifetime of upload and download grants (the signed URLs), in seconds. Default: 900.
  int64_t url_ttl_seconds = 900;
  // How long an upload key stays usable, and how long a committed key is remembered (to refuse
  // replays), in seconds. Default: 86400.
  int64_t session_ttl_seconds = 86400;
  // Largest file, in bytes: a larger preCheckParam.size is refused. Default: 64 GiB.
  int64_t max_file_bytes = int64_t{64} << 30;
};

// GetFileUploadInfo's preCheckParam; each check is skipped when its field is absent.
struct PreCheck {
  std::optional<std::string> name;
  std::optional<std::string> parent_id;
  std::optional<int64_t> size;
  std::optional<std::string> md5;
};

// An authorized upload: its key and, for single uploads, the grant to PUT the bytes.
struct UploadTicket {
  std::string key;
  std::optional<TransferGrant> grant;
};

// CommitFile's parameters.
struct CommitRequest {
  std::string upload_key;
  std::string name;
  std::string parent_id;
  std::string overwrite_dentry_id;  // Empty: create (or resolve by strategy).
  std::optional<int64_t> size;      // option.size: must equal the uploaded size.
  ConflictStrategy strategy = ConflictStrategy::kAutoRename;
  // The caller's app's properties: a new file gets them; an overwritten one has them upserted
  // (UpsertAppProperties), keeping every other app's.
  std::vector<AppProperty> app_properties;
};

// UploadService decides who may upload and download what, DingTalk's flows over the metadata
// store: authorize (reserving quota when the size is known) and grant the PUTs -> (the client
// sends the bytes, TransferService stores them) -> commit (one metadata transaction that checks
// size, md5, name and quota, creates the file or its next version and settles the reservation)
// -> grant the GET of a version. Expired sessions and their reservations are the Collector's.
//
// Errors shared by all methods: those of SpaceService::GetSpace; kQuotaExceeded (subject
// "space", "app" or "org") when a limit would be passed.
// Thread-safety: thread-safe (no state of its own). Borrows the stores, clock and space service.
class UploadService {
 public:
  UploadService(MetadataStore& store, BlobStore& blobs, const Clock& clock, SpaceService& spaces,
                UploadOptions options);

  // GetFileUploadInfo (multipart=false) and InitMultipartFileUpload (multipart=true).
  // kInvalidArgument ("name", "parentId", "size", "md5"); kNotFound ("parent").
  Result<UploadTicket> Authorize(const Actor& actor, std::string_view space_id,
                                 const PreCheck& check, bool multipart);

  // Grants to PUT parts of a multipart upload, in the order asked. kInvalidArgument
  // ("uploadKey" unknown, expired or not multipart; "partNumbers" empty, > 30 or out of
  // 1..10000).
  Result<std::vector<TransferGrant>> PartGrants(const Actor& actor, std::string_view upload_key,
                                                const std::vector<int64_t>& part_numbers);

  // CommitFile. kInvalidArgument ("uploadKey", "name", "size", "md5", "parentId");
  // kNotFound ("parent", "dentry" for overwriteDentryId); kAlreadyExists ("dentry").
  Result<Dentry> Commit(const Actor& actor, std::string_view space_id, CommitRequest request);

  // GetFileDownloadInfo: a grant to GET the latest version or `version`.
  // kNotFound ("dentry", "version"); kInvalidArgument ("dentryId") for a folder.
  Result<TransferGrant> DownloadGrant(const Actor& actor, std::string_view space_id,
                                      std::string_view dentry_id, std::optional<int64_t> version);

 private:
  struct Content;  // The uploaded bytes a commit records.

  Result<UploadSession> LoadCommittable(const Space& space, std::string_view key);
  Result<Content> GatherContent(const UploadSession& session);
  Result<BlobInfo> AssembleParts(const UploadSession& session,
                                 const std::vector<UploadPart>& parts);
  Result<Dentry> RecordFile(const Actor& actor, const Space& space, const UploadSession& session,
                            const Content& content, const CommitRequest& request,
                            const std::string& name);
  TransferGrant Grant(TransferGrant grant) const;

  MetadataStore& store_;
  BlobStore& blobs_;
  const Clock& clock_;
  SpaceService& spaces_;
  const UploadOptions options_;
};

}  // namespace spacestore::domain

#pragma once

#include <cstdint>
#include <string>

namespace spacestore::domain {

// TransferGrant is the domain's permission for one kind of content transfer that bypasses the
// API: the client's PUT of an upload's bytes (or of one part of a multipart upload), its GET
// of one stored version of a file, or its GET of the thumbnail of one (ThumbnailService), until
// an expiry. The domain decides and issues grants
// (UploadService); an adapter turns them into what the client sends (TransferLinks: a signed
// /blobs/ URL here, a presigned URL of an object store elsewhere) and, when the request comes
// back, into a grant again (TransferService opens the body or the content for it).
// Plain data; thread-compatible.
struct TransferGrant {
  enum class Kind { kUpload, kDownload, kThumbnail };

  Kind kind = Kind::kUpload;
  // kUpload: the upload key, and for a part of a multipart upload its number (1-10000); 0 for
  // the single body of a non-multipart upload.
  std::string upload_key;
  int32_t part_number = 0;
  // kDownload, kThumbnail: one stored version of a file of a space.
  std::string space_id;
  std::string dentry_id;
  int64_t version = 0;
  // Issued at `issued_at` (epoch milliseconds), usable for `ttl_seconds`.
  int64_t issued_at = 0;
  int64_t ttl_seconds = 0;
  // kUpload: the most bytes the body may hold (the announced size, or a part's maximum); -1
  // when not known. The /blobs/ form does not carry it: TransferService enforces it from the
  // upload session when the body arrives. An object store's presigned form may carry it.
  int64_t max_bytes = -1;

  // The HTTP method the grant allows: PUT for uploads, GET for downloads and thumbnails.
  const char* method() const { return kind == Kind::kUpload ? "PUT" : "GET"; }
};

}  // namespace spacestore::domain

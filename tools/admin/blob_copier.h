#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "base/result.h"
#include "domain/blob_store.h"
#include "domain/metadata_store.h"

namespace spacestore::tools {

// What a copy did.
struct CopyStats {
  int64_t referenced = 0;            // Distinct blobs looked at.
  int64_t copied = 0;                // Blobs the target did not have yet.
  int64_t bytes = 0;                 // Bytes copied.
  std::vector<std::string> missing;  // Referenced, but not in the source store.
};

// BlobCopier copies content between two blob stores for `spacestore admin backup` and
// `restore`. Every copy goes through the target's writer (so it is made durable the way the
// server stores content) and is verified on the way: the SHA-256 of what was read must be the
// blob's id, so a damaged source blob fails the backup instead of being preserved.
// Thread-safety: not thread-safe. Borrows both stores.
class BlobCopier {
 public:
  BlobCopier(domain::BlobStore& from, domain::BlobStore& to) : from_(from), to_(to) {}

  // Copies every blob that `snapshot` references (file versions of every space, uploaded
  // single uploads, multipart parts) and the target lacks. A blob the source lacks is listed
  // in `missing`, not an error. kInternal (subject "blob") if a copy does not hash to its id;
  // store errors pass through.
  Result<CopyStats> CopyReferenced(domain::MetadataStore& snapshot);
  // Copies every stored blob of the source that the target lacks. Errors as CopyReferenced.
  Result<CopyStats> CopyAll();

 private:
  // Copies blob `id` unless the target has it; records the outcome in `stats`.
  Result<void> CopyOne(const std::string& id, CopyStats& stats);

  domain::BlobStore& from_;
  domain::BlobStore& to_;
};

}  // namespace spacestore::tools

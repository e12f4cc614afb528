#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "base/clock.h"
#include "base/result.h"
#include "domain/dentry.h"
#include "domain/identity.h"
#include "domain/metadata_store.h"
#include "domain/space_service.h"

namespace spacestore::domain {

// The largest page ListDentryVersions returns, and its default.
inline constexpr int kMaxVersionPageSize = 100;

// A page request of ListDentryVersions: its size and the previous page's opaque token.
struct VersionQuery {
  int limit = kMaxVersionPageSize;
  std::string cursor;  // Empty: the first page (the newest versions).
};

// VersionService serves the stored versions of files: ListDentryVersions and
// RevertDentryVersion. Every commit of content is a numbered version (UploadService); a revert
// makes a new latest version holding an older version's content (the same blob, stored once)
// and charges its size to the space like any new version, in one metadata transaction that
// checks the quota. Folders have no versions. Access to the space follows SpaceService's
// rules; a dentry of another space or org is answered exactly like a missing one.
//
// Errors shared by all methods: those of SpaceService::GetSpace; kNotFound (subject
// "dentry") for a missing, deleted or foreign dentry; kInvalidArgument (subject "dentryId")
// for a folder.
// Thread-safety: thread-safe (no state of its own). Borrows the store, clock and space service.
class VersionService {
 public:
  VersionService(MetadataStore& store, const Clock& clock, SpaceService& spaces);

  // A page of a file's versions, newest first, each as the file at that version: the version's
  // number, size, modifier and modified time over the file's current name, place and
  // properties. `next_cursor` is empty on the last page. kInvalidArgument ("maxResults") out of
  // 1..100, ("nextToken") for a token not made for this file's versions.
  Result<DentryPage> ListVersions(const Actor& actor, std::string_view space_id,
                                  std::string_view dentry_id, const VersionQuery& query);

  // Makes `version`'s content the file's new latest version (number latest + 1, modified by
  // the actor now) and returns the file as it now is. Reverting to the latest version also
  // adds one. kNotFound ("version") when the file has no such version (0 and negative numbers
  // included); kQuotaExceeded ("space", "app", "org") when the bytes do not fit;
  // kPermissionDenied ("disabled") in a disabled space.
  Result<Dentry> Revert(const Actor& actor, std::string_view space_id, std::string_view dentry_id,
                        int64_t version);

 private:
  MetadataStore& store_;
  const Clock& clock_;
  SpaceService& spaces_;
};

// The page token of ListDentryVersions after version `last` of dentry `dentry_id`, and back.
// Decoding refuses a token of another dentry: kInvalidArgument (subject "nextToken").
std::string EncodeVersionCursor(std::string_view dentry_id, int64_t last);
Result<int64_t> DecodeVersionCursor(std::string_view dentry_id, std::string_view token);

}  // namespace spacestore::domain

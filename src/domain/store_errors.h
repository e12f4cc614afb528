#pragma once

namespace spacestore::domain {

// The subject of a kUnavailable error from either storage port (MetadataStore, BlobStore) when
// the disk or database is full (ENOSPC, EDQUOT, SQLITE_FULL): every dialect answers it 507
// Insufficient Storage, where any other kUnavailable is 503 (docs/error-handling.md). A full
// store is a kind of unavailable store, so code that only retries or logs need not know it.
inline constexpr const char* kSubjectStorageFull = "storage_full";

}  // namespace spacestore::domain

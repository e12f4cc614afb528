#pragma once

#include <cstdint>

#include "base/clock.h"
#include "base/result.h"
#include "domain/blob_store.h"
#include "domain/lease.h"
#include "domain/metadata_store.h"
#include "domain/thumbnail_store.h"

namespace spacestore::domain {

struct CollectorOptions {
  // Blobs and staging files younger than this are never collected, in seconds; it must exceed
  // the longest time between a blob's write and the commit that references it. Default: 3600.
  int64_t blob_grace_seconds = 3600;
  // About how many stored blobs one pass examines (whole 1/256 slices of the ids until this
  // many are seen); the next pass goes on where it stopped. Default: 10,000.
  int64_t blobs_per_pass = 10000;
};

// The leases a collector on a shared store works under; null: no lease (one process alone).
struct CollectorLeases {
  Lease* uploads = nullptr;  // Upload expiry (kUploadExpiryLease).
  Lease* blobs = nullptr;    // Blob and staging removal (kCollectorLease).
};

// What one Collect() pass removed.
struct CollectStats {
  int expired_uploads = 0;
  int64_t expired_open_tokens = 0;  // Open-link tokens past their expiry, removed.
  int blobs_removed = 0;            // Removed from the committed blobs (or set aside).
  int64_t blob_bytes_removed = 0;   // The sizes of the blobs removed.
  // Set-aside blobs (BlobStore) settled: restored because a commit that raced their removal
  // references them, or purged for good.
  int set_aside_restored = 0;
  int set_aside_purged = 0;
  int staging_removed = 0;
  int thumbnails_removed = 0;  // Blob ids whose cached thumbnails were removed.
  int leased_elsewhere = 0;    // Parts of the pass skipped: another node holds their lease.
};

// Collector gives back what nothing will use any more: expired upload sessions (releasing the
// quota they reserved, each in its own metadata transaction), expired open-link tokens
// (OpenService; under the upload expiry lease), blobs that no version, upload or
// part references, and abandoned staging files; with a ThumbnailStore, the thumbnails cached
// for content that is gone (removed with their blob, and any left by a render that raced the
// removal, found in the same slice). Blobs a store set aside on removal (BlobStore) are settled
// once set aside for longer than the grace period: restored if something references them by
// then (a commit raced their removal), purged if not.
//
// Among nodes sharing the stores, upload expiry and blob removal each run under a Lease: a
// pass does each part only while this process holds its lease (renewed as it goes, checked in
// each release transaction), so one node does the work and another takes it over when that
// node dies. Thumbnails are per node (a local cache), so every node sweeps its own.
//
// Thread-safety: not thread-safe. One thread (the server's collector thread, or a tool) calls
// Collect; it remembers where the last pass stopped. Safe to run beside any number of request
// threads and of collectors in other processes or nodes: a blob is removed only when
// unreferenced and older than the grace period, and uploads are released inside transactions.
// Borrows the stores and the clock.
class Collector {
 public:
  // `thumbnails` may be null (no thumbnail cache to keep in step). The leases are borrowed.
  Collector(MetadataStore& store, BlobStore& blobs, const Clock& clock, CollectorOptions options,
            ThumbnailStore* thumbnails = nullptr, CollectorLeases leases = {});

  // One pass. Blobs are examined slice by slice (ids by their first two hex digits), about
  // `blobs_per_pass` a pass, so a pass over millions of blobs costs what one over a small store
  // does; a small store is covered whole by every pass. Errors of the stores pass through;
  // what was removed before an error stays removed.
  Result<CollectStats> Collect();

 private:
  Result<int> ReleaseExpiredUploads(int64_t now);
  // Removes unreferenced blobs older than `cutoff` and settles those set aside before it (only
  // when `remove_blobs`; otherwise it only sweeps the thumbnails, slice by slice); adds their
  // counts and bytes to `stats`.
  Result<void> RemoveUnreferencedBlobs(int64_t cutoff, bool remove_blobs, CollectStats& stats);
  // Restores or purges the blobs of slice `prefix` set aside before `cutoff`; returns how many
  // it examined.
  Result<int64_t> SettleSetAside(std::string_view prefix, int64_t cutoff, CollectStats& stats);
  // Removes the thumbnails of slice `prefix` whose blob is no longer stored.
  Result<void> RemoveOrphanThumbnails(std::string_view prefix, CollectStats& stats);

  MetadataStore& store_;
  BlobStore& blobs_;
  const Clock& clock_;
  const CollectorOptions options_;
  ThumbnailStore* const thumbnails_;
  const CollectorLeases leases_;
  int next_slice_ = 0;  // The slice (0-255) the next pass starts at.
};

}  // namespace spacestore::domain

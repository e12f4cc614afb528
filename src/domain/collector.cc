// Collector: expired uploads first (their release is a metadata transaction each), then blobs by
// slices of their id space, then staging files. A blob is checked against every reference in one
// snapshot and removed only if it is also older than the grace period, which covers the window
// between a blob's write and the commit that references it.
//
// Set-aside blobs (a store whose Remove cannot be atomic with a duplicate commit, S3) are settled
// in the same slices, before the slice's removals: one set aside before the cutoff is restored if
// referenced, purged if not. The same grace argument makes that exact: a commit whose write the
// removal's delete undid wrote before the delete, at most one request after the set-aside time,
// so it has recorded its reference once the set-aside copy is older than the grace period.
#include "domain/collector.h"

#include "base/crypto.h"

namespace spacestore::domain {
namespace {

constexpr int kUploadsPerQuery = 100;

// Whether this process may do the work of `lease` now (true without a lease); renews it.
Result<bool> Holds(Lease* lease, CollectStats& stats) {
  if (lease == nullptr) return true;
  auto held = lease->Renew();
  if (held && !*held) ++stats.leased_elsewhere;
  return held;
}

}  // namespace

Collector::Collector(MetadataStore& store, BlobStore& blobs, const Clock& clock,
                     CollectorOptions options, ThumbnailStore* thumbnails, CollectorLeases leases)
    : store_(store),
      blobs_(blobs),
      clock_(clock),
      options_(options),
      thumbnails_(thumbnails),
      leases_(leases) {}

Result<CollectStats> Collector::Collect() {
  CollectStats stats;
  const int64_t now = clock_.NowMillis();
  auto uploads = Holds(leases_.uploads, stats);
  if (!uploads) return uploads.error();
  if (*uploads) {
    auto expired = ReleaseExpiredUploads(now);
    if (!expired) return expired.error();
    stats.expired_uploads = *expired;
    // Expired open-link tokens (OpenService) go under the same expiry lease: one statement.
    auto tokens = store_.Write([&](MetadataTransaction& tx) -> Result<int64_t> {
      if (leases_.uploads != nullptr) {
        if (auto held = leases_.uploads->Check(tx); !held) return held.error();
      }
      return tx.open().RemoveExpiredTokens(now);
    });
    if (!tokens && !Lease::IsLost(tokens.error())) return tokens.error();
    if (tokens) stats.expired_open_tokens = *tokens;
  }
  const int64_t cutoff = now - options_.blob_grace_seconds * 1000;
  auto blobs = Holds(leases_.blobs, stats);
  if (!blobs) return blobs.error();
  if (auto removed = RemoveUnreferencedBlobs(cutoff, *blobs, stats); !removed) {
    return removed.error();
  }
  if (*blobs) {
    auto swept = blobs_.SweepStaging(cutoff);
    if (!swept) return swept.error();
    stats.staging_removed = *swept;
  }
  return stats;
}

Result<int> Collector::ReleaseExpiredUploads(int64_t now) {
  int released = 0;
  for (;;) {
    auto keys = store_.ListExpiredUploads(now, kUploadsPerQuery);
    if (!keys) return keys.error();
    for (const auto& key : *keys) {
      auto r = store_.Transact([&](MetadataTransaction& tx) -> Result<void> {
        if (leases_.uploads != nullptr) {
          if (auto held = leases_.uploads->Check(tx); !held) return held;
        }
        auto u = tx.uploads().Get(key);
        if (!u) return u.error().code == Errc::kNotFound ? Result<void>() : u.error();
        if (u->state != UploadSession::State::kCommitted && u->reserved_bytes > 0) {
          auto ok = tx.spaces().AdjustBytes(u->space_id, 0, -u->reserved_bytes);
          if (!ok && ok.error().code != Errc::kNotFound) return ok;  // Space may be gone.
        }
        return tx.uploads().Delete(key);
      });
      if (!r && Lease::IsLost(r.error())) return released;  // Another node goes on.
      if (!r) return r.error();
      ++released;
    }
    if (std::ssize(*keys) < kUploadsPerQuery) return released;
    if (leases_.uploads != nullptr) {
      auto held = leases_.uploads->Renew();
      if (!held) return held.error();
      if (!*held) return released;
    }
  }
}

Result<void> Collector::RemoveUnreferencedBlobs(int64_t cutoff, bool remove_blobs,
                                                CollectStats& stats) {
  int64_t seen = 0;
  // At least one slice a pass, whatever blobs_per_pass says.
  for (int slice = 0; slice < 256 && (slice == 0 || seen < options_.blobs_per_pass); ++slice) {
    const char byte = static_cast<char>(next_slice_);
    const std::string prefix = HexEncode({&byte, 1});
    if (remove_blobs && slice > 0) {
      // A long pass keeps its lease; a lost one leaves the rest to the node that took it.
      auto held = Holds(leases_.blobs, stats);
      if (!held) return held.error();
      remove_blobs = *held;
    }
    if (remove_blobs) {
      auto settled = SettleSetAside(prefix, cutoff, stats);
      if (!settled) return settled.error();
      seen += *settled;
    }
    auto blob_ids = remove_blobs ? blobs_.List(prefix, cutoff)
                                 : Result<std::vector<std::string>>(std::vector<std::string>());
    if (!blob_ids) return blob_ids.error();
    seen += static_cast<int64_t>(blob_ids->size());
    for (const auto& id : *blob_ids) {
      auto referenced = store_.IsBlobReferenced(id);
      if (!referenced) return referenced.error();
      if (*referenced) continue;
      // The size for the metrics, read before the blob goes (content never changes); a blob
      // that cannot be opened any more counts as 0 bytes.
      auto reader = blobs_.Open(id);
      const int64_t size = reader ? (*reader)->size() : 0;
      auto removed = blobs_.Remove(id, cutoff);
      if (!removed) return removed.error();
      if (*removed) {
        ++stats.blobs_removed;
        stats.blob_bytes_removed += size;
      }
    }
    // Thumbnails follow their content, in the same slice, after its blobs went.
    if (auto swept = RemoveOrphanThumbnails(prefix, stats); !swept) return swept;
    // Only a slice gone through to its end counts: a failure retries it next pass.
    next_slice_ = (next_slice_ + 1) % 256;
  }
  return {};
}

Result<int64_t> Collector::SettleSetAside(std::string_view prefix, int64_t cutoff,
                                          CollectStats& stats) {
  auto ids = blobs_.ListSetAside(prefix, cutoff);
  if (!ids) return ids.error();
  for (const auto& id : *ids) {
    auto referenced = store_.IsBlobReferenced(id);
    if (!referenced) return referenced.error();
    auto settled = *referenced ? blobs_.RestoreSetAside(id) : blobs_.PurgeSetAside(id, cutoff);
    if (!settled) return settled.error();
    if (!*settled) continue;
    ++(*referenced ? stats.set_aside_restored : stats.set_aside_purged);
  }
  return std::ssize(*ids);
}

Result<void> Collector::RemoveOrphanThumbnails(std::string_view prefix, CollectStats& stats) {
  if (thumbnails_ == nullptr) return {};
  auto ids = thumbnails_->List(prefix);
  if (!ids) return ids.error();
  for (const auto& id : *ids) {
    auto exists = blobs_.Exists(id);
    if (!exists) return exists.error();
    if (*exists) continue;
    if (auto removed = thumbnails_->Remove(id); !removed) return removed;
    ++stats.thumbnails_removed;
  }
  return {};
}

}  // namespace spacestore::domain

#pragma once

#include <cstdint>
#include <string>

#include "base/clock.h"
#include "base/mutex.h"
#include "base/result.h"
#include "base/thread_annotations.h"
#include "domain/metadata_store.h"

namespace spacestore::domain {

// The lease names of the background work, one row each in the store's lease table.
inline constexpr const char* kCollectorLease = "collector";
inline constexpr const char* kUploadExpiryLease = "upload-expiry";
inline constexpr const char* kTaskLease = "tasks";
inline constexpr const char* kEventLease = "events";

struct LeaseOptions {
  // How long a take or a renewal holds the lease, in milliseconds: another node takes the work
  // over this long after the holder stopped renewing (died or hung). Default: 15000.
  int64_t ttl_ms = 15000;
};

// Lease is this process's handle on one named lease of the metadata store (IdentityRecords'
// AcquireLease, HoldsLease, ReleaseLease), so that background work runs on one node at a time
// among nodes sharing the store. The worker takes it before a pass (Acquire), renews it while it
// works (Renew, cheap when not yet due), proves it still holds it inside each transaction that
// does the work (Check: a holder that paused past its lease and was taken over cannot commit),
// and gives it up when it stops (Release), so another node takes over at once.
//
// Thread-safety: thread-safe. Borrows the store and the clock, which must outlive it.
class Lease {
 public:
  // `holder` names this process among the nodes sharing the store (unique per process).
  Lease(MetadataStore& store, const Clock& clock, std::string name, std::string holder,
        LeaseOptions options = {});

  const std::string& name() const { return name_; }
  const std::string& holder() const { return holder_; }

  // Takes or renews the lease for ttl_ms from now, in a transaction of its own. true if this
  // process holds it now; false if another holder's lease is live. Errors of the store.
  Result<bool> Acquire();
  // Acquire, but only when a third of the lease has passed since the last successful one
  // (otherwise true at once without a store call). false once the lease was lost.
  Result<bool> Renew();
  // Inside the transaction `tx` doing the leased work: nothing if this process holds the lease
  // now; kConflict (subject "lease") if it does not, which must roll the work back.
  Result<void> Check(MetadataTransaction& tx) const;
  // Gives the lease up if held. Errors of the store (the lease then simply expires).
  Result<void> Release();

  // Whether `error` is Check's "lease lost" (the work was fenced, not failed).
  static bool IsLost(const Error& error);

 private:
  MetadataStore& store_;
  const Clock& clock_;
  const std::string name_;
  const std::string holder_;
  const LeaseOptions options_;
  Mutex mu_;
  int64_t acquired_at_ GUARDED_BY(mu_) = -1;  // Clock millis of the last take or renewal; -1.
};

}  // namespace spacestore::domain

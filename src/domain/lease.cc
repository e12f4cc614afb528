// Lease: a named row of the store's lease table, taken and renewed in transactions of their
// own and checked inside the transactions of the leased work. The check is what makes the
// lease exact: the local "acquired at" time only spares store calls between renewals, it never
// decides whether work may commit.
#include "domain/lease.h"

#include <utility>

namespace spacestore::domain {

Lease::Lease(MetadataStore& store, const Clock& clock, std::string name, std::string holder,
             LeaseOptions options)
    : store_(store),
      clock_(clock),
      name_(std::move(name)),
      holder_(std::move(holder)),
      options_(options) {}

Result<bool> Lease::Acquire() {
  const int64_t now = clock_.NowMillis();
  auto held = store_.Write([&](MetadataTransaction& tx) {
    return tx.identity().AcquireLease(name_, holder_, now, now + options_.ttl_ms);
  });
  MutexLock lock(mu_);
  acquired_at_ = held && *held ? now : -1;
  return held;
}

Result<bool> Lease::Renew() {
  {
    MutexLock lock(mu_);
    if (acquired_at_ >= 0 && clock_.NowMillis() - acquired_at_ < options_.ttl_ms / 3) return true;
  }
  return Acquire();
}

Result<void> Lease::Check(MetadataTransaction& tx) const {
  auto held = tx.identity().HoldsLease(name_, holder_, clock_.NowMillis());
  if (!held) return held.error();
  if (!*held) return MakeError(Errc::kConflict, "lease", "lease " + name_ + " is held elsewhere");
  return {};
}

Result<void> Lease::Release() {
  {
    MutexLock lock(mu_);
    acquired_at_ = -1;
  }
  return store_.Transact(
      [&](MetadataTransaction& tx) { return tx.identity().ReleaseLease(name_, holder_); });
}

bool Lease::IsLost(const Error& error) {
  return error.code == Errc::kConflict && error.subject == "lease";
}

}  // namespace spacestore::domain

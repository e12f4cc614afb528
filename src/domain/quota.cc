#include "domain/quota.h"

#include <string>

namespace spacestore::domain {

Result<void> CheckQuota(const Space& space, const UsageTotals& t, int64_t delta) {
  if (delta <= 0) return {};
  // Written as "delta > room" so that no sum can overflow, whatever size a client announces.
  if (space.quota_bytes && delta > *space.quota_bytes - space.used_bytes - space.reserved_bytes) {
    return MakeError(Errc::kQuotaExceeded, "space",
                     "space " + space.id + " has not enough quota left for " +
                         std::to_string(delta) + " more bytes");
  }
  if (t.app_quota && delta > *t.app_quota - t.app_used - t.app_reserved) {
    return MakeError(Errc::kQuotaExceeded, "app", "the app's quota would be exceeded");
  }
  if (delta > t.org_capacity - t.org_used - t.org_reserved) {
    return MakeError(Errc::kQuotaExceeded, "org", "the org's capacity would be exceeded");
  }
  return {};
}

}  // namespace spacestore::domain

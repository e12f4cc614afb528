#include "domain/quota.h"

#include <cstdint>
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

Result<void> CheckQuotaLimit(std::optional<int64_t> bytes, std::string_view field) {
  if (bytes && (*bytes <= 0 || *bytes > kMaxQuotaBytes)) {
    return MakeError(Errc::kInvalidArgument, std::string(field),
                     std::string(field) + " must be 1 to " + std::to_string(kMaxQuotaBytes) +
                         " bytes (100 PiB)");
  }
  return {};
}

int64_t AddBytes(int64_t a, int64_t b) {
  int64_t sum = 0;
  if (__builtin_add_overflow(a, b, &sum)) return b < 0 ? INT64_MIN : INT64_MAX;
  return sum;
}

}  // namespace spacestore::domain

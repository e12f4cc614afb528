#include "domain/quota.h"

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>

namespace spacestore::domain {
namespace {

// What each limit can still take. Each is written as one difference so that no sum can
// overflow, whatever size a client announces; nullopt where there is no limit.
std::optional<int64_t> SpaceRoom(const Space& space) {
  if (!space.quota_bytes) return std::nullopt;
  return *space.quota_bytes - space.used_bytes - space.reserved_bytes;
}

std::optional<int64_t> AppRoom(const UsageTotals& t) {
  if (!t.app_quota) return std::nullopt;
  return *t.app_quota - t.app_used - t.app_reserved;
}

int64_t OrgRoom(const UsageTotals& t) { return t.org_capacity - t.org_used - t.org_reserved; }

}  // namespace

Result<void> CheckQuota(const Space& space, const UsageTotals& t, int64_t delta) {
  if (delta <= 0) return {};
  if (const auto room = SpaceRoom(space); room && delta > *room) {
    return MakeError(Errc::kQuotaExceeded, "space",
                     "space " + space.id + " has not enough quota left for " +
                         std::to_string(delta) + " more bytes");
  }
  if (const auto room = AppRoom(t); room && delta > *room) {
    return MakeError(Errc::kQuotaExceeded, "app", "the app's quota would be exceeded");
  }
  if (delta > OrgRoom(t)) {
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

int64_t QuotaRoom(const Space& space, const UsageTotals& totals) {
  int64_t room = OrgRoom(totals);
  if (const auto app = AppRoom(totals)) room = std::min(room, *app);
  if (const auto own = SpaceRoom(space)) room = std::min(room, *own);
  return room;
}

}  // namespace spacestore::domain

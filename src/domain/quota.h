#pragma once

#include <cstdint>
#include <optional>
#include <string_view>

#include "base/result.h"
#include "domain/space.h"
#include "domain/space_records.h"

namespace spacestore::domain {

// Checks that adding `delta` bytes to `space` keeps it, its app and its org within their
// limits; `space` and `totals` must come from the transaction that then adds the bytes. A
// delta of zero or less always fits.
// kQuotaExceeded with subject "space", "app" or "org".
Result<void> CheckQuota(const Space& space, const UsageTotals& totals, int64_t delta);

// The largest quota or capacity of a space, app or org: 100 PiB (104,857,600 GiB, KooDrive's
// documented bound). Far below INT64_MAX, so that a limit minus what is used never overflows.
inline constexpr int64_t kMaxQuotaBytes = int64_t{104857600} << 30;

// Checks a quota or capacity given by a client or operator: absent, or 1..kMaxQuotaBytes.
// kInvalidArgument with `field` as subject.
Result<void> CheckQuotaLimit(std::optional<int64_t> bytes, std::string_view field);

// a + b for byte totals (sums of quotas over many spaces), saturating at INT64_MAX instead of
// overflowing into a negative number.
int64_t AddBytes(int64_t a, int64_t b);

// The largest delta CheckQuota would accept now: the least of what the space, its app and its
// org can still take (negative when one is already past its limit). Uploads whose size was not
// announced measure their body against it while it arrives (TransferService).
int64_t QuotaRoom(const Space& space, const UsageTotals& totals);

}  // namespace spacestore::domain

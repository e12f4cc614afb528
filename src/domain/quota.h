#pragma once

#include <cstdint>

#include "base/result.h"
#include "domain/space.h"
#include "domain/space_records.h"

namespace spacestore::domain {

// Checks that adding `delta` bytes to `space` keeps it, its app and its org within their
// limits; `space` and `totals` must come from the transaction that then adds the bytes. A
// delta of zero or less always fits.
// kQuotaExceeded with subject "space", "app" or "org".
Result<void> CheckQuota(const Space& space, const UsageTotals& totals, int64_t delta);

// The largest delta CheckQuota would accept now: the least of what the space, its app and its
// org can still take (negative when one is already past its limit). Uploads whose size was not
// announced measure their body against it while it arrives (TransferService).
int64_t QuotaRoom(const Space& space, const UsageTotals& totals);

}  // namespace spacestore::domain

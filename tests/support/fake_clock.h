#pragma once

#include <atomic>
#include <cstdint>

#include "base/clock.h"

namespace spacestore::testing {

// A Clock tests move by hand. Thread-safe.
class FakeClock final : public Clock {
 public:
  explicit FakeClock(int64_t start_millis = 1641031200000) : now_(start_millis) {}
  int64_t NowMillis() const override { return now_.load(); }
  void AdvanceMillis(int64_t delta) { now_ += delta; }

 private:
  std::atomic<int64_t> now_;
};

}  // namespace spacestore::testing

#pragma once

#include <array>
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace spacestore {

// Clock is the source of "now" for everything that stores or compares time (token expiry,
// createTime, upload expiry), so tests can inject a fake one.
// Thread-safety: implementations must be safe to call from any thread.
class Clock {
 public:
  virtual ~Clock() = default;
  // Milliseconds since the Unix epoch.
  virtual int64_t NowMillis() const = 0;
};

// The wall clock. Thread-safe and stateless.
class SystemClock final : public Clock {
 public:
  int64_t NowMillis() const override;
};

// Formats epoch milliseconds as ISO-8601 UTC with second precision: "2022-01-01T10:00:00Z",
// the form the DingTalk references show.
std::string FormatIsoSeconds(int64_t epoch_millis);

// Formatted time text held in place, so a hot reply formats times without allocating.
class IsoText {
 public:
  static constexpr size_t kCapacity = 48;  // Any int64 year fits.
  std::string_view view() const { return {data_.data(), size_}; }

 private:
  friend IsoText IsoSecondsText(int64_t epoch_millis);
  friend std::string FormatIsoMillis(int64_t epoch_millis);
  std::array<char, kCapacity> data_;  // Not NUL-terminated: use view().
  size_t size_ = 0;
};
// FormatIsoSeconds into an IsoText.
IsoText IsoSecondsText(int64_t epoch_millis);

// Formats epoch milliseconds as ISO-8601 UTC with milliseconds: "2023-11-14T20:39:06.000Z",
// the form the KooDrive references show.
std::string FormatIsoMillis(int64_t epoch_millis);

}  // namespace spacestore

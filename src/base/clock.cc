#include "base/clock.h"

#include <chrono>
#include <ctime>

#include <fmt/format.h>

namespace spacestore {

int64_t SystemClock::NowMillis() const {
  return std::chrono::duration_cast<std::chrono::milliseconds>(
             std::chrono::system_clock::now().time_since_epoch())
      .count();
}

namespace {

std::tm ToUtc(int64_t epoch_millis) {
  // Floor division so times before 1970 still format correctly.
  int64_t seconds = epoch_millis / 1000;
  if (epoch_millis % 1000 < 0) --seconds;
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  return tm;
}

}  // namespace

std::string FormatIsoSeconds(int64_t epoch_millis) {
  const std::tm tm = ToUtc(epoch_millis);
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec);
}

std::string FormatIsoMillis(int64_t epoch_millis) {
  const std::tm tm = ToUtc(epoch_millis);
  const int64_t millis = ((epoch_millis % 1000) + 1000) % 1000;
  return fmt::format("{:04}-{:02}-{:02}T{:02}:{:02}:{:02}.{:03}Z", tm.tm_year + 1900, tm.tm_mon + 1,
                     tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, millis);
}

}  // namespace spacestore
